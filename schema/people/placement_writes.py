"""Placing students in classes: enrol, move, leave, a whole class in one call."""

from datetime import date
from typing import Annotated

import strawberry
from strawberry.permission import BasePermission

import model as m
from policies.vocabulary import Action, Resource
from resolvers.people import placements, promotion
from schema import list_sizes as sizes
from schema.base import Info, decode_id, reads
from schema.bounds import list_argument
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.people.placements import Placement
from schema.permissions import PersonalAccount, can
from schema.setup.classes import SchoolClass

MAX_PLACEMENTS = sizes.CLASS_SIZE * 2  # a whole class at once, with room for a merged one


@strawberry.input(description="A student to place, and the day.")
class PlacementInput:
    student_id: strawberry.ID = strawberry.field(
        description="The student (a `Person` holding the school's student role); once per call."
    )
    on: date | None = strawberry.field(
        default=None,
        description="studentsEnrol: their first day in the class (null: the year's first day); "
        "studentsMove: their first day in the new class (required); studentsLeave: their last "
        "day in it (required). Inside the class's school year.",
    )


def _entries(students: list[PlacementInput]) -> list[placements.PlacementEntry]:
    return [
        placements.PlacementEntry(student_id=decode_id(s.student_id, Person), on=s.on)
        for s in students
    ]


ClassId = Annotated[
    strawberry.ID, strawberry.argument(description="The class (a `SchoolClass` ID).")
]
Students = Annotated[
    list[PlacementInput],
    list_argument(MAX_PLACEMENTS, description="The students, at least one; all or nothing"),
]


async def students_enrol(info: Info, class_id: ClassId, students: Students) -> list[m.ClassStudent]:
    return await placements.students_enrol(
        info.context, decode_id(class_id, SchoolClass), _entries(students)
    )


async def students_move(info: Info, class_id: ClassId, students: Students) -> list[m.ClassStudent]:
    return await placements.students_move(
        info.context, decode_id(class_id, SchoolClass), _entries(students)
    )


async def students_leave(info: Info, class_id: ClassId, students: Students) -> list[m.ClassStudent]:
    return await placements.students_leave(
        info.context, decode_id(class_id, SchoolClass), _entries(students)
    )


_WRITES: list[type[BasePermission]] = [can(Resource.SCHOOL_CLASS, Action.WRITE), PersonalAccount]
_ANSWERS = reads(Resource.SCHOOL_CLASS) | at_most(2 * MAX_PLACEMENTS)

students_enrol_field = strawberry.mutation(
    resolver=students_enrol,
    graphql_type=list[Placement],
    permission_classes=_WRITES,
    metadata=_ANSWERS,
    description="Enrol students in a class (зачисление) from the day given, a whole class in "
    "one call: each must be in no class of that school year then (else BAD_USER_INPUT naming "
    "the class: move them instead). Answers the new placements, student by student. The "
    "school's admin, signed in with their own login.",
)
students_move_field = strawberry.mutation(
    resolver=students_move,
    graphql_type=list[Placement],
    permission_classes=_WRITES,
    metadata=_ANSWERS,
    description="Move students into this class from their class of the same school year "
    "(перевод) on the day given: the old placement ends the day before and is kept, the new "
    "one starts that day. Subgroups are the new class's own: the old class's journals keep "
    "the student's record. Answers the ended and the new placements, student by student. The "
    "school's admin, signed in with their own login.",
)
students_leave_field = strawberry.mutation(
    resolver=students_leave,
    graphql_type=list[Placement],
    permission_classes=_WRITES,
    metadata=_ANSWERS,
    description="Students leave the class (выбытие) after the last day given: their "
    "placements end then and are kept, with the journals they are in. Answers the ended "
    "placements, student by student. The school's admin, signed in with their own login.",
)


async def students_promote(
    info: Info,
    from_class_id: Annotated[
        strawberry.ID,
        strawberry.argument(description="The class of the year ending (a `SchoolClass` ID)."),
    ],
    to_class_id: Annotated[
        strawberry.ID,
        strawberry.argument(description="Its class of a later year (a `SchoolClass` ID)."),
    ],
) -> list[m.ClassStudent]:
    return await promotion.students_promote(
        info.context, decode_id(from_class_id, SchoolClass), decode_id(to_class_id, SchoolClass)
    )


students_promote_field = strawberry.mutation(
    resolver=students_promote,
    graphql_type=list[Placement],
    permission_classes=_WRITES,
    metadata=_ANSWERS,
    description="Promote a class to the next school year (перевод): every student still in "
    "it at its year's end is enrolled in the class given, of a later year, from that year's "
    "first day, as `studentsEnrol` would (a student placed there already is BAD_USER_INPUT "
    "naming them). Answers the new placements, student by student. The school's admin, "
    "signed in with their own login.",
)
