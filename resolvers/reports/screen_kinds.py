"""The screens' files as report jobs: each screen's XLSX and CSV (`resolvers/exports/*_files`)
and its printed pages (`resolvers/printing/`), with the screen's own arguments. `check` reads
the screen once as its query would (the same refusals); `produce` reads it again in the job's
snapshot and writes the file. A screen's CSV is its first sheet, as `csv` gives it by default,
in Excel's Russian dialect."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO, TypeVar

from sqlalchemy import select

import model as m
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.exports import (
    activity_rating_files,
    class_journal_files,
    grade_grid_files,
    journal_control_files,
    school_overview_files,
    summary_statement_files,
)
from resolvers.exports.sheets import Sheet, csv_of, xlsx
from resolvers.printing import diary_pages, journal_pages
from resolvers.reports.kinds import (
    XLSX,
    Progress,
    ReportKind,
    StatementsArguments,
    check_statements,
    read_statements,
    register,
)
from resolvers.screens.diary import diary_week
from resolvers.screens.journal_cells import period_dates, require_visible
from resolvers.screens.journal_control import ControlFilter

A = TypeVar("A")
CSV = "text/csv; charset=utf-8"


async def _school_of(ctx: Context, entity: Any, row_id: int) -> int:
    found = await ctx.db.session.get(entity, row_id)
    return 0 if found is None else int(found.school_id)


def _sheets_kinds(
    name: str,
    title: str,
    reads: tuple[Resource, ...],
    arguments: type[A],
    check: Callable[[Context, A], Awaitable[tuple[int, A]]],
    sheets: Callable[[Context, A], Awaitable[list[Sheet]]],
    file_stem: Callable[[A], str],
) -> None:
    """A screen's XLSX and CSV kinds: `<name>_xlsx`, `<name>_csv`."""

    async def as_xlsx(ctx: Context, a: A, out: BinaryIO, progress: Progress) -> None:
        progress(0, 1)
        out.write(xlsx(await sheets(ctx, a)))
        progress(1, 1)

    async def as_csv(ctx: Context, a: A, out: BinaryIO, progress: Progress) -> None:
        progress(0, 1)
        out.write(csv_of(await sheets(ctx, a), 1))
        progress(1, 1)

    def named(suffix: str) -> Callable[[A], str]:
        return lambda a: f"{file_stem(a)}.{suffix}"

    for suffix, media_type, produce in (("xlsx", XLSX, as_xlsx), ("csv", CSV, as_csv)):
        register(
            ReportKind(
                name=f"{name}_{suffix}", title=f"{title} ({suffix.upper()})", reads=reads,
                arguments=arguments, media_type=media_type, file_name=named(suffix),
                check=check, produce=produce,
            )
        )  # fmt: skip


# The grade grid: a group's subject in a period (`gradeGrid`).


@dataclass(frozen=True)
class GridArguments:
    group_id: int
    subject_id: int
    period_id: int


async def _check_grid(ctx: Context, a: GridArguments) -> tuple[int, GridArguments]:
    await grade_grid_files.read(ctx, a.group_id, a.subject_id, a.period_id)
    return await _school_of(ctx, m.Group, a.group_id), a


async def _grid_sheets(ctx: Context, a: GridArguments) -> list[Sheet]:
    answer = await grade_grid_files.read(ctx, a.group_id, a.subject_id, a.period_id)
    return await grade_grid_files.grade_grid_sheets(ctx, answer)


def _grid_stem(a: GridArguments) -> str:
    return f"Журнал {a.group_id}-{a.subject_id}-{a.period_id}"


_sheets_kinds("grade_grid", "Журнал успеваемости", (Resource.GRADE,), GridArguments,
              _check_grid, _grid_sheets, _grid_stem)  # fmt: skip


async def _check_grid_pages(ctx: Context, a: GridArguments) -> tuple[int, GridArguments]:
    journal_pages.require_printing(ctx)
    return await _check_grid(ctx, a)


async def _grid_pages(ctx: Context, a: GridArguments, out: BinaryIO, progress: Progress) -> None:
    progress(0, 1)
    out.write(await journal_pages.subject_journal_pdf(ctx, a.group_id, a.subject_id, a.period_id))
    progress(1, 1)


register(
    ReportKind(
        name="grade_grid_pdf", title="Страницы журнала по предмету (PDF)",
        reads=(Resource.JOURNAL_PAGE, Resource.GRADE), arguments=GridArguments,
        media_type="application/pdf", file_name=lambda a: f"{_grid_stem(a)}.pdf",
        check=_check_grid_pages, produce=_grid_pages,
    )
)  # fmt: skip


# The class journal: a class's days (`classJournal`), and its pages in a period
# (`classJournalPages`).


@dataclass(frozen=True)
class ClassDaysArguments:
    class_id: int
    date_from: date
    date_to: date


async def _check_class_days(ctx: Context, a: ClassDaysArguments) -> tuple[int, ClassDaysArguments]:
    await class_journal_files.read(ctx, a.class_id, a.date_from, a.date_to)
    return await _school_of(ctx, m.SchoolClass, a.class_id), a


async def _class_days_sheets(ctx: Context, a: ClassDaysArguments) -> list[Sheet]:
    answer = await class_journal_files.read(ctx, a.class_id, a.date_from, a.date_to)
    return await class_journal_files.class_journal_sheets(ctx, answer)


_sheets_kinds(
    "class_journal", "Классный журнал", (Resource.LESSON,), ClassDaysArguments,
    _check_class_days, _class_days_sheets,
    lambda a: f"Классный журнал {a.class_id} {a.date_from}–{a.date_to}",
)  # fmt: skip


@dataclass(frozen=True)
class ClassPeriodArguments:
    class_id: int
    period_id: int


async def _check_class_pages(
    ctx: Context, a: ClassPeriodArguments
) -> tuple[int, ClassPeriodArguments]:
    journal_pages.require_printing(ctx)  # and the class and period, as `classJournalPages`
    await require_visible(ctx, {m.SchoolClass: a.class_id}, *period_dates(ctx, a.period_id))
    return await _school_of(ctx, m.SchoolClass, a.class_id), a


async def _class_pages(
    ctx: Context, a: ClassPeriodArguments, out: BinaryIO, progress: Progress
) -> None:
    progress(0, 1)
    out.write(await journal_pages.class_journal_pdf(ctx, a.class_id, a.period_id))
    progress(1, 1)


register(
    ReportKind(
        name="class_journal_pages_pdf", title="Классный журнал за период (PDF)",
        reads=(Resource.JOURNAL_PAGE, Resource.LESSON), arguments=ClassPeriodArguments,
        media_type="application/pdf",
        file_name=lambda a: f"Классный журнал {a.class_id}-{a.period_id}.pdf",
        check=_check_class_pages, produce=_class_pages,
    )
)  # fmt: skip


# A student's diary weeks (`diaryWeek { pdf }`).


@dataclass(frozen=True)
class DiaryArguments:
    student_id: int
    week_of: date


async def _student_school(ctx: Context, student_id: int) -> int:
    school = await ctx.db.scalar(
        select(m.SchoolClass.school_id)
        .join(m.ClassStudent, m.ClassStudent.school_class_id == m.SchoolClass.id)
        .where(m.ClassStudent.student_id == student_id)
        .order_by(m.ClassStudent.id.desc())
        .limit(1)
    )
    return int(school or 0)


async def _check_diary(ctx: Context, a: DiaryArguments) -> tuple[int, DiaryArguments]:
    await diary_week(ctx, a.student_id, a.week_of)
    return await _student_school(ctx, a.student_id), a


async def _diary(ctx: Context, a: DiaryArguments, out: BinaryIO, progress: Progress) -> None:
    progress(0, 1)
    out.write(await diary_pages.diary_pages_pdf(ctx, a.student_id, a.week_of))
    progress(1, 1)


register(
    ReportKind(
        name="diary_week_pdf", title="Дневник за неделю (PDF)", reads=(Resource.LESSON,),
        arguments=DiaryArguments, media_type="application/pdf",
        file_name=lambda a: f"Дневник {a.student_id} {a.week_of}.pdf",
        check=_check_diary, produce=_diary,
    )
)  # fmt: skip


# Journal control and the activity rating (the head's and the municipality's reports).


async def _check_control(ctx: Context, a: ControlFilter) -> tuple[int, ControlFilter]:
    await journal_control_files.read(ctx, a)
    return a.school_id, a


async def _control_sheets(ctx: Context, a: ControlFilter) -> list[Sheet]:
    answer = await journal_control_files.read(ctx, a)
    return await journal_control_files.journal_control_sheets(ctx, answer)


_sheets_kinds(
    "journal_control", "Контроль ведения журнала", (Resource.JOURNAL_CONTROL,), ControlFilter,
    _check_control, _control_sheets, lambda a: f"Контроль журнала {a.school_id}",
)  # fmt: skip


@dataclass(frozen=True)
class RatingArguments:
    school_id: int | None = None
    municipality_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


async def _rating(ctx: Context, a: RatingArguments) -> activity_rating_files.ActivityRatingAnswer:
    return await activity_rating_files.read(
        ctx, a.school_id, a.municipality_id, a.date_from, a.date_to
    )


async def _check_rating(ctx: Context, a: RatingArguments) -> tuple[int, RatingArguments]:
    answer = await _rating(ctx, a)
    schools = [row.school_id for row in answer.rows] if a.school_id is None else [a.school_id]
    return (schools[0] if schools else 0), a


async def _rating_sheets(ctx: Context, a: RatingArguments) -> list[Sheet]:
    return await activity_rating_files.activity_rating_sheets(ctx, await _rating(ctx, a))


_sheets_kinds(
    "activity_rating", "Рейтинг активности", (Resource.JOURNAL_CONTROL,), RatingArguments,
    _check_rating, _rating_sheets, lambda a: "Рейтинг активности",
)  # fmt: skip


# The school overview (`schoolOverview`) and the summary statements' tables.


@dataclass(frozen=True)
class OverviewArguments:
    school_id: int
    period_id: int


async def _check_overview(ctx: Context, a: OverviewArguments) -> tuple[int, OverviewArguments]:
    await school_overview_files.read(ctx, a.school_id, a.period_id)
    return a.school_id, a


async def _overview_sheets(ctx: Context, a: OverviewArguments) -> list[Sheet]:
    answer = await school_overview_files.read(ctx, a.school_id, a.period_id)
    return await school_overview_files.school_overview_sheets(ctx, answer)


_sheets_kinds(
    "school_overview", "Сводка по школе", (Resource.GRADE,), OverviewArguments,
    _check_overview, _overview_sheets, lambda a: f"Сводка по школе {a.period_id}",
)  # fmt: skip


async def _statement_sheets(ctx: Context, a: StatementsArguments) -> list[Sheet]:
    return await summary_statement_files.summary_statement_sheets(
        ctx, await read_statements(ctx, a)
    )


_sheets_kinds(
    "summary_statements", "Сводная ведомость", (Resource.GRADE,), StatementsArguments,
    check_statements, _statement_sheets,
    lambda a: f"Сводная ведомость {a.date_from}–{a.date_to}",
)  # fmt: skip
