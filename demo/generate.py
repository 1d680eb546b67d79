"""The demo school generator: a whole school year of a realistic Russian school, up to today."""

import itertools
import random
from collections.abc import Callable
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from demo.accounts import issue_accounts
from demo.classes import emit_classes, form_groups, open_classes
from demo.families import Enrolment
from demo.finals import set_final_grades
from demo.ids import Ids
from demo.journal import Journal
from demo.lessons import give_lessons
from demo.links import link_subjects
from demo.messages import write_messages
from demo.options import DemoLogin, DemoOptions
from demo.people import People
from demo.plan import build_plans
from demo.rooms import build_rooms
from demo.school import build_school
from demo.sink import Sink
from demo.staff import Staff, hire_staff
from demo.staffing import plan_classes, plan_staff
from demo.teaching import assign_teaching
from demo.timetable import build_timetable
from demo.world import ClassRec, PersonRec, Teacher, Teaching
from model import Account, Municipality, Region, Role, School
from resolvers.accounts.passwords import hash_password

REGION = "Демонстрационный край"
MUNICIPALITY = "Демоградский городской округ"

Progress = Callable[[str, int, int], None]


async def generate_demo(
    engine: AsyncEngine, options: DemoOptions, progress: Progress | None = None
) -> list[DemoLogin]:
    """Generate `options.schools` demo schools in one transaction and return their demo logins.

    The output depends only on `options` (the seed and `today`) and on what the database
    already holds, but for the demo API tokens' issue and expiry: the real moment, since the
    server checks expiry by the clock. Every account and token is marked `is_demo`. An empty
    database is not required: ids continue after each table's
    current max(id), the demo region and municipality are reused if present, logins avoid
    existing ones (the first school's demo logins get an «sN.» prefix when plain «admin» etc.
    are taken) and school numbers avoid existing schools' names. On PostgreSQL the id
    sequences are moved past the generated ids afterwards. Do not write to the database
    concurrently while it runs.

    Lessons before `today` are held (a few cancelled or given by a substitute) with their
    attendance, grades, homework; today's lessons are planned, not yet held; term grades are
    set for the periods that ended before `today`. The database's planner statistics are
    gathered at the end (ANALYZE).
    """
    options.validate()
    today = options.resolved_today()
    password_hash = hash_password("demo")
    sink = Sink()
    logins: list[DemoLogin] = []
    async with engine.begin() as conn:
        ids = await Ids.load(conn)
        used_logins = set((await conn.execute(select(Account.login))).scalars())
        existing_names = set((await conn.execute(select(School.short_name))).scalars())
        region_id, municipality_id = await _region(conn, ids, sink)
        numbers = _school_numbers(options, existing_names)
        for index in range(options.schools):
            logins.extend(
                await _school(
                    conn, sink, ids, options, index, numbers[index], region_id,
                    municipality_id, today, password_hash, used_logins, progress,
                )
            )  # fmt: skip
        await sink.reset_sequences(conn)
        # The planner's statistics, as they are after a bulk load: SQLite gathers none by
        # itself (a quarter's averages take 39 ms of SQL with them, 64 without), and
        # PostgreSQL's autovacuum would gather them at some moment of its own.
        await conn.execute(text("ANALYZE"))
    return logins


def _rng(options: DemoOptions, index: int, stage: str) -> random.Random:
    # A generator per stage, so that changing one stage does not reshuffle the others.
    return random.Random(f"{options.seed}/{index}/{stage}")


def _school_numbers(options: DemoOptions, existing: set[str]) -> list[int]:
    """Numbers drawn from 1–199; past as many schools, the next free ones from 200 on (a
    region's bench)."""
    rng = _rng(options, 0, "numbers")
    free = [n for n in range(1, 200) if f"МБОУ СОШ № {n}" not in existing]
    drawn = rng.sample(free, min(options.schools, len(free)))
    beyond = (n for n in itertools.count(200) if f"МБОУ СОШ № {n}" not in existing)
    return drawn + list(itertools.islice(beyond, options.schools - len(drawn)))


async def _region(conn: AsyncConnection, ids: Ids, sink: Sink) -> tuple[int, int]:
    region_id = (await conn.execute(select(Region.id).where(Region.name == REGION))).scalar()
    if region_id is None:
        region_id = ids.next(Region)
        sink.add(Region, {"id": region_id, "name": REGION})
    else:
        municipality_id = (
            await conn.execute(
                select(Municipality.id).where(
                    Municipality.region_id == region_id, Municipality.name == MUNICIPALITY
                )
            )
        ).scalar()
        if municipality_id is not None:
            return region_id, municipality_id
    municipality_id = ids.next(Municipality)
    sink.add(Municipality, {"id": municipality_id, "region_id": region_id, "name": MUNICIPALITY})
    return region_id, municipality_id


async def _school(
    conn: AsyncConnection,
    sink: Sink,
    ids: Ids,
    options: DemoOptions,
    index: int,
    number: int,
    region_id: int,
    municipality_id: int,
    today: date,
    password_hash: str,
    used_logins: set[str],
    progress: Progress | None,
) -> list[DemoLogin]:
    refs = build_school(
        sink, ids, _rng(options, index, "school"), index, region_id, municipality_id, number, today
    )
    await sink.flush(conn, "school", progress)

    plans = plan_classes(options, _rng(options, index, "classes"))
    people = People(sink, ids, _rng(options, index, "people"), refs)
    staff = hire_staff(people, plan_staff(plans, options.teachers))
    build_rooms(sink, ids, refs, [*staff.teachers, staff.psychologist])
    classes = open_classes(ids, plans)
    enrolment = Enrolment(people, sink, staff.teachers)
    for school_class in classes:
        enrolment.enrol(school_class)
    staffed: dict[str, int] = {}
    for teacher in staff.teachers:
        for family in teacher.families:
            staffed[family] = staffed.get(family, 0) + 1
    form_groups(sink, ids, refs, classes, staffed)
    teachings = assign_teaching(classes, staff.teachers, staff.psychologist)
    emit_classes(sink, refs, classes)
    demo = _demo_people(people, staff, classes, teachings, enrolment)
    accounts, logins = issue_accounts(
        sink, ids, refs, people.persons, demo, password_hash, used_logins
    )
    await sink.flush(conn, "people", progress)

    link_subjects(sink, ids, refs, classes, [*staff.teachers, staff.psychologist], teachings)
    timetable = build_timetable(
        sink, ids, refs, classes, teachings, _rng(options, index, "timetable")
    )
    await sink.flush(conn, "timetable", progress)

    steps = build_plans(sink, ids, refs, classes, teachings)
    await sink.flush(conn, "plan", progress)

    lessons = give_lessons(
        sink, ids, refs, classes, timetable, steps, accounts, today,
        _rng(options, index, "lessons"),
    )  # fmt: skip
    await sink.flush(conn, "lessons", progress)

    journal = Journal(
        sink, ids, refs, classes, timetable, accounts, today, _rng(options, index, "journal")
    )
    for lesson in lessons:
        journal.record(lesson)
    await sink.flush(conn, "grades", progress)

    set_final_grades(sink, ids, refs, classes, teachings, journal.marks, accounts, today)
    await sink.flush(conn, "final_grades", progress)

    write_messages(
        sink, ids, refs, classes, enrolment, staff, today, _rng(options, index, "messages")
    )
    await sink.flush(conn, "messages", progress)
    return logins


def _demo_people(
    people: People,
    staff: Staff,
    classes: list[ClassRec],
    teachings: list[Teaching],
    enrolment: Enrolment,
) -> dict[str, PersonRec]:
    """Pick the demo users: a class teacher of a middle-school class, a subject teacher of that
    class, a student of it and the student's parent. Also gives a few teachers a second role."""
    class_teachers = {c.class_teacher.person.id for c in classes if c.class_teacher is not None}
    showcase = min(classes, key=lambda c: (abs(c.parallel - 7), c.index))
    class_teacher = showcase.class_teacher
    hours: dict[int, int] = {}
    for teaching in teachings:
        if teaching.class_index == showcase.index:
            hours[teaching.teacher_id] = hours.get(teaching.teacher_id, 0) + teaching.hours
    subject_teachers = sorted(
        (t for t in staff.teachers if t.person.id not in class_teachers),
        key=lambda t: (-hours.get(t.person.id, 0), -t.load, t.person.id),
    )
    teacher: Teacher | None = subject_teachers[0] if subject_teachers else None
    spare = [t for t in subject_teachers[1:] if not t.primary]
    spare.sort(key=lambda t: (t.load, t.person.id))
    if spare:
        people.role(spare.pop(0).person, Role.DEPUTY)
    for extra in spare[: max(1, len(staff.teachers) // 30)]:
        people.role(extra.person, Role.PSYCHOLOGIST)

    demo: dict[str, PersonRec] = {
        "admin": staff.admin,
        "head": staff.head,
        "deputy": staff.deputy,
        "psychologist": staff.psychologist.person,
    }
    if teacher is not None:
        demo["teacher"] = teacher.person
    if class_teacher is not None:
        demo["class_teacher"] = class_teacher.person
    for student in showcase.students:
        parents = enrolment.parents_of[student.id]
        if not any(people.has_role(parent, Role.TEACHER) for parent, _ in parents):
            demo["student"] = student
            demo["parent"] = parents[0][0]
            break
    return demo
