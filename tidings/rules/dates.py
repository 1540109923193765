"""Time expressions: which are dates (not durations or ages), and the day,
week, month or year each names, resolved against a publication date."""
from __future__ import annotations

import calendar
import datetime
import re
from typing import Optional

from spacy.tokens import Token


_MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name)
           if name}
_MONTHS.update({name.lower(): index
                for index, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
_MONTH_DAY_RE = re.compile(
    r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    r"(?:,?\s+(?P<year>\d{4}))?\b")
_DAY_MONTH_RE = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]{3,9})\.?"
    r"(?:,?\s+(?P<year>\d{4}))?\b")
_MONTH_YEAR_RE = re.compile(r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<year>\d{4})\b")
_YEAR_RE = re.compile(r"\b(?P<year>(?:19|20)\d{2})\b")


def speaks_of_future(token: Token) -> bool:
    """True when a trigger is put in the future: 'will meet', 'are due to
    continue', 'talks are due', 'scheduled for'."""
    for node in (token, token.head):
        for child in node.children:
            if child.dep_ == "aux" and child.lower_ in ("will", "shall", "'ll"):
                return True
            if child.lemma_.lower() in ("due", "scheduled", "set", "expected") and \
                    child.dep_ in ("acomp", "xcomp", "oprd", "advcl"):
                return True
        if node.lemma_.lower() in ("due", "scheduled"):
            return True
    return False


def names_a_day(text: str) -> bool:
    """Whether a text begins with a day: a weekday, "19 December", "Nov. 18"."""
    words = text.lower().split()
    if words and words[0].strip(",.") in _WEEKDAYS:
        return True
    for pattern in (_MONTH_DAY_RE, _DAY_MONTH_RE):
        match = pattern.match(text)
        if match is not None and match.group("month").lower() in _MONTHS:
            return True
    return False


def is_duration(text: str) -> bool:
    """True for DATE phrases that measure time rather than place it:
    'ten years', 'decades', 'weekly', 'a month', 'three-day'."""
    lowered = text.lower()
    if re.search(r"\b(last|this|next|past|previous|coming|early|late|mid)\b", lowered):
        return False
    return bool(re.search(
        r"\b(\w+ly|days?|weeks?|months?|years?|decades?|centur(y|ies)|hours?)\b$",
        lowered)) and not _YEAR_RE.search(text)


_MONTHS_AND_DAYS = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b|"
    r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
_RELATIVE = re.compile(
    r"\b(today|yesterday|tomorrow|tonight|ago|last|next|this|earlier|later|recently|"
    r"previous|coming|past|weekend|overnight)\b", re.IGNORECASE)
_AGE = re.compile(r"\b(\d+[- ]year[- ]old|\d+ years? old|aged \d+)\b", re.IGNORECASE)


def is_time_expression(text: str) -> bool:
    """True for phrases that place a happening in time: "on Friday",
    "Nov. 18", "in 2003", "last month", "earlier today", "20 years ago".
    False for ages ("43", "40-year-old"), durations ("90 minutes", "ten
    years"), counts, and words the recogniser labels DATE that place
    nothing on their own ("annual", "spring", "night", "minutes")."""
    if _AGE.search(text) or is_duration(text):
        return False
    if _YEAR_RE.search(text) or _MONTHS_AND_DAYS.search(text) or _RELATIVE.search(text):
        return True
    return bool(re.search(r"\d{1,2}/\d{1,2}", text))


def resolve_date(text: str, published: Optional[datetime.date],
                 future: bool = False
                 ) -> tuple[Optional[datetime.date], Optional[str], Optional[str]]:
    """Resolve a date expression against an article's publication date.

    Args:
        future: the sentence speaks of what is to come ("will meet on
            Thursday"), so a bare weekday is the next one, not the last.

    Returns (date, precision, reason): precision is 'day', 'week' (the
    Monday of that week), 'month' or 'year' (their first day); when the
    date cannot be resolved, date and precision are None and reason says
    why. A date that falls outside the calendar (counted back from a
    publication date in year 1, or forward from one in 9999) is not
    resolved.
    """
    try:
        return _resolve_date(text, published, future)
    except (OverflowError, ValueError):
        return None, None, f"outside the calendar: {text!r}"


def _resolve_date(text: str, published: Optional[datetime.date], future: bool
                  ) -> tuple[Optional[datetime.date], Optional[str], Optional[str]]:
    lowered = text.lower().strip()
    for regex in (_MONTH_DAY_RE, _DAY_MONTH_RE):
        match = regex.search(text)
        if match and match.group("month").lower() in _MONTHS:
            month = _MONTHS[match.group("month").lower()]
            day = int(match.group("day"))
            year = int(match.group("year")) if match.group("year") else None
            if year is None:
                if published is None:
                    return None, None, "no publication date to give the year"
                year = published.year
                # "Dec. 30" in a January article is last year's.
                if month - published.month > 6:
                    year -= 1
                elif published.month - month > 6:
                    year += 1
            try:
                return datetime.date(year, month, day), "day", None
            except ValueError:
                return None, None, f"no such day: {text!r}"
    match = _MONTH_YEAR_RE.search(text)
    if match and match.group("month").lower() in _MONTHS:
        month = _MONTHS[match.group("month").lower()]
        return datetime.date(int(match.group("year")), month, 1), "month", None
    for name, weekday in _WEEKDAYS.items():
        if re.search(rf"\b{name}\b", lowered):
            if published is None:
                return None, None, "weekday with no publication date"
            back = (published.weekday() - weekday) % 7
            if "next" in lowered or future:
                back = back - 7 if back else 0
            return published - datetime.timedelta(days=back), "day", None
    relative = _resolve_relative(lowered, published)
    if relative is not None:
        return relative
    match = _YEAR_RE.search(text)
    if match:
        return datetime.date(int(match.group("year")), 1, 1), "year", None
    for name, month in _MONTHS.items():
        if re.fullmatch(rf"(?:in |of |this |last |next )?{name}\.?", lowered):
            if published is None:
                return None, None, "month with no publication date"
            year = published.year - (1 if month > published.month else 0)
            return datetime.date(year, month, 1), "month", None
    return None, None, f"not a date this resolver knows: {text!r}"


def _resolve_relative(lowered: str, published: Optional[datetime.date]):
    offsets = {
        "today": ("day", 0), "tonight": ("day", 0), "yesterday": ("day", -1),
        "tomorrow": ("day", 1), "last month": ("month", -1),
        "this month": ("month", 0), "next month": ("month", 1),
        "last week": ("week", -1), "this week": ("week", 0),
        "next week": ("week", 1),
        "last year": ("year", -1), "this year": ("year", 0),
        "next year": ("year", 1),
    }
    for phrase, (unit, offset) in offsets.items():
        if re.search(rf"\b{phrase}\b", lowered):
            if published is None:
                return None, None, f"'{phrase}' with no publication date"
            if unit == "day":
                return published + datetime.timedelta(days=offset), "day", None
            if unit == "week":
                monday = published - datetime.timedelta(days=published.weekday())
                return monday + datetime.timedelta(weeks=offset), "week", None
            if unit == "month":
                month_index = published.year * 12 + published.month - 1 + offset
                return (datetime.date(month_index // 12, month_index % 12 + 1, 1),
                        "month", None)
            return datetime.date(published.year + offset, 1, 1), "year", None
    return None
