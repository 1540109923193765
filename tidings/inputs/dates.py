"""Publication dates as records and metadata write them: ISO, RFC 2822, or
written out; numeric dates month first unless ``--day-first``.
"""
from __future__ import annotations

import datetime
import email.utils
from typing import Optional

import dateutil.parser


def parse_date(value: Optional[str], day_first: bool = False) -> Optional[datetime.date]:
    """A publication date from text: ISO (``2017-11-01``, or a timestamp),
    RFC 2822 (``Sun, 31 Dec 2017 10:00:00 GMT``) or written out
    (``December 31, 2017``). Numeric dates like 01/02/2017 are read month
    first, or day first with ``day_first``.

    Returns None for an empty value.

    Raises:
        ValueError: the text is not a date.
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        parsed = dateutil.parser.parse(text, default=datetime.datetime(1, 1, 1),
                                       dayfirst=day_first)
    except (ValueError, OverflowError):
        raise ValueError(f"date {value!r} is not a date tidings can read") from None
    if parsed.year == 1:
        raise ValueError(f"date {value!r} has no year")
    return parsed.date()
