"""The attestation summary (R-ATTEST-1) as an XLSX workbook and as a PDF: each class's students ×
subjects × periods, then the counts and shares per class, parallel and the school. The certified
PDF prints who generated it, when, and the checksum of its data."""

from datetime import datetime

from resolvers.exports.sheets import Cell, Sheet, xlsx
from resolvers.people.names import day, short_name
from resolvers.printing.pdf import render_pdf
from resolvers.screens.attestation import COLUMNS, Section, Summary, Tally

TALLY_HEADER = ("Учащихся", *COLUMNS, "Успеваемость, %", "Качество, %")


def _figure(value: object) -> str:
    return "" if value is None else str(value)


def _tally(t: Tally) -> list[Cell]:
    return [len(t.students), *(t.counts[c] for c in COLUMNS), _figure(t.success),
            _figure(t.quality)]  # fmt: skip


def _grade_headers(summary: Summary) -> list[str]:
    return [f"{name}, {period.name}" for period, _, name in summary.columns]


def _class_rows(summary: Summary, section: Section) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for row in section.students:
        marks = [row.grades.get((p.id, subject), ("", ""))[1] for p, subject, _ in summary.columns]
        rows.append([short_name(row.student), *marks])
    return rows


def _tally_rows(summary: Summary) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for section in (*summary.classes, *summary.parallels, summary.whole):
        for subject_id, name in summary.subjects:
            if subject_id in section.subjects:
                rows.append([section.name, name, *_tally(section.subjects[subject_id])])
        rows.append([section.name, "Все предметы", *_tally(section.total)])
    return rows


def _periods(summary: Summary) -> str:
    return ", ".join(period.name for period in summary.periods)


def workbook(summary: Summary) -> bytes:
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
            rows=_tally_rows(summary),
        )
    )
    return xlsx(sheets)


async def pdf(
    summary: Summary, *, generated_by: str | None, generated_at: datetime | None
) -> bytes:
    """The summary to print; certified (`generated_by` given) it names who generated it, when,
    and its data's checksum."""
    data = {
        "school": summary.school.name,
        "periods": _periods(summary),
        "subjects": [name for _, name in summary.subjects],
        "period_names": [period.name for period in summary.periods],
        "columns": list(COLUMNS),
        "classes": [
            {
                "name": section.name,
                "rows": [[str(c) for c in row] for row in _class_rows(summary, section)],
            }
            for section in summary.classes
        ],
        "grade_headers": _grade_headers(summary),
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
