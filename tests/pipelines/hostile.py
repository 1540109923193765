"""A folder of hostile and unusual inputs, written by the tests themselves.

``write_hostile_folder(root, examples_dir)`` lays out one input of each
kind beside the project's example articles and returns the folder, the
metadata file, and ``KINDS``: for every kind, the path it is written to
(relative to the folder) and what a run must make of it, an article
(``ARTICLE``) or an errors row with a given stage and reason.
"""
from __future__ import annotations

import bz2
import gzip
import json
import os
import pathlib

import zstandard


ARTICLE = ("article", None)

GOOD = ("The mayor said on Monday that the bridge would reopen in May.\n"
        "Workers signed a new contract with the city on Tuesday.\n")

# Limits the hostile run uses: small enough that the bombs stop early.
MAX_FILE_BYTES = 1_000_000
MAX_ARTICLE_CHARS = 50_000

BOMB_BYTES = 2 << 30          # what each bomb expands to: 2 GiB


def good(name: str) -> str:
    """An article of two sentences with records, its own for each name (an
    article found twice is stored once)."""
    return GOOD + f"The clerk said the {name} file was filed on Friday.\n"


def _repeated(compress, chunk: bytes, times: int) -> bytes:
    """A compressed stream of ``chunk`` repeated: one compressed member
    (frame) of it, repeated, which every reader here takes as one stream."""
    return compress(chunk) * times


def _bombs() -> dict[str, bytes]:
    zeros = bytes(64 << 20)
    times = BOMB_BYTES // len(zeros)
    zstd = zstandard.ZstdCompressor(level=19)
    return {
        "bomb.txt.gz": _repeated(lambda d: gzip.compress(d, 9), zeros, times),
        "bomb.txt.bz2": _repeated(lambda d: bz2.compress(d, 9), zeros, times),
        "bomb.txt.zst": _repeated(zstd.compress, zeros, times),
        "bomb.jsonl.zst": _repeated(zstd.compress, zeros, times),
        "bomb-lines.jsonl.gz": _repeated(
            lambda d: gzip.compress(d, 9),
            (json.dumps({"text": "x" * 1000}) + "\n").encode() * 65536, times),
    }


def _html_bomb() -> str:
    entities = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY l0 "lol">{entities}]>'
            f"<html><body><p>&l9;</p></body></html>")


def kinds(examples_dir: pathlib.Path) -> dict[str, tuple]:
    """Relative path -> (bytes to write or a special maker, expected)."""
    nested_json = "[" * 100_000 + "]" * 100_000
    return {
        # text files and encodings
        "empty.txt": (b"", ("read", "empty file")),
        "blank.txt": (b"  \n\t \n", ("read", "empty file")),
        "nul.txt": (b"text\x00with\x00nuls" * 10, ("read", "binary file")),
        "image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 20, ("read", "binary file")),
        "page.pdf": (b"%PDF-1.4 not an article", ("read", "unsupported format")),
        "latin1.txt": ("Le ministre a déclaré que l'accord était signé, the minister "
                       "said on Friday.\n".encode("cp1252"), ARTICLE),
        "utf16-bom.txt": (good("utf16-bom").encode("utf-16"), ARTICLE),
        "utf16-nobom.txt": (good("utf16-nobom").encode("utf-16-le"), ARTICLE),
        "utf32.txt": (good("utf32").encode("utf-32"), ARTICLE),
        "bad-utf8-mid.txt": (GOOD.encode() + b"\xff\xfe broken \xc3( bytes\n" + good("mid").encode(),
                             ARTICLE),
        "punctuation.txt": (("!!! ??? ... ;;; --- ,,, ::: ''' \"\"\" ***\n" * 20).encode(), ARTICLE),
        "emoji.txt": (("😀🎉🔥💥🚀 " * 200).encode(), ARTICLE),
        "rtl.txt": (("قال الوزير يوم الاثنين إن الاتفاق سيوقع قريبا. "
                    "אמר השר ביום שני כי ההסכם ייחתם בקרוב.\n").encode(), ARTICLE),
        "cjk.txt": (("部长周一表示，该协议将很快签署。大臣は月曜日、合意はまもなく署名されると述べた。\n"
                    ).encode(), ARTICLE),
        "zero-width.txt": (("The mayor\u200b said on Monday\u200d that the \ufeffbridge would "
                           "reopen\x07 in May, officials told reporters at the city hall "
                           "after the long meeting of the council.\n" * 3).encode(), ARTICLE),
        "digits.txt": (("The minister said on Monday that the budget was " + "9" * 400 +
                        " dollars.\n").encode(), ARTICLE),
        "huge-value.txt": (b"The two companies signed a $30,000,000,000,000,000,000 trillion "
                           b"deal on Monday, the chairman said.\n", ARTICLE),
        # size and shape
        "huge.txt": (b"word " * 20_000, ("tag", "article too long")),
        "long.txt": (("A long sentence about nothing in particular. " * 200).encode(), ARTICLE),
        "no-breaks.txt": (("word " * 8_000).encode(), ARTICLE),
        "five-mb-line.txt": (b"x" * (5 << 20), ("read", "file too large")),
        "tiny-sentences.txt": (b"A. " * 200_000, ("tag", "article too long")),
        # compression
        "truncated.txt.gz": (gzip.compress(GOOD.encode())[:15], ("read", "unreadable file")),
        "notgzip.txt.gz": (GOOD.encode(), ("read", "unreadable file")),
        "truncated.txt.zst": (zstandard.ZstdCompressor().compress(GOOD.encode() * 5)[:20],
                              ("read", "unreadable file")),
        "corrupt.txt.bz2": (bz2.compress(GOOD.encode())[:-10] + b"garbage!!",
                            ("read", "unreadable file")),
        "double.txt.gz.gz": (gzip.compress(gzip.compress(GOOD.encode())),
                             ("read", "unsupported format")),
        "bomb.txt.gz": ("bomb", ("read", "file too large")),
        "bomb.txt.bz2": ("bomb", ("read", "file too large")),
        "bomb.txt.zst": ("bomb", ("read", "file too large")),
        "bomb.jsonl.zst": ("bomb", ("read", "binary file")),
        "bomb-lines.jsonl.gz": ("bomb", ("read", "file too large")),
        # HTML
        "scripts.html": (("<html><head><script>var a = 1;</script></head><body>"
                          "<script>document.write('x')</script></body></html>").encode(),
                         ("read", "no article text in HTML")),
        "laughs.html": (_html_bomb().encode(), ("read", "no article text in HTML")),
        "nested.html": (("<html><body>" + "<div>" * 10_000 + "<p>" + GOOD + "</p>" +
                         "</div>" * 10_000 + "</body></html>").encode(),
                        ("read", "no article text in HTML")),
        # JSON Lines
        "records.jsonl": ("\n".join([
            json.dumps({"text": GOOD, "title": "Bridge", "date": "March 3, 2025", "id": "r1"}),
            "{not json at all",
            json.dumps([1, 2, 3]),
            json.dumps({"title": "No text here"}),
            json.dumps({"text": "Officials said the deal was signed.", "date": "someday",
                        "id": "r5"}),
            json.dumps({"text": 42}), json.dumps({"text": [GOOD]}), json.dumps({"text": None}),
            nested_json,
            json.dumps({"text": "Officials said the port would reopen.", "id": "r10",
                        "extra": "PLACEHOLDER"}).replace('"PLACEHOLDER"', nested_json),
            json.dumps({"text": "The mayor said the talks went well.", "title": "\ud83d bad",
                        "source": "\ud83d", "id": "\ud83dx"}),
            json.dumps({"text": "The mayor said on Monday that the bridge would reopen.",
                        "date": "0001-01-01", "id": "year1"}),
            json.dumps({"text": "The mayor said on Tuesday that the port would reopen.",
                        "date": "9999-12-31", "id": "year9999"}),
        ]).encode(), None),
        # CSV
        "rows.csv": (('text,title,date\n'
                      '"Police arrested two men on Sunday, the police chief said.",Arrests,'
                      '2025-04-06\n'
                      'only one field\n').encode(), None),
        "nocolumn.csv": (b"body,title\nSomething happened.,Title\n", None),
        "bom.csv": ("\ufefftext,title\n\"The governor said on Friday that schools would "
                    "reopen.\",Schools\n".encode(), None),
        "backslash.csv": (b'text,title\n"The chief said \\"we are ready\\" on Monday.",Ready\n',
                          None),
        "wide.csv": ((",".join(["text"] + [f"c{i}" for i in range(10_000)]) + "\n" +
                      ",".join(["The minister said the plan was approved."] +
                               ["v"] * 10_000) + "\n").encode(), None),
        "long-field.csv": (("text,title\n\"The council said the vote passed.\"," +
                            "t" * 200_000 + "\n").encode(), None),
        # names
        "with space.txt": (good("space").encode(), ARTICLE),
        "new\nline.txt": (good("newline").encode(), ARTICLE),
        "-leading-dash.txt": (good("dash").encode(), ARTICLE),
        "n" * 251 + ".txt": (good("long name").encode(), ARTICLE),
        "caf\udce9.txt": (good("latin-1 name").encode(),
                          ("read", "file name is not valid UTF-8")),
        "formula.txt": (good("formula").encode(), ARTICLE),
        # the filesystem
        "dangling.txt": ("link:no-such-file.txt", ("read", "dangling symbolic link")),
        "loop-a.txt": ("link:loop-b.txt", ("read", "symbolic link loop")),
        "loop-b.txt": ("link:loop-a.txt", ("read", "symbolic link loop")),
        "device.txt": ("link:/dev/null", ("read", "not a regular file")),
        "pipe.txt": ("fifo", ("read", "not a regular file")),
        "folder.txt/inner.txt": (good("inner").encode(), ARTICLE),
        "empty-folder.txt": ("folder", ("read", "empty folder")),
        "locked.txt": ("chmod000", ARTICLE if os.geteuid() == 0 else ("read", "unreadable file")),
    }


# What the record files above must give, by source_path suffix.
RECORD_OUTCOMES = {
    "records.jsonl#id=r1": ARTICLE,
    "records.jsonl#line=2": ("read", "malformed JSON line"),
    "records.jsonl#line=3": ("read", "malformed JSON line"),
    "records.jsonl#line=4": ("read", "record has no text"),
    "records.jsonl#id=r5": ARTICLE,
    "records.jsonl#line=6": ("read", "record has no text"),
    "records.jsonl#line=7": ("read", "record has no text"),
    "records.jsonl#line=8": ("read", "record has no text"),
    "records.jsonl#line=9": ("read", "malformed JSON line"),
    "records.jsonl#line=10": ("read", "malformed JSON line"),
    "records.jsonl#id=\ufffdx": ARTICLE,
    "records.jsonl#id=year1": ARTICLE,
    "records.jsonl#id=year9999": ARTICLE,
    "rows.csv#row=1": ARTICLE,
    "rows.csv#row=2": ("read", "malformed CSV row"),
    "nocolumn.csv#row=0": ("read", "no text column"),
    "bom.csv#row=1": ARTICLE,
    "backslash.csv#row=1": ARTICLE,
    "wide.csv#row=1": ARTICLE,
    "long-field.csv#row=1": ARTICLE,
}

# Errors that come from the metadata file rather than from one input.
METADATA_OUTCOMES = {
    "border-talks.txt": ("metadata", "unparseable date"),
    "records.jsonl#id=r5": ("metadata", "unparseable date"),
    "mining-strike.txt": ("metadata", "duplicate metadata row; first one used"),
    "ghost.txt": ("metadata", "metadata row matches no input file"),
    "../../etc/passwd": ("metadata", "metadata row matches no input file"),
}

FORMULA_TITLE = "=cmd|' /C calc'!A0"


def write_hostile_folder(root: pathlib.Path, examples_dir: pathlib.Path
                         ) -> tuple[pathlib.Path, pathlib.Path]:
    """The hostile inputs and the example articles in ``root/in``, and a
    metadata file; returns both paths."""
    folder = root / "in"
    folder.mkdir()
    for path in (examples_dir / "articles").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    bombs = _bombs()
    for name, (data, _) in kinds(examples_dir).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if data == "bomb":
            path.write_bytes(bombs[name])
        elif data == "fifo":
            os.mkfifo(path)
        elif data == "folder":
            path.mkdir()
        elif data == "chmod000":
            path.write_bytes(good("locked").encode())
            path.chmod(0)
        elif isinstance(data, str) and data.startswith("link:"):
            os.symlink(data[5:], path)
        else:
            path.write_bytes(data)
    metadata = root / "metadata.csv"
    metadata.write_text(
        "file,published_date,source,title,url\n"
        "port-deal.txt,2025-03-12,Tidings Wire,Deal,https://example.org/1\n"
        "border-talks.txt,the day after,Tidings Wire,Talks,https://example.org/2\n"
        "mining-strike.txt,2025-09-20,Tidings Wire,Strike,https://example.org/3\n"
        "mining-strike.txt,2025-09-21,Other Wire,Strike again,https://example.org/4\n"
        "ghost.txt,2025-01-01,Tidings Wire,Missing,https://example.org/5\n"
        "../../etc/passwd,2025-01-01,Evil,Passwords,https://example.org/6\n"
        f"formula.txt,2025-01-02,\"=HYPERLINK(\"\"x\"\")\",\"{FORMULA_TITLE}\",u\n",
        encoding="utf-8")
    return folder, metadata
