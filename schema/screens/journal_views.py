"""The journal's screens as typed read shapes: the class grade grid, the class journal page,
the diary week and the head's school overview (issue 5).

Each screen's root resolver reads all its rows in a fixed number of statements, and the types
below are light read models: plain objects built once from row tuples, with attribute fields
only, so completing a grid of a thousand cells runs no resolver, awaits nothing and touches
no DataLoader. Their IDs are the same global IDs the node types have, so a client can follow
any of them with `node(id:)`.
"""

import base64
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from policies.vocabulary import Action, Resource
from resolvers.database import AnyRow
from resolvers.exports import class_journal_files, grade_grid_files, school_overview_files
from resolvers.pagination import page_of
from resolvers.people.names import full_name_of, short_name_of
from resolvers.printing import diary_pages, journal_pages
from resolvers.screens import class_journal as class_journals
from resolvers.screens import diary as diaries
from resolvers.screens import grade_grid as grade_grids
from resolvers.screens import school_overview as overviews
from resolvers.screens.class_journal import ClassJournalRows
from resolvers.screens.diary import DiaryRows
from resolvers.screens.grade_grid import GradeGridRows
from resolvers.screens.journal_cells import by_lesson
from schema import list_sizes as sizes
from schema.base import Connection, Info, decode_id, reads
from schema.bounds import After, First
from schema.enums import AttendanceKind, LessonStatus, TimetableChangeKind
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.permissions import can
from schema.screens import files
from schema.setup.calendar import Period
from schema.setup.classes import Group, SchoolClass
from schema.setup.curriculum import Subject
from schema.setup.school import School


@lru_cache(maxsize=1 << 16)
def global_id(type_name: str, row_id: int) -> strawberry.ID:
    """The ID `node(id:)` takes, as a node type's `id` field gives it. Cached: a grid names
    the same students, lessons and work types in every one of its cells."""
    return strawberry.ID(relay.to_base64(type_name, row_id))


@strawberry.type(description="A student as a grid's row header.")
class StudentLine:
    __resource__: ClassVar[Resource] = Resource.PERSON
    id: strawberry.ID = strawberry.field(description="The student's `Person` ID.")
    full_name: str = strawberry.field(description="Last, first and middle name.")
    short_name: str = strawberry.field(
        description="Last name and initials, as the journal prints them: «Иванова А.С.»."
    )


@strawberry.type(description="A student in a grade grid, with the grid's averages.")
class GridStudent(StudentLine):
    average: Decimal | None = strawberry.field(
        description="The average mark (средний балл) of the grid's grades, to 2 decimals; "
        "marks without a value («зачёт») do not count; null without any."
    )
    weighted_average: Decimal | None = strawberry.field(
        description="The weighted average (средневзвешенный балл), by the work types' "
        "weights, to 2 decimals; null without any mark."
    )


@strawberry.type(description="A kind of work graded in a lesson.")
class LessonWorkType:
    __resource__: ClassVar[Resource] = Resource.CURRICULUM
    id: strawberry.ID = strawberry.field(description="The `WorkType` ID.")
    short_name: str = strawberry.field(description="As the journal's columns print it.")
    weight: Decimal = strawberry.field(description="Its weight in the weighted average.")


@strawberry.type(description="A lesson as a grid's column.")
class GridLesson:
    __resource__: ClassVar[Resource] = Resource.LESSON
    id: strawberry.ID = strawberry.field(description="The `Lesson` ID.")
    held_on: date = strawberry.field(description="The day it is (or was) given.")
    bell_number: int = strawberry.field(description="Its number in the day.")
    status: LessonStatus = strawberry.field(description="Planned, held or cancelled.")
    topic: str | None = strawberry.field(description="The topic taught; null: not written yet.")
    work_types: list[LessonWorkType] = strawberry.field(
        description="Kinds of work declared or graded in it, in the order the work types "
        "were entered.",
        metadata=reads(Resource.CURRICULUM) | at_most(sizes.WORK_TYPES_OF_A_LESSON),
    )


@strawberry.type(description="A grade as a grid's cell: which lesson, student and work type.")
class GridGrade:
    __resource__: ClassVar[Resource] = Resource.GRADE
    id: strawberry.ID = strawberry.field(description="The `Grade` ID.")
    lesson_id: strawberry.ID = strawberry.field(description="Its lesson's `Lesson` ID.")
    student_id: strawberry.ID = strawberry.field(description="Its student's `Person` ID.")
    work_type_id: strawberry.ID = strawberry.field(description="Its work type's `WorkType` ID.")
    mark: str = strawberry.field(description="The mark, as the journal writes it.")
    comment: str | None = strawberry.field(description="The teacher's note; null: none.")


@strawberry.type(description="An absence or late arrival as a grid's cell.")
class GridAttendance:
    __resource__: ClassVar[Resource] = Resource.ATTENDANCE
    id: strawberry.ID = strawberry.field(description="The `Attendance` ID.")
    lesson_id: strawberry.ID = strawberry.field(description="Its lesson's `Lesson` ID.")
    student_id: strawberry.ID = strawberry.field(description="Its student's `Person` ID.")
    kind: AttendanceKind = strawberry.field(description="Absent (and why), or late.")
    late_minutes: int | None = strawberry.field(
        description="For LATE: by how many minutes; null otherwise, or not given."
    )


@strawberry.type(
    description="A group's students × its lessons of a subject in a period: the grades, "
    "absences and averages of the teacher's journal page."
)
class GradeGrid:
    students: list[GridStudent] = strawberry.field(
        metadata=reads(Resource.PERSON) | at_most(sizes.CLASS_SIZE),
        description="The group's students (the rows), by last name, then first name.",
    )
    lessons: list[GridLesson] = strawberry.field(
        metadata=reads(Resource.LESSON) | at_most(sizes.LESSONS_OF_A_PERIOD),
        description="The group's lessons of the subject in the period (the columns), by date, "
        "then bell.",
    )
    grades: list[GridGrade] = strawberry.field(
        metadata=reads(Resource.GRADE) | at_most(sizes.GRID_CELLS),
        description="The grades in those lessons (the cells), in the order they were entered.",
    )
    attendance: list[GridAttendance] = strawberry.field(
        metadata=reads(Resource.ATTENDANCE) | at_most(sizes.GRID_CELLS),
        description="The absences and late arrivals in those lessons, in the order they were "
        "marked; a student without one was present.",
    )
    export: strawberry.Private[grade_grids.GradeGridAnswer | None] = None
    xlsx = files.xlsx_field(
        grade_grid_files.grade_grid_sheets,
        Resource.GRADE,
        "«Оценки» (students × lessons, the averages), «Уроки» (dates, topics, kinds of work)",
    )
    csv = files.csv_field(grade_grid_files.grade_grid_sheets, Resource.GRADE)

    @strawberry.field(
        description="The grid as the paper journal's pages (base64 PDF, landscape A4): "
        "spreads of the students × lesson dates with marks and absences (the period's final "
        "grades on the last) and of the lessons' dates, topics, homework and a column for the "
        "teacher's signature; held lessons only. The head, deputies, admin and inspectors, "
        "the teacher of the journal, the class teacher.",
        permission_classes=[can(Resource.JOURNAL_PAGE, Action.READ)],
    )
    async def pdf(self, info: Info) -> str:
        document = await journal_pages.grid_pdf(info.context, self.export)
        return base64.b64encode(document).decode()


@strawberry.type(description="A subject by name.")
class SubjectLine:
    __resource__: ClassVar[Resource] = Resource.CURRICULUM
    id: strawberry.ID = strawberry.field(description="The `Subject` ID.")
    name: str = strawberry.field(description="Its full name.")


@strawberry.type(description="The teacher who gave a lesson (the substitute, where there was one).")
class TeacherLine:
    __resource__: ClassVar[Resource] = Resource.PERSON
    id: strawberry.ID = strawberry.field(description="The teacher's `Person` ID.")
    full_name: str = strawberry.field(description="Last, first and middle name.")
    short_name: str = strawberry.field(description="Last name and initials.")


@strawberry.type(description="Homework set in a lesson.")
class HomeworkLine:
    __resource__: ClassVar[Resource] = Resource.HOMEWORK
    id: strawberry.ID = strawberry.field(description="The `Homework` ID.")
    text: str = strawberry.field(description="What to do, as the teacher wrote it.")
    pages: str | None = strawberry.field(description="Pages of the textbook; null: none given.")
    tasks: str | None = strawberry.field(
        description="Numbers of tasks and exercises; null: none given."
    )
    due_on: date = strawberry.field(description="The day it is due.")
    individual: bool = strawberry.field(
        description="Set only for some students; false: for the whole group."
    )


@strawberry.type(description="A lesson of a class journal page.")
class JournalLesson:
    __resource__: ClassVar[Resource] = Resource.LESSON
    id: strawberry.ID = strawberry.field(description="The `Lesson` ID.")
    held_on: date = strawberry.field(description="The day it is (or was) given.")
    bell_number: int = strawberry.field(description="Its number in the day.")
    status: LessonStatus = strawberry.field(description="Planned, held or cancelled.")
    topic: str | None = strawberry.field(description="The topic taught; null: not written yet.")
    group_id: strawberry.ID = strawberry.field(
        description="The `Group` ID of the group taught: the whole class or a subgroup."
    )
    subject: SubjectLine | None = strawberry.field(
        description="The subject taught; null if you may not read it.",
        metadata=reads(Resource.CURRICULUM),
    )
    teacher: TeacherLine | None = strawberry.field(
        metadata=reads(Resource.PERSON),
        description="Who gave it: the substitute, if any; null if you may not read them.",
    )
    work_types: list[LessonWorkType] = strawberry.field(
        description="Kinds of work declared or graded in it, in the order the work types "
        "were entered.",
        metadata=reads(Resource.CURRICULUM) | at_most(sizes.WORK_TYPES_OF_A_LESSON),
    )
    homework: list[HomeworkLine] = strawberry.field(
        description="Homework set in it, in the order it was set.",
        metadata=reads(Resource.HOMEWORK) | at_most(sizes.HOMEWORK_OF_A_LESSON),
    )


@strawberry.type(
    description="A class's lessons in every subject over some dates, with what was recorded."
)
class ClassJournalPage:
    students: list[StudentLine] = strawberry.field(
        metadata=reads(Resource.PERSON) | at_most(sizes.CLASS_SIZE),
        description="The class's students, by last name, then first name.",
    )
    lessons: list[JournalLesson] = strawberry.field(
        metadata=reads(Resource.LESSON) | at_most(sizes.JOURNAL_LESSONS),
        description="The lessons of the class's groups in the dates, every subject, by date, "
        "then bell.",
    )
    grades: list[GridGrade] = strawberry.field(
        metadata=reads(Resource.GRADE) | at_most(sizes.JOURNAL_CELLS),
        description="The grades in those lessons, in the order they were entered.",
    )
    attendance: list[GridAttendance] = strawberry.field(
        metadata=reads(Resource.ATTENDANCE) | at_most(sizes.JOURNAL_CELLS),
        description="The absences and late arrivals in those lessons, in the order they were "
        "marked; a student without one was present.",
    )
    export: strawberry.Private[class_journal_files.ClassJournalAnswer | None] = None
    xlsx = files.xlsx_field(
        class_journal_files.class_journal_sheets,
        Resource.LESSON,
        "«Журнал» (students × lessons), «Уроки» (subjects, teachers, topics, homework)",
    )
    csv = files.csv_field(class_journal_files.class_journal_sheets, Resource.LESSON)


@strawberry.type(description="A grade in the diary.")
class DiaryGrade:
    __resource__: ClassVar[Resource] = Resource.GRADE
    id: strawberry.ID = strawberry.field(description="The `Grade` ID.")
    mark: str = strawberry.field(description="The mark, as the journal writes it.")
    comment: str | None = strawberry.field(description="The teacher's note; null: none.")
    work_type: LessonWorkType = strawberry.field(
        description="The kind of work graded.", metadata=reads(Resource.CURRICULUM)
    )


@strawberry.type(description="An absence or late arrival in the diary.")
class DiaryAttendance:
    __resource__: ClassVar[Resource] = Resource.ATTENDANCE
    kind: AttendanceKind = strawberry.field(description="Absent (and why), or late.")
    late_minutes: int | None = strawberry.field(
        description="For LATE: by how many minutes; null otherwise, or not given."
    )


@strawberry.type(
    description="A lesson of the diary: held or planned (`id` set), or only in the timetable "
    "so far (`id` null), with the day's change to it, if any."
)
class DiaryLesson:
    __resource__: ClassVar[Resource] = Resource.LESSON
    id: strawberry.ID | None = strawberry.field(
        description="The `Lesson` ID; null for a timetable slot with no lesson entered yet."
    )
    bell_number: int = strawberry.field(description="Its number in the day.")
    status: LessonStatus | None = strawberry.field(
        description="Planned, held or cancelled; null for a timetable slot only."
    )
    topic: str | None = strawberry.field(description="The topic taught; null: not written yet.")
    change: TimetableChangeKind | None = strawberry.field(
        description="Cancelled, substituted, moved…: the timetable change for that day; null: none."
    )
    subject: SubjectLine | None = strawberry.field(
        description="The subject; null if you may not read it.",
        metadata=reads(Resource.CURRICULUM),
    )
    teacher: TeacherLine | None = strawberry.field(
        description="Who gives or gave it (the substitute, where there is one); null if you "
        "may not read them.",
        metadata=reads(Resource.PERSON),
    )
    homework: list[HomeworkLine] = strawberry.field(
        description="The homework set in it for the student (the group's and their own), in "
        "the order it was set.",
        metadata=reads(Resource.HOMEWORK) | at_most(sizes.HOMEWORK_OF_A_STUDENTS_LESSON),
    )
    grades: list[DiaryGrade] = strawberry.field(
        description="The student's grades in it, in the order they were entered.",
        metadata=reads(Resource.GRADE) | at_most(sizes.GRADES_OF_A_STUDENTS_LESSON),
    )
    attendance: DiaryAttendance | None = strawberry.field(
        description="The student's absence or late arrival; null: present, or not taken yet.",
        metadata=reads(Resource.ATTENDANCE),
    )


Day = date  # `DiaryDay.date` hides the type's name in its class body


@strawberry.type(description="A school day of the diary.")
class DiaryDay:
    __resource__: ClassVar[Resource] = Resource.LESSON
    date: Day = strawberry.field(description="The day.")
    day_off: str | None = strawberry.field(
        description="On a day off, why (the holiday's name): its timetable slots are not "
        "shown; null on a school day."
    )
    lessons: list[DiaryLesson] = strawberry.field(
        metadata=reads(Resource.LESSON) | at_most(sizes.LESSONS_OF_A_DAY),
        description="The lessons and timetable slots of the day, by bell, then subject (in the "
        "order the subjects were entered).",
    )


@strawberry.type(description="A student's school week: timetable, lessons, homework, grades.")
class DiaryWeek:
    days: list[DiaryDay] = strawberry.field(
        metadata=reads(Resource.LESSON) | at_most(sizes.DAYS_OF_A_WEEK),
        description="Monday to Friday, or to Saturday in a six-day school week, and any other "
        "day of the week the school works (a Sunday worked as a Monday, with Monday's "
        "timetable) or the student has lessons on, in order.",
    )
    printing: strawberry.Private[diary_pages.DiaryPages | None] = None

    @strawberry.field(
        description="The week as the paper diary's page (base64 PDF, landscape A4): each "
        "day's lessons with subject, topic, homework, marks and absences, a column for the "
        "teacher's signature and a line for the parent's.",
    )
    async def pdf(self, info: Info) -> str:
        document = await diary_pages.week_pdf(info.context, self.printing)
        return base64.b64encode(document).decode()


@strawberry.type(description="A class by name.")
class ClassLine:
    __resource__: ClassVar[Resource] = Resource.SCHOOL_CLASS
    id: strawberry.ID = strawberry.field(description="The class's global ID (a `SchoolClass`).")
    name: str = strawberry.field(description="Parallel and letter, e.g. «5А».")


@strawberry.type(description="A class's record in a subject over the period.")
class OverviewRow:
    __resource__: ClassVar[Resource] = Resource.GRADE
    key: strawberry.Private[tuple[int, int]]  # the class and the subject: the row's cursor
    school_class: ClassLine | None = strawberry.field(
        metadata=reads(Resource.SCHOOL_CLASS), description="Null where you may not read it."
    )
    subject: SubjectLine | None = strawberry.field(
        metadata=reads(Resource.CURRICULUM), description="Null where you may not read it."
    )
    average: Decimal | None = strawberry.field(
        description="Of every mark, to 2 decimals (rounded half up); null without any."
    )
    weighted_average: Decimal | None = strawberry.field(
        description="Weighted by the work types' weights, to 2 decimals; null without any mark."
    )
    grade_count: int = strawberry.field(description="Marks counted; «зачёт» has no value.")
    lessons_held: int = strawberry.field(description="Lessons held in the period.")
    lessons_without_topic: int = strawberry.field(description="Held, with no topic written.")
    lessons_without_homework: int = strawberry.field(description="Held, with no homework set.")


@strawberry.type(
    description="A school's classes × subjects in a period: averages and gaps (сводная "
    "ведомость). Computed whole in three statements; `rows` pages it."
)
class SchoolOverview:
    all_rows: strawberry.Private[list[OverviewRow]]

    @strawberry.field(
        metadata=reads(Resource.GRADE),
        description="A page of the rows, by class (parallel, letter), then subject name; "
        "totalCount counts every class × subject with lessons in the period.",
    )
    def rows(self, first: First = None, after: After = None) -> Connection[OverviewRow]:
        page = page_of(self.all_rows, _overview_key, 2, first=first, after=after)
        return Connection(page=page)

    export: strawberry.Private[school_overview_files.SchoolOverviewAnswer | None] = None
    xlsx = files.xlsx_field(
        school_overview_files.school_overview_sheets,
        Resource.GRADE,
        "«Сводка» (every row, not a page of them), «Средние баллы» (classes × subjects)",
    )
    csv = files.csv_field(school_overview_files.school_overview_sheets, Resource.GRADE)


def _overview_key(row: OverviewRow) -> tuple[int, ...]:
    return row.key


def subject_line(subject_id: int, name: str | None) -> SubjectLine | None:
    """The subject, unless the caller may not read it (its name then comes as null)."""
    return None if name is None else SubjectLine(id=global_id("Subject", subject_id), name=name)


def teacher_line(
    person_id: int, last: str | None, first: str, middle: str | None
) -> TeacherLine | None:
    """The teacher, unless the caller may not read them (their name then comes as null)."""
    if last is None:
        return None
    return TeacherLine(
        id=global_id("Person", person_id),
        full_name=full_name_of(last, first, middle),
        short_name=short_name_of(last, first, middle),
    )


def homework_by_lesson(rows: Sequence[AnyRow]) -> dict[int, list[HomeworkLine]]:
    by_lesson: dict[int, list[HomeworkLine]] = {}
    for homework_id, lesson_id, text, pages, tasks, due_on, individual in rows:
        line = HomeworkLine(
            id=global_id("Homework", homework_id),
            text=text,
            pages=pages,
            tasks=tasks,
            due_on=due_on,
            individual=individual,
        )
        by_lesson.setdefault(lesson_id, []).append(line)
    return by_lesson


def lesson_work_types(rows: Sequence[tuple[Any, ...]]) -> list[LessonWorkType]:
    return [
        LessonWorkType(id=global_id("WorkType", work_type_id), short_name=short, weight=weight)
        for work_type_id, short, weight in rows
    ]


def grid_grades(rows: Sequence[AnyRow]) -> list[GridGrade]:
    return [
        GridGrade(
            id=global_id("Grade", grade_id),
            lesson_id=global_id("Lesson", lesson_id),
            student_id=global_id("Person", student_id),
            work_type_id=global_id("WorkType", work_type_id),
            mark=mark,
            comment=comment,
        )
        for grade_id, lesson_id, student_id, work_type_id, mark, comment in rows
    ]


def grid_attendance(rows: Sequence[AnyRow]) -> list[GridAttendance]:
    return [
        GridAttendance(
            id=global_id("Attendance", mark_id),
            lesson_id=global_id("Lesson", lesson_id),
            student_id=global_id("Person", student_id),
            kind=kind,
            late_minutes=late,
        )
        for mark_id, lesson_id, student_id, kind, late in rows
    ]


def student_lines(rows: Sequence[AnyRow]) -> list[StudentLine]:
    return [
        StudentLine(
            id=global_id("Person", person_id),
            full_name=full_name_of(last, first, middle),
            short_name=short_name_of(last, first, middle),
        )
        for person_id, last, first, middle in rows
    ]


def grade_grid(rows: GradeGridRows) -> GradeGrid:
    students = []
    for person_id, last, first, middle, *_ in rows.students:
        averages = rows.averages.get(person_id)
        students.append(
            GridStudent(
                id=global_id("Person", person_id),
                full_name=full_name_of(last, first, middle),
                short_name=short_name_of(last, first, middle),
                average=averages.average if averages else None,
                weighted_average=averages.weighted_average if averages else None,
            )
        )
    return GradeGrid(
        students=students,
        lessons=[
            GridLesson(
                id=global_id("Lesson", lesson_id),
                held_on=held_on,
                bell_number=bell,
                status=status,
                topic=topic,
                work_types=lesson_work_types(work_types),
            )
            for (lesson_id, held_on, bell, status, topic, *_), _, work_types in by_lesson(
                rows.lessons
            )
        ],
        grades=grid_grades(rows.grades),
        attendance=grid_attendance(rows.attendance),
    )


def class_journal(rows: ClassJournalRows) -> ClassJournalPage:
    homework = homework_by_lesson(rows.homework)
    return ClassJournalPage(
        students=student_lines(rows.students),
        lessons=[
            JournalLesson(
                id=global_id("Lesson", lesson_id),
                held_on=held_on,
                bell_number=bell,
                status=status,
                topic=topic,
                group_id=global_id("Group", group_id),
                subject=subject_line(subject_id, subject),
                teacher=teacher_line(teacher_id, last, first, middle),
                work_types=lesson_work_types(work_types),
                homework=homework.get(lesson_id, []),
            )
            for (
                (lesson_id, held_on, bell, status, topic, group_id, subject_id, teacher_id),
                (subject, last, first, middle),
                work_types,
            ) in by_lesson(rows.lessons)
        ],
        grades=grid_grades(rows.grades),
        attendance=grid_attendance(rows.attendance),
    )


async def class_journal_field(
    info: Info,
    class_id: Annotated[
        strawberry.ID, strawberry.argument(description="The class (a `SchoolClass` ID).")
    ],
    date_from: Annotated[
        date, strawberry.argument(description="The page's first day (YYYY-MM-DD).")
    ],
    date_to: Annotated[
        date,
        strawberry.argument(
            description=f"The page's last day (YYYY-MM-DD): not before `dateFrom`, at most "
            f"{class_journals.MAX_DAYS} days with it."
        ),
    ],
) -> ClassJournalPage:
    school_class = decode_id(class_id, SchoolClass)
    rows = await class_journals.class_journal(info.context, school_class, date_from, date_to)
    export = class_journal_files.ClassJournalAnswer(rows, school_class, date_from, date_to)
    return replace(class_journal(rows), export=export)


def diary_week(rows: DiaryRows) -> DiaryWeek:
    homework = homework_by_lesson(rows.homework)
    grades: dict[int, list[DiaryGrade]] = {}
    for grade_id, lesson_id, _, work_type_id, mark, comment, short, weight in rows.grades:
        work_type = LessonWorkType(
            id=global_id("WorkType", work_type_id), short_name=short, weight=weight
        )
        grade = DiaryGrade(
            id=global_id("Grade", grade_id), mark=mark, comment=comment, work_type=work_type
        )
        grades.setdefault(lesson_id, []).append(grade)
    attendance = {
        lesson_id: DiaryAttendance(kind=kind, late_minutes=late)
        for _, lesson_id, _, kind, late in rows.attendance
    }
    entry_bell = {entry[0]: entry[5] for entry in rows.timetable}
    changes: dict[tuple[int, date, int | None], AnyRow] = {}
    for row in rows.changes:
        group_id, on_date, bell, entry_id, *_ = row
        changes[(group_id, on_date, bell if bell is not None else entry_bell.get(entry_id))] = row
    by_day: dict[date, list[tuple[int, int, DiaryLesson]]] = {day: [] for day in rows.days}
    held = set()
    for (
        (lesson_id, held_on, bell, status, topic, group_id, subject_id, teacher_id),
        (subject, last, first, middle),
        _,
    ) in by_lesson(rows.lessons):
        held.add((group_id, held_on, bell))
        lesson_change = changes.get((group_id, held_on, bell))
        lesson = DiaryLesson(
            id=global_id("Lesson", lesson_id),
            bell_number=bell,
            status=status,
            topic=topic,
            change=lesson_change.kind if lesson_change else None,
            subject=subject_line(subject_id, subject),
            teacher=teacher_line(teacher_id, last, first, middle),
            homework=homework.get(lesson_id, []),
            grades=grades.get(lesson_id, []),
            attendance=attendance.get(lesson_id),
        )
        by_day.setdefault(held_on, []).append((bell, subject_id, lesson))
    for day, lessons in by_day.items():
        if day in rows.days_off:
            continue
        # A day worked instead of another (a Sunday worked as a Monday) has that one's slots.
        follows = rows.working_days.get(day, day.isoweekday())
        for entry in rows.timetable:
            _, group_id, subject_id, teacher_id, weekday, bell, starts, ends, *names = entry
            if weekday != follows or starts > day or (ends is not None and ends < day):
                continue
            if (group_id, day, bell) in held:
                continue
            change = changes.get((group_id, day, bell))
            if change is not None and change.teacher_id is not None:
                teacher_id, names[1:] = change.teacher_id, change[8:]
            slot = DiaryLesson(
                id=None,
                bell_number=bell,
                status=None,
                topic=None,
                change=change.kind if change else None,
                subject=subject_line(subject_id, names[0]),
                teacher=teacher_line(teacher_id, *names[1:]),
                homework=[],
                grades=[],
                attendance=None,
            )
            lessons.append((bell, subject_id, slot))
    return DiaryWeek(
        days=[
            DiaryDay(
                date=day,
                day_off=rows.days_off.get(day),
                lessons=[lesson for *_, lesson in sorted(by_day[day], key=lambda x: x[:2])],
            )
            for day in rows.days
        ]
    )


async def diary_week_field(
    info: Info,
    student_id: Annotated[
        strawberry.ID, strawberry.argument(description="The student (a `Person` ID).")
    ],
    week_of: Annotated[
        date, strawberry.argument(description="Any day of the week to show (YYYY-MM-DD).")
    ],
) -> DiaryWeek:
    student = decode_id(student_id, Person)
    rows = await diaries.diary_week(info.context, student, week_of)
    week = diary_week(rows)
    week.printing = diary_pages.DiaryPages(student, rows)
    return week


def school_overview(rows: list[overviews.OverviewRow]) -> SchoolOverview:
    return SchoolOverview(
        all_rows=[
            OverviewRow(
                key=(row.class_id, row.subject_id),
                school_class=None
                if row.class_name is None
                else ClassLine(id=global_id("SchoolClass", row.class_id), name=row.class_name),
                subject=subject_line(row.subject_id, row.subject_name),
                average=row.average,
                weighted_average=row.weighted_average,
                grade_count=row.grade_count,
                lessons_held=row.lessons_held,
                lessons_without_topic=row.lessons_without_topic,
                lessons_without_homework=row.lessons_without_homework,
            )
            for row in rows
        ]
    )


async def school_overview_field(
    info: Info,
    school_id: Annotated[
        strawberry.ID, strawberry.argument(description="The school (a `School` ID).")
    ],
    period_id: Annotated[
        strawberry.ID,
        strawberry.argument(description="The period (a `Period` ID): a quarter, a half, the year."),
    ],
) -> SchoolOverview:
    ids = decode_id(school_id, School), decode_id(period_id, Period)
    rows = await overviews.school_overview(info.context, *ids)
    export = school_overview_files.SchoolOverviewAnswer(rows, *ids)
    return replace(school_overview(rows), export=export)


async def grade_grid_field(
    info: Info,
    group_id: Annotated[
        strawberry.ID, strawberry.argument(description="The group (a `Group` ID).")
    ],
    subject_id: Annotated[
        strawberry.ID, strawberry.argument(description="The subject (a `Subject` ID).")
    ],
    period_id: Annotated[
        strawberry.ID,
        strawberry.argument(description="The reporting period (a `Period` ID)."),
    ],
) -> GradeGrid:
    ids = decode_id(group_id, Group), decode_id(subject_id, Subject), decode_id(period_id, Period)
    rows = await grade_grids.grade_grid(info.context, *ids)
    return replace(grade_grid(rows), export=grade_grids.GradeGridAnswer(rows, *ids))
