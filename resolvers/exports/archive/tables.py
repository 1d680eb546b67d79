"""The journal's tables as the archive writes them (CSV and XLSX): lessons, grades, attendance,
homework, the final grades and the grade change log of the archive's days. Each row says
what it is in words (the class, the subject, the student, who wrote it) and by id; the rows
come in the journal's order — the lessons' date, bell and id, then the students by name —
so the same data gives the same file. A table's rows are what the caller may read."""

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from itertools import chain

from sqlalchemy import select

import model as m
from resolvers.exports.archive.names import Names, account_holders, people
from resolvers.exports.archive.pages import flag, lesson_pages, moment
from resolvers.exports.archive.scope import Scope
from resolvers.exports.archive.workbook import Cell

Row = list[Cell]
Pages = AsyncIterator[list[Row]]


@dataclass(frozen=True)
class Column:
    key: str  # the CSV's header: plain ASCII, for tools
    title: str  # the XLSX's header: the school's words
    width: int = 12


@dataclass(frozen=True)
class Table:
    name: str  # the files' name: `tables/<name>.csv`, `tables/<name>.xlsx`
    title: str
    columns: tuple[Column, ...]
    pages: Callable[[Scope, Names], Pages]


def _columns(*specs: tuple[str, str] | tuple[str, str, int]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


WRITTEN = (("created_by", "Кто внёс", 28), ("created_at", "Когда внесено", 26),
           ("updated_by", "Кто изменил", 28), ("updated_at", "Когда изменено", 26))  # fmt: skip


Written = m.Lesson | m.Grade | m.Attendance | m.Homework | m.FinalGrade


async def _writers(scope: Scope, rows: Sequence[Written]) -> dict[int, str]:
    ids = chain.from_iterable((row.created_by_id, row.updated_by_id) for row in rows)
    return await account_holders(scope, ids)


def _written(row: Written, writers: dict[int, str]) -> Row:
    return [
        writers.get(row.created_by_id or 0),
        moment(row.created_at),
        writers.get(row.updated_by_id or 0),
        moment(row.updated_at),
    ]


async def _lessons(scope: Scope, names: Names) -> Pages:
    async for page in lesson_pages(scope):
        staff = chain.from_iterable((lesson.teacher_id, lesson.substitute_id) for lesson in page)
        teachers = await people(scope, staff)
        writers = await _writers(scope, page)
        yield [
            [
                lesson.id,
                lesson.held_on.isoformat(),
                lesson.bell_number,
                *names.group(lesson.group_id),
                names.subject(lesson.subject_id),
                teachers.get(lesson.teacher_id),
                teachers.get(lesson.substitute_id or 0),
                lesson.status.value,
                lesson.topic,
                lesson.material,
                moment(lesson.attendance_taken_at),
                *_written(lesson, writers),
            ]
            for lesson in page
        ]


async def _grades(scope: Scope, names: Names) -> Pages:
    async for lessons in lesson_pages(scope):
        at = {lesson.id: (n, lesson) for n, lesson in enumerate(lessons)}
        grades = await scope.ctx.db.scalars(
            select(m.Grade).where(
                m.Grade.lesson_id.in_(list(at)), scope.ctx.loaders.readable(m.Grade)
            )
        )
        students = await people(scope, (grade.student_id for grade in grades))
        writers = await _writers(scope, grades)
        ordered = sorted(grades, key=lambda g: (at[g.lesson_id][0], students.get(
            g.student_id, ""), g.student_id, g.work_type_id, g.id))  # fmt: skip
        rows: list[Row] = []
        for grade in ordered:
            lesson = at[grade.lesson_id][1]
            work_type, weight = names.work_type(grade.work_type_id)
            rows.append([
                grade.id, lesson.id, lesson.held_on.isoformat(), names.group(lesson.group_id)[0],
                names.subject(lesson.subject_id), grade.student_id,
                students.get(grade.student_id), work_type, weight, grade.mark, grade.comment,
                flag(grade.on_time), *_written(grade, writers), grade.version,
            ])  # fmt: skip
        yield rows


async def _attendance(scope: Scope, names: Names) -> Pages:
    async for lessons in lesson_pages(scope):
        at = {lesson.id: (n, lesson) for n, lesson in enumerate(lessons)}
        marks = await scope.ctx.db.scalars(
            select(m.Attendance).where(
                m.Attendance.lesson_id.in_(list(at)), scope.ctx.loaders.readable(m.Attendance)
            )
        )
        students = await people(scope, (mark.student_id for mark in marks))
        writers = await _writers(scope, marks)
        ordered = sorted(marks, key=lambda a: (at[a.lesson_id][0], students.get(
            a.student_id, ""), a.student_id, a.id))  # fmt: skip
        rows: list[Row] = []
        for mark in ordered:
            lesson = at[mark.lesson_id][1]
            rows.append([
                mark.id, lesson.id, lesson.held_on.isoformat(), lesson.bell_number,
                names.group(lesson.group_id)[0], names.subject(lesson.subject_id),
                mark.student_id, students.get(mark.student_id), mark.kind.value,
                mark.late_minutes, mark.comment, flag(mark.on_time), *_written(mark, writers),
            ])  # fmt: skip
        yield rows


async def _homework(scope: Scope, names: Names) -> Pages:
    async for lessons in lesson_pages(scope):
        at = {lesson.id: (n, lesson) for n, lesson in enumerate(lessons)}
        readable = scope.ctx.loaders.readable
        tasks = await scope.ctx.db.scalars(
            select(m.Homework).where(m.Homework.lesson_id.in_(list(at)), readable(m.Homework))
        )
        assigned = await scope.ctx.db.rows(
            select(m.HomeworkStudent.homework_id, m.HomeworkStudent.student_id).where(
                m.HomeworkStudent.homework_id.in_([task.id for task in tasks if task.is_individual])
            )
        )
        students = await people(scope, (row[1] for row in assigned))
        whose: dict[int, list[str]] = {}
        for homework_id, student_id in assigned:
            if student_id in students:
                whose.setdefault(homework_id, []).append(students[student_id])
        writers = await _writers(scope, tasks)
        rows: list[Row] = []
        for task in sorted(tasks, key=lambda t: (at[t.lesson_id][0], t.id)):
            lesson = at[task.lesson_id][1]
            rows.append([
                task.id, lesson.id, lesson.held_on.isoformat(), names.group(lesson.group_id)[0],
                names.subject(lesson.subject_id), task.text, task.pages, task.tasks,
                task.due_on.isoformat(), flag(task.is_individual),
                "; ".join(sorted(whose.get(task.id, []))), flag(task.on_time),
                *_written(task, writers),
            ])  # fmt: skip
        yield rows


async def _final_grades(scope: Scope, names: Names) -> Pages:
    """Class by class, a class's final grades of the archive's periods."""
    position = {period.id: n for n, period in enumerate(scope.periods)}
    readable = scope.ctx.loaders.readable
    for school_class in scope.classes:
        groups = select(m.Group.id).where(m.Group.school_class_id == school_class.id)
        finals = await scope.ctx.db.scalars(
            select(m.FinalGrade).where(
                m.FinalGrade.group_id.in_(groups),
                m.FinalGrade.period_id.in_(list(position)),
                readable(m.FinalGrade),
            )
        )
        students = await people(scope, (final.student_id for final in finals))
        writers = await _writers(scope, finals)
        ordered = sorted(
            finals,
            key=lambda f: (
                position[f.period_id],
                names.subject(f.subject_id),
                f.subject_id,
                students.get(f.student_id, ""),
                f.student_id,
                f.id,
            ),
        )
        yield [
            [
                final.id,
                names.periods[final.period_id],
                school_class.name,
                names.subject(final.subject_id),
                final.student_id,
                students.get(final.student_id),
                final.mark,
                None if final.special is None else final.special.value,
                flag(final.on_time),
                *_written(final, writers),
            ]
            for final in ordered
        ]


async def _grade_changes(scope: Scope, names: Names) -> Pages:
    async for lessons in lesson_pages(scope):
        at = {lesson.id: lesson for lesson in lessons}
        changes = await scope.ctx.db.scalars(
            select(m.GradeChange).where(
                m.GradeChange.lesson_id.in_(list(at)), scope.ctx.loaders.readable(m.GradeChange)
            )
        )
        students = await people(scope, (change.student_id for change in changes))
        writers = await account_holders(scope, (change.changed_by_id for change in changes))
        rows: list[Row] = []
        for change in sorted(changes, key=lambda c: (c.changed_at, c.id)):
            lesson = at[change.lesson_id]
            rows.append([
                change.id, moment(change.changed_at), change.action.value, lesson.id,
                lesson.held_on.isoformat(), names.group(lesson.group_id)[0],
                names.subject(lesson.subject_id), change.student_id,
                students.get(change.student_id), names.work_type(change.work_type_id)[0],
                change.old_mark, change.new_mark, writers.get(change.changed_by_id or 0),
                change.reason,
            ])  # fmt: skip
        yield rows


TABLES: tuple[Table, ...] = (
    Table("lessons", "Уроки", _columns(
        ("lesson_id", "Урок №"), ("date", "Дата"), ("bell", "Урок по счёту", 8),
        ("class", "Класс", 8), ("group", "Группа", 16), ("subject", "Предмет", 24),
        ("teacher", "Учитель", 28), ("substitute", "Замена", 28), ("status", "Состояние"),
        ("topic", "Тема", 40), ("material", "Материал", 30),
        ("attendance_taken_at", "Посещаемость отмечена", 26), *WRITTEN), _lessons),
    Table("grades", "Отметки", _columns(
        ("grade_id", "Отметка №"), ("lesson_id", "Урок №"), ("date", "Дата"),
        ("class", "Класс", 8), ("subject", "Предмет", 24), ("student_id", "Ученик №"),
        ("student", "Ученик", 28), ("work_type", "Вид работы", 20), ("weight", "Вес", 6),
        ("mark", "Отметка", 8), ("comment", "Комментарий", 30), ("on_time", "В срок", 8),
        *WRITTEN, ("version", "Версия", 8)), _grades),
    Table("attendance", "Посещаемость", _columns(
        ("attendance_id", "Запись №"), ("lesson_id", "Урок №"), ("date", "Дата"),
        ("bell", "Урок по счёту", 8), ("class", "Класс", 8), ("subject", "Предмет", 24),
        ("student_id", "Ученик №"), ("student", "Ученик", 28), ("kind", "Отметка"),
        ("late_minutes", "Опоздание, мин", 8), ("comment", "Комментарий", 30),
        ("on_time", "В срок", 8), *WRITTEN), _attendance),
    Table("homework", "Домашние задания", _columns(
        ("homework_id", "Задание №"), ("lesson_id", "Урок №"), ("date", "Дата урока"),
        ("class", "Класс", 8), ("subject", "Предмет", 24), ("text", "Задание", 40),
        ("pages", "Страницы"), ("tasks", "Номера"), ("due_on", "К дате"),
        ("individual", "Индивидуальное", 8), ("students", "Кому", 30),
        ("on_time", "В срок", 8), *WRITTEN), _homework),
    Table("final_grades", "Итоговые отметки", _columns(
        ("final_grade_id", "Отметка №"), ("period", "Период", 16), ("class", "Класс", 8),
        ("subject", "Предмет", 24), ("student_id", "Ученик №"), ("student", "Ученик", 28),
        ("mark", "Отметка", 8), ("special", "Особая отметка", 14), ("on_time", "В срок", 8),
        *WRITTEN), _final_grades),
    Table("grade_changes", "Журнал изменений отметок", _columns(
        ("change_id", "Изменение №"), ("changed_at", "Когда", 26), ("action", "Действие"),
        ("lesson_id", "Урок №"), ("date", "Дата урока"), ("class", "Класс", 8),
        ("subject", "Предмет", 24), ("student_id", "Ученик №"), ("student", "Ученик", 28),
        ("work_type", "Вид работы", 20), ("old_mark", "Было", 6), ("new_mark", "Стало", 6),
        ("changed_by", "Кто изменил", 28), ("reason", "Причина", 30)), _grade_changes),
)  # fmt: skip
