"""Summary statements (R-SUMMARY-1) as files: a line per student and subject with the lessons
held, the marks, the averages, the lates and the lessons missed, and a line of the student's
totals; then every grade with its date and kind of work. Built from the screen's own answer
(`resolvers.screens.summary_statement`), the figures its PDF prints."""

from resolvers.context import Context
from resolvers.exports import headings
from resolvers.exports.sheets import Cell, Sheet
from resolvers.people.names import class_name, full_name
from resolvers.screens.summary_statement import Statement, Statements

HEADER = (
    "Учащийся", "Класс", "Предмет", "Уроков\nпроведено", "Оценки", "Средний\nбалл",
    "Средневзвешенный\nбалл", "Опозданий", "Пропущено\nпо уважительной\nпричине",
    "Пропущено\nбез уважительной\nпричины",
)  # fmt: skip
FIGURES = ("lessons_held", "lates", "missed_valid", "missed_unexcused")


def _student(statement: Statement) -> list[Cell]:
    school_class = None if statement.school_class is None else class_name(statement.school_class)
    return [full_name(statement.student), school_class]


def _lines(statement: Statement) -> list[list[Cell]]:
    lines: list[list[Cell]] = []
    for s in statement.subjects:
        marks = " ".join(grade.mark for grade in s.grades)
        lines.append([*_student(statement), s.subject, s.lessons_held, marks or None, s.average,
                      s.weighted_average, s.lates, s.missed_valid, s.missed_unexcused])  # fmt: skip
    held, lates, valid, unexcused = (statement.total(name) for name in FIGURES)
    lines.append([*_student(statement), "Всего", held, None, None, None, lates, valid, unexcused])
    return lines


def _heading(answer: Statements) -> str:
    period = answer.period.name if answer.period else None
    return "Сводная ведомость " + headings.joined(
        headings.days(answer.date_from, answer.date_to), period
    )


async def summary_statement_sheets(ctx: Context, answer: Statements) -> list[Sheet]:
    heading = _heading(answer)
    grades: list[list[Cell]] = [
        [*_student(statement), s.subject, g.held_on, g.mark, g.work_type, g.weight]
        for statement in answer.statements
        for s in statement.subjects
        for g in s.grades
    ]
    return [
        Sheet(
            title="Ведомость",
            heading=heading,
            header=HEADER,
            rows=[line for statement in answer.statements for line in _lines(statement)],
        ),
        Sheet(
            title="Оценки",
            heading=heading,
            header=["Учащийся", "Класс", "Предмет", "Дата", "Оценка", "Вид работы", "Вес"],
            rows=grades,
        ),
    ]
