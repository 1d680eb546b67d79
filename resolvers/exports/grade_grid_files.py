"""The grade grid (the teacher's journal page) as files: the students × lessons with their marks
and absences and each student's averages, then the lessons with their topics and kinds of
work. Built from the screen's own answer (`resolvers.screens.grade_grid`)."""

import model as m
from resolvers.context import Context
from resolvers.exports import headings
from resolvers.exports.sheets import Cell, Sheet
from resolvers.people import names
from resolvers.screens import grade_grid
from resolvers.screens.grade_grid import GradeGridAnswer
from resolvers.screens.journal_cells import by_lesson


async def read(ctx: Context, group_id: int, subject_id: int, period_id: int) -> GradeGridAnswer:
    rows = await grade_grid.grade_grid(ctx, group_id, subject_id, period_id)
    return GradeGridAnswer(rows, group_id, subject_id, period_id)


async def _heading(ctx: Context, answer: GradeGridAnswer) -> str:
    group = await headings.one(ctx, m.Group, answer.group_id)
    subject = await headings.one(ctx, m.Subject, answer.subject_id)
    period = await headings.one(ctx, m.Period, answer.period_id)
    names = [None if row is None else row.name for row in (subject, group, period)]
    return f"Журнал успеваемости: {headings.joined(*names)}"


async def grade_grid_sheets(ctx: Context, answer: GradeGridAnswer) -> list[Sheet]:
    rows, heading = answer.rows, await _heading(ctx, answer)
    lessons = by_lesson(rows.lessons)
    per_day = headings.counted(lesson[0][1] for lesson in lessons)
    columns = [
        headings.lesson_column(held_on, bell, per_day[held_on])
        for (_, held_on, bell, *_), _, _ in lessons
    ]
    marks = headings.cells(rows.grades, rows.attendance)
    grid: list[list[Cell]] = []
    for person_id, last, first, middle, *_ in rows.students:
        averages = rows.averages.get(person_id)
        grid.append([
            names.short_name_of(last, first, middle),
            *(marks.get((lesson[0][0], person_id)) for lesson in lessons),
            averages.average if averages else None,
            averages.weighted_average if averages else None,
        ])  # fmt: skip
    lesson_rows: list[list[Cell]] = [
        [
            held_on,
            bell,
            headings.STATUS[status],
            topic,
            ", ".join(f"{short} ({headings.weight(w)})" for _, short, w in work_types),
        ]
        for (_, held_on, bell, status, topic, *_), _, work_types in lessons
    ]
    return [
        Sheet(
            title="Оценки",
            heading=heading,
            header=["Учащийся", *columns, "Средний\nбалл", "Средневзвешенный\nбалл"],
            rows=grid,
        ),
        Sheet(
            title="Уроки",
            heading=heading,
            header=["Дата", "Урок", "Состояние", "Тема", "Виды работ (вес)"],
            rows=lesson_rows,
        ),
    ]
