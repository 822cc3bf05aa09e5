"""Reporting periods: ISO weeks, months, quarters, years and custom ranges.

A :class:`Period` is a half-open range of local calendar days ``[start, end)``. Period boundaries
are applied in the client's time zone (see :meth:`Period.utc_bounds`), so a post published at
23:30 UTC on 31 October belongs to November for a client in Paris.

>>> p = parse_period("2026-10")
>>> p.previous().label, p.last_year().label
('2026-09', '2025-10')
>>> parse_period("2026-W53").last_year().label  # 2025 has no ISO week 53
'2025-W52'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from .exceptions import ParameterError

__all__ = ["FREQUENCIES", "Period", "parse_period", "period_of", "periods_between"]

#: Period kinds usable as a frequency for series and targets.
FREQUENCIES: tuple[str, ...] = ("week", "month", "quarter", "year")

_EXPECTED = "look like 2026-10, 2026-W43, 2026-Q3, 2026 or 2026-10-01..2026-10-15"
_RE_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RE_WEEK = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)
_RE_QUARTER = re.compile(r"^(\d{4})-Q(\d)$", re.IGNORECASE)
_RE_YEAR = re.compile(r"^(\d{4})$")
_RE_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|/)\s*(\d{4}-\d{2}-\d{2})$")


def _weeks_in_iso_year(year: int) -> int:
    return date(year, 12, 28).isocalendar()[1]


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: local days ``start`` (included) to ``end`` (excluded).

    Attributes
    ----------
    start : datetime.date
    end : datetime.date
        First day after the period.
    kind : {"week", "month", "quarter", "year", "custom"}
    label : str
        ``2026-W43``, ``2026-10``, ``2026-Q3``, ``2026`` or ``2026-10-01..2026-10-15``.
    """

    start: date
    end: date
    kind: str
    label: str

    def __str__(self) -> str:
        return self.label

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        """Last day included."""
        return self.end - timedelta(days=1)

    def contains(self, day: date) -> bool:
        """True when the local day ``day`` is in the period."""
        return self.start <= day < self.end

    def shift(self, n: int) -> Period:
        """The period ``n`` steps later (earlier when negative), of the same kind and length."""
        if self.kind == "week":
            return period_of("week", self.start + timedelta(weeks=n))
        if self.kind in ("month", "quarter", "year"):
            months = {"month": 1, "quarter": 3, "year": 12}[self.kind] * n
            y, m = divmod(self.start.month - 1 + months, 12)
            return period_of(self.kind, date(self.start.year + y, m + 1, 1))
        length = timedelta(days=self.days * n)
        return _custom(self.start + length, self.end + length)

    def previous(self) -> Period:
        """The period just before, of the same kind and length."""
        return self.shift(-1)

    def last_year(self) -> Period:
        """The same period one year earlier.

        ISO week 53 maps to week 52 when the previous ISO year has no week 53; a custom range
        starting on 29 February starts on 28 February.
        """
        if self.kind == "week":
            y, w, _ = self.start.isocalendar()
            w = min(w, _weeks_in_iso_year(y - 1))
            return parse_period(f"{y - 1}-W{w:02d}")
        if self.kind in ("month", "quarter", "year"):
            return period_of(self.kind, date(self.start.year - 1, self.start.month, 1))
        return _custom(_minus_year(self.start), _minus_year(self.end))

    def history(self, n: int) -> list[Period]:
        """The ``n`` periods ending with this one, oldest first."""
        return [self.shift(-i) for i in range(n - 1, -1, -1)]

    def utc_bounds(self, timezone: str) -> tuple[pd.Timestamp, pd.Timestamp]:
        """UTC instants of local midnight at ``start`` and ``end`` in ``timezone``."""
        tz = _zone(timezone)
        lo = datetime(self.start.year, self.start.month, self.start.day, tzinfo=tz)
        hi = datetime(self.end.year, self.end.month, self.end.day, tzinfo=tz)
        return pd.Timestamp(lo).tz_convert("UTC"), pd.Timestamp(hi).tz_convert("UTC")


def _minus_year(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ParameterError(
            "timezone", timezone, "an IANA time zone such as Europe/Paris"
        ) from None


def _custom(start: date, end: date) -> Period:
    last = end - timedelta(days=1)
    return Period(start, end, "custom", f"{start.isoformat()}..{last.isoformat()}")


def period_of(kind: str, day: date | datetime | pd.Timestamp) -> Period:
    """The period of kind ``kind`` that contains the local day ``day``."""
    if isinstance(day, (datetime, pd.Timestamp)):
        day = day.date()
    if kind == "week":
        y, w, wd = day.isocalendar()
        start = day - timedelta(days=wd - 1)
        return Period(start, start + timedelta(days=7), "week", f"{y}-W{w:02d}")
    if kind == "month":
        start = date(day.year, day.month, 1)
        end = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return Period(start, end, "month", f"{day.year}-{day.month:02d}")
    if kind == "quarter":
        q = (day.month - 1) // 3 + 1
        start = date(day.year, 3 * q - 2, 1)
        end = date(day.year + (q == 4), (3 * q) % 12 + 1, 1)
        return Period(start, end, "quarter", f"{day.year}-Q{q}")
    if kind == "year":
        return Period(date(day.year, 1, 1), date(day.year + 1, 1, 1), "year", str(day.year))
    raise ParameterError("kind", kind, f"one of {', '.join(FREQUENCIES)}")


def parse_period(value: str | Period) -> Period:
    """Parse a period label.

    Parameters
    ----------
    value : str or Period
        ``2026-10`` (month), ``2026-W43`` (ISO week), ``2026-Q3`` (quarter), ``2026`` (year), or
        a custom range of local days ``2026-10-01..2026-10-15`` (both days included).

    Raises
    ------
    ParameterError
        When the label is malformed or names a day, week, month or quarter that does not exist.
    """
    if isinstance(value, Period):
        return value
    if not isinstance(value, str):
        raise ParameterError("period", value, _EXPECTED)
    text = value.strip()
    try:
        if m := _RE_MONTH.match(text):
            y, mo = int(m[1]), int(m[2])
            if not 1 <= mo <= 12:
                raise ValueError
            return period_of("month", date(y, mo, 1))
        if m := _RE_WEEK.match(text):
            y, w = int(m[1]), int(m[2])
            if not 1 <= w <= _weeks_in_iso_year(y):
                raise ParameterError(
                    "period", value, f"an ISO week that exists ({y} has {_weeks_in_iso_year(y)})"
                )
            return period_of("week", date.fromisocalendar(y, w, 1))
        if m := _RE_QUARTER.match(text):
            y, q = int(m[1]), int(m[2])
            if not 1 <= q <= 4:
                raise ValueError
            return period_of("quarter", date(y, 3 * q - 2, 1))
        if m := _RE_YEAR.match(text):
            return period_of("year", date(int(m[1]), 1, 1))
        if m := _RE_RANGE.match(text):
            start, last = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if last < start:
                raise ParameterError("period", value, "a range whose end is not before its start")
            return _custom(start, last + timedelta(days=1))
    except ParameterError:
        raise
    except ValueError:
        pass
    raise ParameterError("period", value, _EXPECTED)


def periods_between(kind: str, first: date, last: date) -> list[Period]:
    """All periods of ``kind`` from the one containing ``first`` to the one containing ``last``."""
    out = [period_of(kind, first)]
    while out[-1].end <= last:
        out.append(out[-1].shift(1))
    return out
