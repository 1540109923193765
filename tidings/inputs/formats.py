"""Files of one article: formats by extension, bytes decoded (UTF-8,
UTF-16/32, cp1252, latin-1), binary and oversized files refused, saved web
pages reduced to their article body.
"""
from __future__ import annotations

import datetime
import os
import re
from typing import BinaryIO, Optional

import trafilatura

from tidings.inputs.articles import make_article
from tidings.inputs.compression import open_decompressed
from tidings.inputs.record_files import Split, decode
from tidings.schemas import Article, Error


# Extensions read as plain text; anything else is reported, not guessed at.
TEXT_EXTENSIONS = frozenset({".txt", ".text", ""})


COMPRESSION_EXTENSIONS = frozenset({".gz", ".bz2", ".zst"})


# Saved web pages: the article body is extracted from the boilerplate.
HTML_EXTENSIONS = frozenset({".html", ".htm"})


# A page whose extracted body is shorter than this is navigation, not news.
MIN_HTML_WORDS = 8


def file_format(path: str) -> tuple[str, Optional[str]]:
    """A file's format extension and compression extension (or None), from
    its name: ``a.jsonl.gz`` gives (".jsonl", ".gz")."""
    stem, ext = os.path.splitext(os.path.basename(path).lower())
    if ext in COMPRESSION_EXTENSIONS:
        return os.path.splitext(stem)[1], ext
    return ext, None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode article bytes, returning the text and the encoding used.

    UTF-8 (with or without a byte-order mark) first, then cp1252, which
    covers latin-1 text in practice; bytes cp1252 leaves undefined fall back
    to latin-1, which decodes anything. Line endings become ``\\n`` so that
    character offsets do not depend on the platform that wrote the file.
    """
    text, encoding = decode(data)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def wide_encoding(data: bytes) -> Optional[str]:
    """UTF-16 or UTF-32, from a byte-order mark or, without one, from where
    the zero bytes of mostly-ASCII text fall; None for other text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:4096]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    for width, name in ((4, "utf-32"), (2, "utf-16")):
        units = [sample[i:i + width] for i in range(0, len(sample) // width * width, width)]
        for order, text_at in (("le", 0), ("be", width - 1)):
            ascii_like = sum(1 for unit in units if unit[text_at] and not any(
                unit[j] for j in range(width) if j != text_at))
            if ascii_like >= 0.9 * len(units):
                return f"{name}-{order}"
    return None


_BINARY_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def looks_binary(data: bytes) -> bool:
    """True when bytes are clearly not text: NULs or many control bytes."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    return len(_BINARY_CONTROL.findall(sample)) > len(sample) // 100


def read_decompressed(handle: BinaryIO, compression: Optional[str], limit: int) -> bytes:
    """At most ``limit`` bytes of a file, decompressed by extension.

    Raises:
        EOFError, OSError, zstandard.ZstdError: corrupt or truncated data.
    """
    return open_decompressed(handle, compression).read(limit)


def read_error(path: str, reason: str, detail: str) -> Error:
    return Error(input_path=path, stage="read", reason=reason, detail=detail,
                 article_id=None, published_date=None)


def parse_file(path: str, data: bytes, max_bytes: int) -> Article | Error:
    """Turn one file's bytes into an Article, or an Error saying why not."""
    if len(data) > max_bytes:
        return read_error(path, "file too large",
                           f"{len(data)} bytes > --max-file-bytes {max_bytes}")
    wide = wide_encoding(data)
    if wide is not None:
        try:
            text = data.decode(wide).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            return read_error(path, "undecodable text", f"looks like {wide}: {exc}")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    elif looks_binary(data):
        return read_error(path, "binary file", "control bytes found; not text")
    else:
        text, _ = decode_text(data)
    if not text.strip():
        return read_error(path, "empty file", f"{len(data)} bytes, no text")
    if file_format(path)[0] in HTML_EXTENSIONS:
        return parse_html(path, text)
    return make_article(path, text)


def parse_html(path: str, html: str) -> Article | Error:
    """The article body of a saved web page, without its boilerplate
    (trafilatura), with the page's title, date, URL and site name."""
    body = trafilatura.extract(html, output_format="txt", include_comments=False,
                               include_tables=False, favor_precision=True)
    if not body or len(body.split()) < MIN_HTML_WORDS:
        return read_error(path, "no article text in HTML",
                           f"trafilatura found {len((body or '').split())} words of "
                           f"main text (fewer than {MIN_HTML_WORDS})")
    meta = trafilatura.extract_metadata(html)
    published = None
    if meta is not None and meta.date:
        try:
            published = datetime.date.fromisoformat(meta.date[:10])
        except ValueError:
            published = None
    return make_article(path, body, title=meta.title if meta else None,
                        source=meta.sitename if meta else None,
                        url=meta.url if meta else None, published=published)


def changed_since_listed(split: Split) -> Optional[str]:
    """How a local file differs from when it was listed, or None."""
    if split.size is None or "://" in split.path:
        return None
    try:
        info = os.stat(split.path)
    except OSError as exc:
        return f"gone after it was read: {exc}"
    if info.st_size != split.size or (split.mtime and abs(info.st_mtime - split.mtime) > 1e-6):
        return (f"size {split.size} -> {info.st_size} bytes, modified "
                f"{datetime.datetime.fromtimestamp(info.st_mtime).isoformat()}")
    return None
