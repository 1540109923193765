"""Building an ``Article`` from decoded text: surrogates scrubbed, mojibake
repaired (ftfy), the text hashed into the article's id, the dateline read.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
from typing import Optional

import ftfy

from tidings.inputs.record_files import scrub_surrogates
from tidings.nlp.model import find_dateline
from tidings.schemas import Article


def content_hash(text: str) -> str:
    """The sha256 of an article's text, in hex: the article's identity."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_FIXER = ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC", explain=True)


# Text of only these characters has nothing for ftfy to repair, and checking
# is about 100 times faster than ftfy. Mojibake is UTF-8 read in a one-byte
# code page: a lead byte's character followed by continuation bytes'. The
# set holds leads of MacRoman (curly quotes, dashes, the ellipsis, no-break
# space) but no continuation of any code page ftfy knows († and • are left
# out), and no lead of cp1252, latin-1 or cp1251 (letters). ASCII is already
# NFC; '&' (HTML entities) and control characters are left out.
_NOTHING_TO_REPAIR = re.compile(r"[\t\n\x20-\x25\x27-\x7e\xa0\u2010-\u201f\u2026]*")


def repair_text(text: str) -> tuple[str, Optional[str]]:
    """Text with mojibake and stray control characters repaired and
    Unicode normalised (NFC), and the names of the repairs made.

    Curly quotation marks are kept: the claim finder reads their direction.
    Records' offsets point into the repaired text, which is the text stored.
    """
    if _NOTHING_TO_REPAIR.fullmatch(text):
        return text, None
    fixed, explanation = ftfy.fix_and_explain(text, config=_FIXER)
    steps = [step for _, step in explanation or []]
    if fixed == text:
        return text, None
    return fixed, ",".join(dict.fromkeys(steps)) or "normalized"


def make_article(path: str, text: str, title: Optional[str] = None,
                 source: Optional[str] = None, url: Optional[str] = None,
                 published: Optional[datetime.date] = None) -> Article:
    """An Article from decoded text and the record's own metadata.

    Lone surrogates (JSON's ``"\\ud83d"``) become U+FFFD in every field.
    The text is repaired (``repair_text``); its dateline gives the
    location (and, later, the source when nothing else names one:
    ``with_dateline_source``).
    """
    path, title, source, url = (None if value is None else scrub_surrogates(value)
                                for value in (path, title, source, url))
    text, repairs = repair_text(scrub_surrogates(text))
    digest = content_hash(text)
    dateline = find_dateline(text)
    agency = dateline.agency if dateline else None
    return Article(article_id=digest[:20], source_path=path, title=title,
                   source=source, url=url, published_date=published,
                   text=text, content_hash=digest,
                   dateline_location=dateline.location if dateline else None,
                   dateline_source=agency, text_repairs=repairs)


def with_dateline_source(article: Article) -> Article:
    """The article with its dateline's agency as source, when neither the
    record nor the sidecar named one (the text is the least trusted)."""
    if article.source or not article.dateline_source:
        return article
    return dataclasses.replace(article, source=article.dateline_source)
