"""Time in one place: now in UTC, today and now in Denmark, and the one stored format.

Timestamps are stored as UTC text in one format, `2026-12-04T19:30:00Z`, the same as SQLite's
own `strftime('%Y-%m-%dT%H:%M:%SZ', 'now')` column defaults, so stored values compare as text.
Deadlines and meeting times are Danish days and local times (Europe/Copenhagen). Tests may
freeze the clock with `frozen()`.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from functools import cache
from zoneinfo import ZoneInfo

import holidays

TZ = ZoneInfo("Europe/Copenhagen")
STORED = "%Y-%m-%dT%H:%M:%SZ"
_frozen: datetime.datetime | None = None


def now() -> datetime.datetime:
    """Now, in UTC, to the second."""
    moment = _frozen or datetime.datetime.now(datetime.UTC)
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


def stamp(moment: datetime.datetime | None = None) -> str:
    """A moment (now by default) as stored: UTC text, e.g. 2026-12-04T19:30:00Z."""
    return (moment or now()).astimezone(datetime.UTC).strftime(STORED)


def parse(text: str) -> datetime.datetime:
    """A stored timestamp back as an aware UTC datetime (older rows may end in +00:00)."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(datetime.UTC)


def day_of(text: str | None) -> datetime.date | None:
    """The Danish calendar day of a stored timestamp (a plain date passes through); None for
    None."""
    if not text:
        return None
    if len(text) == 10:
        return datetime.date.fromisoformat(text)
    return parse(text).astimezone(TZ).date()


def now_local() -> datetime.datetime:
    """Now in Denmark, to the second."""
    return now().astimezone(TZ)


def today() -> datetime.date:
    """Today in Denmark (deadlines are counted in Danish days, whatever the server's zone)."""
    return now_local().date()


@cache
def _danish_holidays(year: int) -> frozenset[datetime.date]:
    """Denmark's public holidays (helligdage) in a year, from the maintained `holidays` package.

    Only the official helligdage: not grundlovsdag, 24 or 31 December, which are days off for
    many but not public holidays; a deadline is moved only where the rule clearly says so.
    """
    return frozenset(holidays.country_holidays("DK", years=year))


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not a Danish public holiday."""
    return day.weekday() < 5 and day not in _danish_holidays(day.year)


def next_working_day(day: datetime.date) -> datetime.date:
    """The day itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


@contextlib.contextmanager
def frozen(moment: datetime.datetime) -> Iterator[None]:
    """Stop the clock at this (aware) moment, for tests."""
    global _frozen
    before, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = before
