"""Mutations of classes and their groups (А #17, Г.1 #6)."""

from collections.abc import Iterable
from typing import Annotated, Any

import strawberry
from strawberry.permission import BasePermission
from strawberry.utils.str_converters import to_camel_case

import model as m
from policies.vocabulary import Action, Resource
from resolvers.errors import BadUserInput
from resolvers.records import Removal
from resolvers.setup import class_writes, group_writes
from schema import list_sizes as sizes
from schema.base import Info, decode_id, decode_optional, reads
from schema.bounds import list_argument, list_field, text_field, width
from schema.enums import PeriodKind
from schema.people.person import Person
from schema.permissions import PersonalAccount, can
from schema.setup.calendar import BellSchedule, SchoolYear
from schema.setup.classes import Group, SchoolClass
from schema.setup.curriculum import Subject
from schema.setup.school import Room

UNSET: Any = strawberry.UNSET
# A letter is at most 4 characters (`class_writes.MAX_LETTER`, said in its own words); the
# bound leaves room for a control sequence to be refused as one.
LETTER = 2 * class_writes.MAX_LETTER
REFERENCES = {
    "class_teacher_id": Person,
    "room_id": Room,
    "bell_schedule_id": BellSchedule,
    "subject_id": Subject,
}


def _given(input: Any, fields: Iterable[str], *, nullable: Iterable[str] = ()) -> dict[str, Any]:
    """The fields given (left out: kept), IDs decoded; null only where it may be empty."""
    given = {}
    for name in fields:
        value = getattr(input, name)
        if value is UNSET:
            continue
        if value is None and name not in nullable:
            camel = to_camel_case(name)
            raise BadUserInput(f"`{camel}` cannot be null: leave it out to keep it.", field=camel)
        if name in REFERENCES:
            value = decode_optional(value, REFERENCES[name])
        given[name] = value
    return given


@strawberry.input(description="A new class (класс) of a school year, e.g. «5А».")
class ClassCreateInput:
    school_year_id: strawberry.ID = strawberry.field(
        description="Its school year (a `SchoolYear` ID)."
    )
    parallel: int = strawberry.field(description="The parallel, the year of study: 1 to 11.")
    letter: str = text_field(
        LETTER, description="Its letter within the parallel, e.g. «А»; at most 4 letters"
    )
    class_teacher_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Its class teacher (a `Person` teaching at the school); null: none yet.",
    )
    room_id: strawberry.ID | None = strawberry.field(
        default=None, description="Its home room (a `Room` ID)."
    )
    bell_schedule_id: strawberry.ID | None = strawberry.field(
        default=None, description="The bell schedule its lessons follow (a `BellSchedule` ID)."
    )
    period_kind: PeriodKind = strawberry.field(
        default=m.PeriodKind.QUARTER,
        description="The reporting periods that grade it: quarters unless said otherwise.",
    )


async def class_create(
    info: Info,
    input: Annotated[ClassCreateInput, strawberry.argument(description="The class.")],
) -> m.SchoolClass:
    entry = class_writes.ClassEntry(
        school_year_id=decode_id(input.school_year_id, SchoolYear),
        parallel=input.parallel,
        letter=input.letter,
        class_teacher_id=decode_optional(input.class_teacher_id, Person),
        room_id=decode_optional(input.room_id, Room),
        bell_schedule_id=decode_optional(input.bell_schedule_id, BellSchedule),
        period_kind=input.period_kind,
    )
    return await class_writes.class_create(info.context, entry)


@strawberry.input(description="A class's corrections; fields left out stay as they are.")
class ClassUpdateInput:
    class_id: strawberry.ID = strawberry.field(description="The class (a `SchoolClass` ID).")
    parallel: int | None = strawberry.field(default=UNSET, description="The parallel: 1 to 11.")
    letter: str | None = text_field(
        LETTER, default=UNSET, description="Its letter, e.g. «А»; at most 4 letters"
    )
    class_teacher_id: strawberry.ID | None = strawberry.field(
        default=UNSET,
        description="Its class teacher (a `Person` teaching at the school); null: none. Only "
        "the admin changes it.",
    )
    room_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Its home room (a `Room` ID); null: none."
    )
    bell_schedule_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Its bell schedule (a `BellSchedule` ID); null: none."
    )
    period_kind: PeriodKind | None = strawberry.field(
        default=UNSET, description="The reporting periods that grade it."
    )


async def class_update(
    info: Info,
    input: Annotated[ClassUpdateInput, strawberry.argument(description="What to correct.")],
) -> m.SchoolClass:
    values = _given(
        input,
        ["parallel", "letter", "class_teacher_id", "room_id", "bell_schedule_id", "period_kind"],
        nullable=["class_teacher_id", "room_id", "bell_schedule_id"],
    )
    return await class_writes.class_update(
        info.context, decode_id(input.class_id, SchoolClass), values
    )


async def class_remove(
    info: Info,
    class_id: Annotated[
        strawberry.ID, strawberry.argument(description="The class (a `SchoolClass` ID).")
    ],
) -> Removal:
    return await class_writes.class_remove(info.context, decode_id(class_id, SchoolClass))


StudentIds = list_field(
    sizes.CLASS_SIZE, optional=True, description="Its students (`Person` IDs) of the class"
)


@strawberry.input(description="A new subgroup (подгруппа) of a class.")
class GroupCreateInput:
    class_id: strawberry.ID = strawberry.field(description="The class (a `SchoolClass` ID).")
    name: str = text_field(
        width(m.Group.name), description="Its name, unique in the class, e.g. «Англ. 1»"
    )
    subject_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The subject it is split for (a `Subject` ID); null: any subject.",
    )
    student_ids: list[strawberry.ID] = StudentIds


async def group_create(
    info: Info,
    input: Annotated[GroupCreateInput, strawberry.argument(description="The subgroup.")],
) -> m.Group:
    return await group_writes.group_create(
        info.context,
        decode_id(input.class_id, SchoolClass),
        input.name,
        decode_optional(input.subject_id, Subject),
        [decode_id(s, Person) for s in input.student_ids],
    )


@strawberry.input(description="A subgroup's corrections; fields left out stay as they are.")
class GroupUpdateInput:
    group_id: strawberry.ID = strawberry.field(description="The subgroup (a `Group` ID).")
    name: str | None = text_field(
        width(m.Group.name), default=UNSET, description="Its name, unique in the class"
    )
    subject_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="The subject it is split for; null: any subject."
    )


async def group_update(
    info: Info,
    input: Annotated[GroupUpdateInput, strawberry.argument(description="What to correct.")],
) -> m.Group:
    values = _given(input, ["name", "subject_id"], nullable=["subject_id"])
    return await group_writes.group_update(info.context, decode_id(input.group_id, Group), values)


GroupId = Annotated[strawberry.ID, strawberry.argument(description="The subgroup (a `Group` ID).")]


async def group_students_set(
    info: Info,
    group_id: GroupId,
    student_ids: Annotated[
        list[strawberry.ID],
        list_argument(
            sizes.CLASS_SIZE,
            description="Its students from now on (`Person` IDs of students placed in the "
            "class); empty: none",
        ),
    ],
) -> m.Group:
    return await group_writes.group_students_set(
        info.context, decode_id(group_id, Group), [decode_id(s, Person) for s in student_ids]
    )


async def group_remove(info: Info, group_id: GroupId) -> Removal:
    return await group_writes.group_remove(info.context, decode_id(group_id, Group))


def _writes(resource: Resource) -> list[type[BasePermission]]:
    return [can(resource, Action.WRITE), PersonalAccount]


ADMIN = "The school's admin, signed in with their own login."
GROUPS = (
    "The class teacher for their own class (Г.1 #6), a teacher for a subject they teach the "
    "class, the admin for any; signed in with their own login."
)

class_create_field = strawberry.mutation(
    resolver=class_create,
    graphql_type=SchoolClass,
    permission_classes=_writes(Resource.SCHOOL_CLASS),
    metadata=reads(Resource.SCHOOL_CLASS),
    description="Create a class of a school year (А #17), with its whole-class group. A "
    f"parallel and letter taken that year is BAD_USER_INPUT. {ADMIN}",
)
class_update_field = strawberry.mutation(
    resolver=class_update,
    graphql_type=SchoolClass,
    permission_classes=_writes(Resource.CLASS_SETTINGS),
    metadata=reads(Resource.SCHOOL_CLASS),
    description="Set a class up: its parallel and letter, home room, bell schedule, reporting "
    "periods — the admin for any class, its class teacher for their own (Г.1 #6) — and its "
    "class teacher (appoint or change the классный руководитель): the admin only, FORBIDDEN "
    "to the class teacher. Signed in with one's own login.",
)
class_remove_field = strawberry.mutation(
    resolver=class_remove,
    permission_classes=_writes(Resource.SCHOOL_CLASS),
    description="Remove a class: deleted with its groups when nobody was placed in it and "
    "nothing was taught to it, else archived with them (kept in every record and report, "
    f"taking no new students). {ADMIN}",
)
group_create_field = strawberry.mutation(
    resolver=group_create,
    graphql_type=Group,
    permission_classes=_writes(Resource.GROUP),
    metadata=reads(Resource.GROUP),
    description=f"Split a class: a new subgroup with its students. {GROUPS}",
)
group_update_field = strawberry.mutation(
    resolver=group_update,
    graphql_type=Group,
    permission_classes=_writes(Resource.GROUP),
    metadata=reads(Resource.GROUP),
    description=f"Rename a subgroup, or change the subject it is split for. {GROUPS}",
)
group_students_set_field = strawberry.mutation(
    resolver=group_students_set,
    graphql_type=Group,
    permission_classes=_writes(Resource.GROUP),
    metadata=reads(Resource.GROUP),
    description="Set a subgroup's students, all at once: those listed are in it from now on, "
    f"each one placed in the class. {GROUPS}",
)
group_remove_field = strawberry.mutation(
    resolver=group_remove,
    permission_classes=_writes(Resource.GROUP),
    description="Remove a subgroup: deleted with its list when it has no lessons nor "
    f"timetable, else archived. The whole class goes only with its class. {GROUPS}",
)
