"""The school year around a date: quarters, holidays, school days and the bell schedule."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SCHOOL_TZ = ZoneInfo("Europe/Moscow")

# 45-minute lessons; the long breaks after the 2nd, 3rd and 4th lessons are meal breaks.
BELLS: tuple[tuple[int, time, time], ...] = (
    (1, time(8, 30), time(9, 15)),
    (2, time(9, 25), time(10, 10)),
    (3, time(10, 25), time(11, 10)),
    (4, time(11, 30), time(12, 15)),
    (5, time(12, 30), time(13, 15)),
    (6, time(13, 25), time(14, 10)),
    (7, time(14, 20), time(15, 5)),
    (8, time(15, 15), time(16, 0)),
)
BELL_COUNT = len(BELLS)

# Public holidays that fall in term time; a holiday on a weekend moves to the Monday after.
_PUBLIC_HOLIDAYS = ((11, 4), (2, 23), (3, 8), (5, 1), (5, 9))


@dataclass(frozen=True)
class Term:
    number: int
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class SchoolCalendar:
    name: str
    starts_on: date
    ends_on: date
    quarters: tuple[Term, ...]
    holidays: frozenset[date]

    def is_school_day(self, day: date) -> bool:
        if day.weekday() >= 5 or day in self.holidays:
            return False
        return any(q.starts_on <= day <= q.ends_on for q in self.quarters)

    def school_days(self, first: date, last: date) -> list[date]:
        days: list[date] = []
        day = first
        while day <= last:
            if self.is_school_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def quarter_of(self, day: date) -> Term | None:
        for quarter in self.quarters:
            if quarter.starts_on <= day <= quarter.ends_on:
                return quarter
        return None


def _saturday_between(year: int, month: int, first_day: int) -> date:
    day = date(year, month, first_day)
    return day + timedelta(days=(5 - day.weekday()) % 7)


def _weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def school_calendar(today: date) -> SchoolCalendar:
    """The school year that contains `today`; in summer, the year that has just ended."""
    year = today.year if today.month >= 9 else today.year - 1
    start = date(year, 9, 1)
    # Nine-day autumn and spring holidays start on a Saturday; winter ones run into January.
    autumn = _saturday_between(year, 10, 24)
    winter_end = _monday_on_or_after(date(year + 1, 1, 9))
    spring = _saturday_between(year + 1, 3, 22)
    quarters = (
        Term(1, "1 четверть", start, autumn - timedelta(days=1)),
        Term(
            2, "2 четверть", autumn + timedelta(days=9), _weekday_on_or_before(date(year, 12, 28))
        ),
        Term(3, "3 четверть", winter_end, spring - timedelta(days=1)),
        Term(
            4,
            "4 четверть",
            spring + timedelta(days=9),
            _weekday_on_or_before(date(year + 1, 5, 26)),
        ),
    )
    holidays: set[date] = set()
    for month, day in _PUBLIC_HOLIDAYS:
        holiday = date(year if month >= 9 else year + 1, month, day)
        holidays.add(holiday)
        if holiday.weekday() >= 5:
            holidays.add(_monday_on_or_after(holiday))
    return SchoolCalendar(
        name=f"{year}/{year + 1}",
        starts_on=start,
        ends_on=date(year + 1, 5, 31),
        quarters=quarters,
        holidays=frozenset(holidays),
    )


def at(day: date, moment: time) -> datetime:
    """A school-local wall-clock moment as a UTC timestamp."""
    return datetime.combine(day, moment, tzinfo=SCHOOL_TZ).astimezone(UTC)


def bell_times(number: int) -> tuple[time, time]:
    _, start, end = BELLS[number - 1]
    return start, end
