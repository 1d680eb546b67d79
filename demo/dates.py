"""The school year around a date: quarters and halves, holidays and days off, school days and
the bell schedules."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from model import PeriodKind

SCHOOL_TZ = ZoneInfo("Europe/Moscow")
# The demo schools study five days a week (School.week_length): the curriculum's hours are those
# of the five-day plan, and first graders may not study on Saturdays at all (СанПиН).
WEEK_LENGTH = 5

Bells = tuple[tuple[int, time, time], ...]

# 45-minute lessons; the long breaks after the 2nd, 3rd and 4th lessons are meal breaks.
MAIN_BELLS: Bells = (
    (1, time(8, 30), time(9, 15)),
    (2, time(9, 25), time(10, 10)),
    (3, time(10, 25), time(11, 10)),
    (4, time(11, 30), time(12, 15)),
    (5, time(12, 30), time(13, 15)),
    (6, time(13, 25), time(14, 10)),
    (7, time(14, 20), time(15, 5)),
    (8, time(15, 15), time(16, 0)),
)
# First graders have 35-minute lessons and a 40-minute dynamic pause after the 2nd one
# (СанПиН 1.2.3685-21). Each lesson overlaps only the main schedule's lesson of the same
# number, so a teacher free at a bell number in one schedule is free at it in the other.
FIRST_GRADE_BELLS: Bells = (
    (1, time(8, 30), time(9, 5)),
    (2, time(9, 20), time(9, 55)),
    (3, time(10, 35), time(11, 10)),
    (4, time(11, 25), time(12, 0)),
    (5, time(12, 15), time(12, 50)),
)
MAIN_SCHEDULE = "Основное расписание"
FIRST_GRADE_SCHEDULE = "Расписание звонков для 1-х классов"
BELL_SCHEDULES: dict[str, Bells] = {
    MAIN_SCHEDULE: MAIN_BELLS,
    FIRST_GRADE_SCHEDULE: FIRST_GRADE_BELLS,
}


def bell_schedule_for(parallel: int) -> str:
    return FIRST_GRADE_SCHEDULE if parallel == 1 else MAIN_SCHEDULE


# Non-working public holidays (Трудовой кодекс РФ, ст. 112).
_PUBLIC_HOLIDAYS: tuple[tuple[int, int, str], ...] = (
    *((1, day, "Новогодние каникулы") for day in (1, 2, 3, 4, 5, 6, 8)),
    (1, 7, "Рождество Христово"),
    (2, 23, "День защитника Отечества"),
    (3, 8, "Международный женский день"),
    (5, 1, "Праздник Весны и Труда"),
    (5, 9, "День Победы"),
    (6, 12, "День России"),
    (11, 4, "День народного единства"),
)
# A holiday other than the New Year ones that falls on a weekend gives the next working day off
# (ст. 112), unless the government's yearly decree moves that day off elsewhere. The decrees
# known here: (the new day off, the day it comes from: a weekend day that fell on a holiday, or
# a Saturday made a working day). Other years get the rule alone, and New Year holidays on a
# weekend give no day off elsewhere. Working Saturdays do not matter to a five-day school.
_DECREES: dict[int, tuple[tuple[date, date], ...]] = {
    2024: (
        (date(2024, 4, 29), date(2024, 4, 27)),
        (date(2024, 4, 30), date(2024, 11, 2)),
        (date(2024, 5, 10), date(2024, 1, 6)),
        (date(2024, 12, 30), date(2024, 12, 28)),
        (date(2024, 12, 31), date(2024, 1, 7)),
    ),
    2025: (
        (date(2025, 5, 2), date(2025, 1, 4)),
        (date(2025, 5, 8), date(2025, 2, 23)),
        (date(2025, 6, 13), date(2025, 3, 8)),
        (date(2025, 11, 3), date(2025, 11, 1)),
        (date(2025, 12, 31), date(2025, 1, 5)),
    ),
    2026: (
        (date(2026, 1, 9), date(2026, 1, 3)),
        (date(2026, 12, 31), date(2026, 1, 4)),
    ),
}
_GENITIVE_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


def _moved_from(day: date) -> str:
    return f"Выходной день (перенесён с {day.day} {_GENITIVE_MONTHS[day.month - 1]})"


def days_off_in(year: int) -> dict[date, str]:
    """The public holidays of a calendar year, on whatever weekday they fall, and the weekdays
    given off in place of weekend days, with their names."""
    days: dict[date, str] = {}
    for month, day, name in _PUBLIC_HOLIDAYS:
        days[date(year, month, day)] = name
    decree = _DECREES.get(year, ())
    sources = {source for _, source in decree}
    for day_off, source in decree:
        days[day_off] = _moved_from(source)
    for month, day, _ in _PUBLIC_HOLIDAYS:
        holiday = date(year, month, day)
        if month == 1 or holiday.weekday() < 5 or holiday in sources:
            continue
        moved = holiday + timedelta(days=1)
        while moved.weekday() >= 5 or moved in days:
            moved += timedelta(days=1)
        days[moved] = _moved_from(holiday)
    return days


@dataclass(frozen=True)
class Term:
    kind: PeriodKind
    number: int
    name: str
    starts_on: date
    ends_on: date


def _in_quarters(day: date, quarters: tuple[Term, ...]) -> bool:
    return any(q.starts_on <= day <= q.ends_on for q in quarters)


@dataclass(frozen=True)
class SchoolCalendar:
    name: str
    starts_on: date
    ends_on: date
    week_length: int
    quarters: tuple[Term, ...]
    halves: tuple[Term, ...]
    # The holidays and moved days off that fall on a school weekday inside a quarter: the
    # school's DayOff rows, and the days without lessons besides weekends and vacations.
    days_off: Mapping[date, str]

    def is_school_day(self, day: date) -> bool:
        if day.isoweekday() > self.week_length or day in self.days_off:
            return False
        return _in_quarters(day, self.quarters)

    def school_days(self, first: date, last: date) -> list[date]:
        days: list[date] = []
        day = first
        while day <= last:
            if self.is_school_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def terms(self, kind: PeriodKind) -> tuple[Term, ...]:
        if kind is PeriodKind.QUARTER:
            return self.quarters
        if kind is PeriodKind.HALF:
            return self.halves
        raise ValueError(f"the demo calendar has no {kind} periods")

    def term_of(self, kind: PeriodKind, day: date) -> Term | None:
        for term in self.terms(kind):
            if term.starts_on <= day <= term.ends_on:
                return term
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


def school_calendar(today: date, week_length: int = WEEK_LENGTH) -> SchoolCalendar:
    """The school year that contains `today`; in summer, the year that has just ended."""
    year = today.year if today.month >= 9 else today.year - 1
    start = date(year, 9, 1)
    # Nine-day autumn and spring holidays start on a Saturday; winter ones run into January.
    autumn = _saturday_between(year, 10, 24)
    winter_end = _monday_on_or_after(date(year + 1, 1, 9))
    spring = _saturday_between(year + 1, 3, 22)
    quarter = PeriodKind.QUARTER
    quarters = (
        Term(quarter, 1, "1 четверть", start, autumn - timedelta(days=1)),
        Term(
            quarter,
            2,
            "2 четверть",
            autumn + timedelta(days=9),
            _weekday_on_or_before(date(year, 12, 28)),
        ),
        Term(quarter, 3, "3 четверть", winter_end, spring - timedelta(days=1)),
        Term(
            quarter,
            4,
            "4 четверть",
            spring + timedelta(days=9),
            _weekday_on_or_before(date(year + 1, 5, 26)),
        ),
    )
    # Classes graded by halves (10–11) share the quarters' vacations.
    halves = (
        Term(PeriodKind.HALF, 1, "1 полугодие", quarters[0].starts_on, quarters[1].ends_on),
        Term(PeriodKind.HALF, 2, "2 полугодие", quarters[2].starts_on, quarters[3].ends_on),
    )
    holidays = days_off_in(year) | days_off_in(year + 1)
    days_off = {
        day: holidays[day]
        for day in sorted(holidays)
        if day.isoweekday() <= week_length and _in_quarters(day, quarters)
    }
    return SchoolCalendar(
        name=f"{year}/{year + 1}",
        starts_on=start,
        ends_on=date(year + 1, 5, 31),
        week_length=week_length,
        quarters=quarters,
        halves=halves,
        days_off=MappingProxyType(days_off),
    )


def at(day: date, moment: time) -> datetime:
    """A school-local wall-clock moment as a UTC timestamp."""
    return datetime.combine(day, moment, tzinfo=SCHOOL_TZ).astimezone(UTC)
