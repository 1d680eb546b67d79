"""Mutations of the school's subjects and their links, kinds of work and grade scales (А #16,
§4.8)."""

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Annotated, Any

import strawberry

import model as m
from policies.vocabulary import Resource
from resolvers.records import Removal
from resolvers.setup import curriculum_writes, grade_scale_writes, subject_links
from schema.base import Info, decode_id, reads
from schema.bounds import list_argument, list_field, text_field, width
from schema.people.person import Person
from schema.setup.classes import SchoolClass
from schema.setup.curriculum import GradeScale, Subject, WorkType
from schema.setup.premises_writes import OWN_LOGIN, REMOVAL
from schema.setup.school import Room, School
from schema.setup.write_inputs import changes, writes

UNSET = strawberry.UNSET
MAX_LINKS = 100  # teachers of a subject, rooms fitted for it, classes taking it
MAX_MARKS = 20


@strawberry.input(description="A new subject (учебный предмет).")
class SubjectCreateInput:
    school_id: strawberry.ID = strawberry.field(description="The school (a `School` ID).")
    name: str = text_field(width(m.Subject.name), description="Its full name, unique in the school")
    short_name: str = text_field(
        width(m.Subject.short_name), description="As the journal's columns print it"
    )
    grade_scale_id: strawberry.ID = strawberry.field(
        description="The scale its grades are given on (a `GradeScale` ID)."
    )
    no_attestation: bool = strawberry.field(
        default=False, description="«Без аттестации»: no term or final grades are expected."
    )


async def subject_create(
    info: Info,
    input: Annotated[SubjectCreateInput, strawberry.argument(description="The subject.")],
) -> m.Subject:
    values = {
        "name": input.name,
        "short_name": input.short_name,
        "grade_scale_id": decode_id(input.grade_scale_id, GradeScale),
        "no_attestation": input.no_attestation,
    }
    return await curriculum_writes.subject_create(
        info.context, decode_id(input.school_id, School), values
    )


@strawberry.input(description="A subject's corrections; fields left out stay.")
class SubjectUpdateInput:
    subject_id: strawberry.ID = strawberry.field(description="The subject (a `Subject` ID).")
    name: str | None = text_field(width(m.Subject.name), default=UNSET, description="Its name")
    short_name: str | None = text_field(
        width(m.Subject.short_name), default=UNSET, description="Its short name"
    )
    grade_scale_id: strawberry.ID | None = strawberry.field(
        default=UNSET,
        description="The scale its new grades are given on (a `GradeScale` ID); grades given "
        "keep theirs.",
    )
    no_attestation: bool | None = strawberry.field(
        default=UNSET, description="«Без аттестации»: no term or final grades are expected."
    )


async def subject_update(
    info: Info,
    input: Annotated[SubjectUpdateInput, strawberry.argument(description="What to correct.")],
) -> m.Subject:
    values = changes(input, ["name", "short_name", "grade_scale_id", "no_attestation"])
    if "grade_scale_id" in values:
        values["grade_scale_id"] = decode_id(values["grade_scale_id"], GradeScale)
    return await curriculum_writes.subject_update(
        info.context, decode_id(input.subject_id, Subject), values
    )


SubjectArgument = Annotated[
    strawberry.ID, strawberry.argument(description="The subject (a `Subject` ID).")
]


async def subject_remove(info: Info, subject_id: SubjectArgument) -> Removal:
    return await curriculum_writes.subject_remove(info.context, decode_id(subject_id, Subject))


async def subject_teachers_set(
    info: Info,
    subject_id: SubjectArgument,
    teacher_ids: Annotated[
        list[strawberry.ID],
        list_argument(MAX_LINKS, description="Every teacher who teaches it (`Person` IDs)"),
    ],
) -> m.Subject:
    return await subject_links.subject_teachers_set(
        info.context, decode_id(subject_id, Subject), [decode_id(t, Person) for t in teacher_ids]
    )


async def subject_rooms_set(
    info: Info,
    subject_id: SubjectArgument,
    room_ids: Annotated[
        list[strawberry.ID],
        list_argument(MAX_LINKS, description="Every room fitted for it (`Room` IDs)"),
    ],
) -> m.Subject:
    return await subject_links.subject_rooms_set(
        info.context, decode_id(subject_id, Subject), [decode_id(r, Room) for r in room_ids]
    )


@strawberry.input(description="A class whose curriculum has the subject, with its hours.")
class SubjectClassInput:
    class_id: strawberry.ID = strawberry.field(description="The class (a `SchoolClass` ID).")
    hours_per_week: int = strawberry.field(description="Its hours a week there, 0 to 12.")


async def subject_classes_set(
    info: Info,
    subject_id: SubjectArgument,
    classes: Annotated[
        list[SubjectClassInput],
        list_argument(MAX_LINKS, description="Every class that takes it, with its hours"),
    ],
) -> m.Subject:
    hours = [(decode_id(c.class_id, SchoolClass), c.hours_per_week) for c in classes]
    return await subject_links.subject_classes_set(
        info.context, decode_id(subject_id, Subject), hours
    )


@strawberry.input(description="A new kind of graded work (вид работы).")
class WorkTypeCreateInput:
    school_id: strawberry.ID = strawberry.field(description="The school (a `School` ID).")
    name: str = text_field(width(m.WorkType.name), description="Its name, unique in the school")
    short_name: str = text_field(
        width(m.WorkType.short_name), description="As the journal's columns print it"
    )
    weight: Decimal = strawberry.field(
        description="Its weight in the weighted average: more than 0, at most 10, two decimals."
    )
    checking_days: int = strawberry.field(
        default=2, description="Days its checking may take (срок проверки), 0 to 30."
    )


async def work_type_create(
    info: Info,
    input: Annotated[WorkTypeCreateInput, strawberry.argument(description="The kind of work.")],
) -> m.WorkType:
    entry = curriculum_writes.WorkTypeEntry(
        name=input.name,
        short_name=input.short_name,
        weight=input.weight,
        checking_days=input.checking_days,
    )
    return await curriculum_writes.work_type_create(
        info.context, decode_id(input.school_id, School), entry
    )


@strawberry.input(description="A kind of work's corrections; fields left out stay.")
class WorkTypeUpdateInput:
    work_type_id: strawberry.ID = strawberry.field(description="The kind (a `WorkType` ID).")
    name: str | None = text_field(width(m.WorkType.name), default=UNSET, description="Its name")
    short_name: str | None = text_field(
        width(m.WorkType.short_name), default=UNSET, description="Its short name"
    )
    weight: Decimal | None = strawberry.field(
        default=UNSET, description="Its weight: more than 0, at most 10, two decimals."
    )
    checking_days: int | None = strawberry.field(
        default=UNSET, description="Days its checking may take, 0 to 30."
    )


async def work_type_update(
    info: Info,
    input: Annotated[WorkTypeUpdateInput, strawberry.argument(description="What to correct.")],
) -> m.WorkType:
    values = changes(input, ["name", "short_name", "weight", "checking_days"])
    return await curriculum_writes.work_type_update(
        info.context, decode_id(input.work_type_id, WorkType), values
    )


async def work_type_remove(
    info: Info,
    work_type_id: Annotated[
        strawberry.ID, strawberry.argument(description="The kind of work (a `WorkType` ID).")
    ],
) -> Removal:
    return await curriculum_writes.work_type_remove(info.context, decode_id(work_type_id, WorkType))


@strawberry.input(description="One mark of a grade scale, in the order the journal offers.")
class GradeScaleMarkInput:
    mark: str = text_field(
        width(m.GradeScaleMark.mark), description="The mark as written: «5», «зач»"
    )
    value: Decimal | None = strawberry.field(
        default=None, description="What averages count it as (0 to 99.99); null: not counted."
    )


def _marks(marks: list[GradeScaleMarkInput]) -> list[grade_scale_writes.MarkEntry]:
    return [grade_scale_writes.MarkEntry(mark=mark.mark, value=mark.value) for mark in marks]


@strawberry.input(description="A new grade scale with its marks (шкала оценок).")
class GradeScaleCreateInput:
    school_id: strawberry.ID = strawberry.field(description="The school (a `School` ID).")
    name: str = text_field(width(m.GradeScale.name), description="Its name, unique in the school")
    marks: list[GradeScaleMarkInput] = list_field(MAX_MARKS, description="Its marks, in order")


async def grade_scale_create(
    info: Info,
    input: Annotated[GradeScaleCreateInput, strawberry.argument(description="The scale.")],
) -> m.GradeScale:
    return await grade_scale_writes.grade_scale_create(
        info.context, decode_id(input.school_id, School), input.name, _marks(input.marks)
    )


@strawberry.input(description="A grade scale's corrections; fields left out stay.")
class GradeScaleUpdateInput:
    grade_scale_id: strawberry.ID = strawberry.field(description="The scale (a `GradeScale` ID).")
    name: str | None = text_field(width(m.GradeScale.name), default=None, description="Its name")
    marks: list[GradeScaleMarkInput] | None = list_field(
        MAX_MARKS,
        optional=True,
        description="All its marks, in order, replacing those there; a mark grades were given "
        "in stays (BAD_USER_INPUT if left out); not given, the marks stay",
    )


async def grade_scale_update(
    info: Info,
    input: Annotated[GradeScaleUpdateInput, strawberry.argument(description="What to correct.")],
) -> m.GradeScale:
    marks = None if not input.marks else _marks(input.marks)
    return await grade_scale_writes.grade_scale_update(
        info.context, decode_id(input.grade_scale_id, GradeScale), input.name, marks
    )


async def grade_scale_remove(
    info: Info,
    grade_scale_id: Annotated[
        strawberry.ID, strawberry.argument(description="The scale (a `GradeScale` ID).")
    ],
) -> Removal:
    return await grade_scale_writes.grade_scale_remove(
        info.context, decode_id(grade_scale_id, GradeScale)
    )


def _subject_write(
    resolver: Callable[..., Awaitable[Any]], description: str, graphql_type: Any = Subject
) -> Any:
    return strawberry.mutation(
        resolver=resolver,
        graphql_type=graphql_type,
        permission_classes=writes(Resource.CURRICULUM),
        metadata=reads(Resource.CURRICULUM),
        description=description + OWN_LOGIN,
    )


subject_create_field = _subject_write(
    subject_create,
    "Add a subject (А #16) with its grade scale and, for an elective, «без аттестации» "
    "(§4.8); a name taken in the school, or an archived scale, is BAD_USER_INPUT.",
)
subject_update_field = _subject_write(
    subject_update, "Correct a subject: its names, grade scale, «без аттестации»."
)
subject_remove_field = strawberry.mutation(
    resolver=subject_remove,
    permission_classes=writes(Resource.CURRICULUM),
    description="Remove a subject: "
    + REMOVAL.format(
        used="it has lessons, a timetable, final grades, a КТП or groups of its own (its links "
        "stay); an unused one goes with its links"
    )
    + OWN_LOGIN,
)
subject_teachers_set_field = _subject_write(
    subject_teachers_set,
    "Set who teaches the subject («предмет-педагог»): the list replaces the one there; each "
    "must hold a teacher's role in the school.",
)
subject_rooms_set_field = _subject_write(
    subject_rooms_set,
    "Set the rooms fitted for the subject («предмет-кабинет»): the list replaces the one "
    "there; an archived room is BAD_USER_INPUT.",
)
subject_classes_set_field = _subject_write(
    subject_classes_set,
    "Set the classes whose curriculum has the subject, with its hours a week "
    "(«предмет-класс»): the list replaces the one there.",
)
work_type_create_field = _subject_write(
    work_type_create,
    "Add a kind of graded work with its weight and checking days.",
    WorkType,
)
work_type_update_field = _subject_write(
    work_type_update,
    "Correct a kind of work; a new weight counts in every average from now on, grades "
    "given included.",
    WorkType,
)
work_type_remove_field = strawberry.mutation(
    resolver=work_type_remove,
    permission_classes=writes(Resource.CURRICULUM),
    description="Remove a kind of work: "
    + REMOVAL.format(used="grades were given for it, a lesson or a КТП item names it")
    + OWN_LOGIN,
)
grade_scale_create_field = _subject_write(
    grade_scale_create, "Add a grade scale with its marks, in order.", GradeScale
)
grade_scale_update_field = _subject_write(
    grade_scale_update, "Correct a grade scale: its name, its marks.", GradeScale
)
grade_scale_remove_field = strawberry.mutation(
    resolver=grade_scale_remove,
    permission_classes=writes(Resource.CURRICULUM),
    description="Remove a grade scale: "
    + REMOVAL.format(used="a subject is graded on it, or grades were given on it")
    + OWN_LOGIN,
)
