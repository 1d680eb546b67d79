"""The attestation summary (R-ATTEST-1) as an XLSX workbook, CSV and a PDF: each class's
students × subjects × periods, then the counts and shares per class, parallel and the school (in
the XLSX numbers, to one decimal). The certified PDF prints who generated it, when, and the
checksum of its data."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from resolvers.context import Context
from resolvers.exports.sheets import Cell, Sheet, xlsx
from resolvers.people.names import day, short_name
from resolvers.printing.pdf import render_pdf
from resolvers.screens.attestation import COLUMNS, Section, Summary, Tally

TALLY_HEADER = ("Учащихся", *COLUMNS, "Успеваемость, %", "Качество, %")
# Grade columns in one printed table: a landscape A4 holds about this many beside the names; a
# class with more subjects gets its table in parts, the names repeated.
PRINTED_COLUMNS = 32


Figure = Callable[[Decimal | None], Cell]


def _figure(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _number(value: Decimal | None) -> Cell:
    return value


def _tally(t: Tally, figure: Figure) -> list[Cell]:
    return [len(t.students), *(t.counts[c] for c in COLUMNS), figure(t.success),
            figure(t.quality)]  # fmt: skip


def _grade_headers(summary: Summary) -> list[str]:
    return [f"{name}, {period.name}" for period, _, name in summary.columns]


def _class_rows(summary: Summary, section: Section) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for row in section.students:
        marks = [row.grades.get((p.id, subject), ("", ""))[1] for p, subject, _ in summary.columns]
        rows.append([short_name(row.student), *marks])
    return rows


def _tally_rows(summary: Summary, figure: Figure = _figure) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for section in (*summary.classes, *summary.parallels, summary.whole):
        for subject_id, name in summary.subjects:
            if subject_id in section.subjects:
                rows.append([section.name, name, *_tally(section.subjects[subject_id], figure)])
        rows.append([section.name, "Все предметы", *_tally(section.total, figure)])
    return rows


def _periods(summary: Summary) -> str:
    return ", ".join(period.name for period in summary.periods)


def attestation_sheets(summary: Summary) -> list[Sheet]:
    """A sheet per class, then «Итоги»: the counts and shares."""
    title = (
        f"{summary.school.short_name or summary.school.name}: итоги аттестации, {_periods(summary)}"
    )
    sheets = [
        Sheet(
            title=section.name,
            heading=f"{title}, {section.name} класс",
            header=["Учащийся", *_grade_headers(summary)],
            rows=_class_rows(summary, section),
        )
        for section in summary.classes
    ]
    sheets.append(
        Sheet(
            title="Итоги",
            heading=title,
            header=["Класс, параллель, школа", "Предмет", *TALLY_HEADER],
            rows=_tally_rows(summary, _number),
            frozen_columns=2,
        )
    )
    return sheets


async def attestation_summary_sheets(ctx: Context, summary: Summary) -> list[Sheet]:
    """`attestation_sheets`, called as the other screens' are (`schema.screens.files`)."""
    return attestation_sheets(summary)


def workbook(summary: Summary) -> bytes:
    return xlsx(attestation_sheets(summary))


def _printed_class(summary: Summary, section: Section) -> dict[str, object]:
    """A class's tables as printed: only the subjects the class has a final grade in, each
    heading its periods' columns, in parts of at most `PRINTED_COLUMNS` columns."""
    graded = {subject for row in section.students for _, subject in row.grades}
    subjects = [(subject, name) for subject, name in summary.subjects if subject in graded]
    per_part = max(1, PRINTED_COLUMNS // max(1, len(summary.periods)))
    parts = []
    for first in range(0, len(subjects), per_part):
        chunk = subjects[first : first + per_part]
        rows = [
            [short_name(row.student)]
            + [
                row.grades.get((p.id, subject), ("", ""))[1]
                for subject, _ in chunk
                for p in summary.periods
            ]
            for row in section.students
        ]
        parts.append({"subjects": [name for _, name in chunk], "rows": rows})
    return {"name": section.name, "parts": parts}


async def pdf(
    summary: Summary, *, generated_by: str | None, generated_at: datetime | None
) -> bytes:
    """The summary to print; certified (`generated_by` given) it names who generated it, when,
    and its data's checksum."""
    data = {
        "school": summary.school.name,
        "periods": _periods(summary),
        "columns": list(COLUMNS),
        "period_labels": [str(period.number) for period in summary.periods],
        "classes": [_printed_class(summary, section) for section in summary.classes],
        "tally": [[str(c) for c in row] for row in _tally_rows(summary)],
        "certified": None
        if generated_by is None or generated_at is None
        else {
            "by": generated_by,
            "at": f"{day(generated_at.date())} {generated_at:%H:%M} UTC",
            "checksum": summary.checksum,
        },
    }
    return await render_pdf("attestation_summary.typ", data)
