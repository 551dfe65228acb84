"""Dates from the wild ("5 March 2024", "Tue, 05 Mar 2024 10:00 GMT") to ISO-8601.

A date is kept only if the input names a day: "May 2024" is refused rather than
silently becoming the 1st of May, because quotes are dated from their article.
"""
from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as _parser

# Two different defaults reveal which parts the input really gave: a part that
# changes with the default was missing.
_D1 = dt.datetime(1, 1, 1, 0, 0, 0)
_D2 = dt.datetime(2, 2, 2, 1, 1, 1)
# 05.03.2024 is the 5th of March wherever dots are written; slashes stay month first (US).
_DOTTED = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{2,4}\b")


class BadDate(ValueError):
    pass


def normalize_date(value: str | None) -> str | None:
    """ISO date ("2024-03-05"), or datetime when a time is given; None for empty input.

    Raises BadDate for text that is not a full date.
    """
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    try:
        dayfirst = bool(_DOTTED.match(value))
        a = _parser.parse(value, default=_D1, dayfirst=dayfirst)
        b = _parser.parse(value, default=_D2, dayfirst=dayfirst)
    except (ValueError, OverflowError) as e:
        raise BadDate(f"not a date: {value!r}") from e
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        raise BadDate(f"not a full date (year, month and day): {value!r}")
    if (a.hour, a.minute) != (b.hour, b.minute):
        return a.date().isoformat()
    if a.second != b.second:
        a = a.replace(second=0)
    return a.isoformat(timespec="seconds")
