"""The journal's news (issue 14, Ж.1 #3): what a grade, an absence or a late arrival,
homework or a final grade tells the student and the parents, in the school's words (Russian,
as the journal's documents are), queued in the write's own transaction (`notify.py`), and the
live event the write publishes (`live.py`). Each is a constant number of statements, however
many students the write touched."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

import model as m
from resolvers.context import Context
from resolvers.notifications import live, notify
from resolvers.notifications.notify import News
from resolvers.people.names import day, full_name_of
from resolvers.setup.classes import group_membership

ATTENDANCE_WORDS = {
    m.AttendanceKind.ABSENT_UNEXCUSED: "без уважительной причины",
    m.AttendanceKind.ABSENT_VALID: "по уважительной причине",
    m.AttendanceKind.ILL: "по болезни",
}
PERIOD_WORDS = {
    m.PeriodKind.QUARTER: "{} четверть",
    m.PeriodKind.TRIMESTER: "{} триместр",
    m.PeriodKind.HALF: "{} полугодие",
    m.PeriodKind.YEAR: "год",
}
SPECIAL_WORDS = {
    m.FinalGradeSpecial.NOT_ATTESTED: "не аттестован(а)",
    m.FinalGradeSpecial.EXEMPT: "освобождён(а)",
    m.FinalGradeSpecial.PASS: "зачтено",
}


@dataclass(frozen=True)
class GradeNews:
    """A grade as it stands (or stood, when removed), and its mark before a change."""

    grade_id: int
    student_id: int
    work_type_id: int
    mark: str
    old_mark: str | None = None
    removed: bool = False


async def names(ctx: Context, students: Iterable[int]) -> dict[int, str]:
    """«Иванова Анна», by student."""
    wanted = sorted(set(students))
    if not wanted:
        return {}
    rows = await ctx.db.rows(
        select(m.Person.id, m.Person.last_name, m.Person.first_name).where(m.Person.id.in_(wanted))
    )
    return {person: full_name_of(last, first, None) for person, last, first in rows}


def _timezone(ctx: Context, school_id: int) -> str:
    return ctx.require_principal().scope(school_id).timezone


async def _tell(
    ctx: Context, school_id: int, topic: m.Topic, news: Sequence[News], gone: Sequence[News] = ()
) -> None:
    zone = _timezone(ctx, school_id)
    await notify.tell(ctx.db, school_id, topic, news, settle=ctx.notification_settle, zone=zone)
    await notify.retract(ctx.db, school_id, topic, gone, zone=zone)


async def grades_told(ctx: Context, lesson: m.Lesson, grades: Sequence[GradeNews]) -> None:
    """New and changed grades told, removed ones retracted; the lesson's live event."""
    if not grades:
        return
    rows = await ctx.db.rows(
        select(m.Subject.name, m.WorkType.id, m.WorkType.name)
        .join(m.WorkType, m.WorkType.school_id == m.Subject.school_id)
        .where(
            m.Subject.id == lesson.subject_id,
            m.WorkType.id.in_({grade.work_type_id for grade in grades}),
        )
    )
    subject = rows[0][0] if rows else ""
    work = {work_type: name for _, work_type, name in rows}
    who = await names(ctx, (grade.student_id for grade in grades))
    told: list[News] = []
    gone: list[News] = []
    for grade in grades:
        child = who.get(grade.student_id, "")
        kind = work.get(grade.work_type_id, "")
        what = f"по предмету «{subject}» ({kind}), урок {day(lesson.held_on)}"
        if grade.removed:
            heading, body = "Оценка удалена", f"{child}: оценка {grade.mark} {what} удалена."
        elif grade.old_mark is not None:
            heading = "Оценка изменена"
            body = f"{child}: оценка {grade.old_mark} изменена на {grade.mark} {what}."
        else:
            heading, body = "Новая оценка", f"{child}: {grade.mark} {what}."
        piece = News(
            student_id=grade.student_id,
            coalesce_key=f"grade:{grade.grade_id}",
            subject=f"{heading}: {subject}",
            body=body,
            facts={"grade_id": grade.grade_id, "lesson_id": lesson.id, "mark": grade.mark,
                   "work_type_id": grade.work_type_id, "held_on": lesson.held_on.isoformat()},
        )  # fmt: skip
        (gone if grade.removed else told).append(piece)
    await _tell(ctx, lesson.school_id, m.Topic.GRADE, told, gone)
    await live.publish(
        ctx.db,
        live.JournalEvent(
            "grade",
            lesson.school_id,
            lesson.id,
            tuple(sorted({grade.student_id for grade in grades})),
            tuple(grade.grade_id for grade in grades if not grade.removed),
            tuple(grade.grade_id for grade in grades if grade.removed),
            tuple(grade.student_id for grade in grades if grade.removed),
        ),
    )


@dataclass(frozen=True)
class AttendanceNews:
    """A student's mark in a lesson as it stands (None: present after all, the mark removed)."""

    student_id: int
    lesson: m.Lesson
    kind: m.AttendanceKind | None
    late_minutes: int | None = None
    attendance_id: int | None = None


async def attendance_told(
    ctx: Context,
    school_id: int,
    marks: Sequence[AttendanceNews],
    removed_ids: Sequence[int] = (),
    removed_students: Sequence[int] = (),
) -> None:
    """Absences and lates told (a removed mark retracted); each lesson's live event, with the
    removed marks' ids and, in their order, whose they were."""
    if not marks:
        return
    subjects: dict[int, str] = dict(
        await ctx.db.rows(
            select(m.Subject.id, m.Subject.name).where(
                m.Subject.id.in_({mark.lesson.subject_id for mark in marks})
            )
        )
    )
    who = await names(ctx, (mark.student_id for mark in marks))
    told: list[News] = []
    gone: list[News] = []
    for mark in marks:
        child, held = who.get(mark.student_id, ""), day(mark.lesson.held_on)
        lesson = f"«{subjects.get(mark.lesson.subject_id, '')}» {held}"
        if mark.kind is None:
            heading, body = (
                "Отметка снята",
                f"{child}: отметка об отсутствии на уроке {lesson} снята.",
            )
        elif mark.kind is m.AttendanceKind.LATE:
            heading = "Опоздание"
            body = f"{child}: опоздание на {mark.late_minutes} мин. на урок {lesson}."
        else:
            heading = "Отсутствие на уроке"
            body = f"{child}: отсутствие на уроке {lesson} ({ATTENDANCE_WORDS[mark.kind]})."
        piece = News(
            student_id=mark.student_id,
            coalesce_key=f"attendance:{mark.lesson.id}:{mark.student_id}",
            subject=f"{heading}: {subjects.get(mark.lesson.subject_id, '')}",
            body=body,
            facts={"lesson_id": mark.lesson.id, "attendance_id": mark.attendance_id,
                   "kind": mark.kind, "held_on": mark.lesson.held_on.isoformat()},
        )  # fmt: skip
        (gone if mark.kind is None else told).append(piece)
    await _tell(ctx, school_id, m.Topic.ATTENDANCE, told, gone)
    lessons = sorted({mark.lesson.id for mark in marks})
    await live.publish(
        ctx.db,
        live.JournalEvent(
            "attendance",
            school_id,
            lessons[0] if len(lessons) == 1 else None,
            tuple(sorted({mark.student_id for mark in marks})),
            tuple(sorted({mark.attendance_id for mark in marks if mark.attendance_id})),
            tuple(removed_ids),
            tuple(removed_students),
        ),
    )


async def homework_told(ctx: Context, lesson: m.Lesson, homework: m.Homework) -> None:
    """Homework told to the students it is set for (the group's, or those listed) and their
    parents; the lesson's live event."""
    if homework.is_individual:
        query = select(m.HomeworkStudent.student_id).where(
            m.HomeworkStudent.homework_id == homework.id
        )
    else:
        query = select(group_membership([lesson.group_id]).subquery().c.student_id)
    students = sorted(set(await ctx.db.scalars(query)))
    subject = await ctx.db.scalar(select(m.Subject.name).where(m.Subject.id == lesson.subject_id))
    who = await names(ctx, students)
    extra = "".join(
        f" {label}: {value}."
        for label, value in (("Страницы", homework.pages), ("Задания", homework.tasks))
        if value
    )
    news = [
        News(
            student_id=student,
            coalesce_key=f"homework:{homework.id}",
            subject=f"Домашнее задание: {subject}",
            body=f"{who.get(student, '')}: задано к {day(homework.due_on)} (урок "
            f"{day(lesson.held_on)}, «{subject}»): {homework.text}{extra}",
            facts={
                "homework_id": homework.id,
                "lesson_id": lesson.id,
                "due_on": homework.due_on.isoformat(),
            },
        )
        for student in students
    ]
    await _tell(ctx, lesson.school_id, m.Topic.HOMEWORK, news)
    await live.publish(
        ctx.db,
        live.JournalEvent("homework", lesson.school_id, lesson.id, tuple(students), (homework.id,)),
    )


async def final_grades_told(
    ctx: Context,
    subject: m.Subject,
    period: m.Period,
    grades: Sequence[m.FinalGrade],
    before: dict[int, tuple[str | None, m.FinalGradeSpecial | None]],
) -> None:
    """Final grades set or changed, told; the live event. `before`: by id, what a changed
    one was."""
    if not grades:
        return
    who = await names(ctx, (grade.student_id for grade in grades))
    term = PERIOD_WORDS[period.kind].format(period.number)
    news = []
    for grade in grades:
        child = who.get(grade.student_id, "")
        now = _final(grade.mark, grade.special)
        if grade.id in before:
            heading = "Итоговая отметка изменена"
            was = _final(*before[grade.id])
            body = f"{child}: {was} изменена на {now} за {term} по предмету «{subject.name}»."
        else:
            heading, body = (
                "Итоговая отметка",
                f"{child}: {now} за {term} по предмету «{subject.name}».",
            )
        news.append(
            News(
                student_id=grade.student_id,
                coalesce_key=f"final_grade:{grade.id}",
                subject=f"{heading}: {subject.name}",
                body=body,
                facts={
                    "final_grade_id": grade.id,
                    "period_id": period.id,
                    "subject_id": subject.id,
                    "mark": grade.mark,
                    "special": grade.special,
                },
            )
        )
    await _tell(ctx, subject.school_id, m.Topic.FINAL_GRADE, news)
    await live.publish(
        ctx.db,
        live.JournalEvent(
            "final_grade",
            subject.school_id,
            None,
            tuple(sorted({grade.student_id for grade in grades})),
            tuple(grade.id for grade in grades),
        ),
    )


def _final(mark: str | None, special: m.FinalGradeSpecial | None) -> str:
    if mark is not None:
        return mark
    return SPECIAL_WORDS[special] if special is not None else ""


async def attendance_day_told(
    ctx: Context, school_id: int, day_of: date, marks: Sequence[m.Attendance]
) -> None:
    """A day's absence (the class teacher's record): one notification per student for the
    day, however many lessons it marked; the live event of the marks."""
    if not marks:
        return
    who = await names(ctx, (mark.student_id for mark in marks))
    lessons: dict[int, set[int]] = {}
    kinds: dict[int, m.AttendanceKind] = {}
    for mark in marks:
        lessons.setdefault(mark.student_id, set()).add(mark.lesson_id)
        kinds[mark.student_id] = mark.kind
    news = [
        News(
            student_id=student,
            coalesce_key=f"attendance-day:{day_of.isoformat()}:{student}",
            subject="Отсутствие в школе",
            body=f"{who.get(student, '')}: отсутствие {day(day_of)} "
            f"({ATTENDANCE_WORDS.get(kinds[student], '')}), уроков: {len(lessons[student])}.",
            facts={
                "date": day_of.isoformat(),
                "lesson_ids": sorted(lessons[student]),
                "kind": kinds[student],
            },
        )
        for student in sorted(lessons)
    ]
    await _tell(ctx, school_id, m.Topic.ATTENDANCE, news)
    await live.publish(
        ctx.db,
        live.JournalEvent(
            "attendance",
            school_id,
            None,
            tuple(sorted(lessons)),
            tuple(sorted(mark.id for mark in marks)),
        ),
    )
