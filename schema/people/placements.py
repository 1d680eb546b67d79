"""A student's placement in a class, with its dates: the rows are the history."""

from datetime import date
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

import model as m
from policies.vocabulary import Resource
from schema.base import Info, reads, related
from schema.people.person import Person

if TYPE_CHECKING:
    from schema.setup.classes import SchoolClass

SchoolClassRef = Annotated["SchoolClass", strawberry.lazy("schema.setup.classes")]


@strawberry.type(
    description="A student's placement in a class (зачисление): from the day they entered it "
    "to the day they left. Placements are ended, never rewritten: a student's placements are "
    "their history, one class of a school year at a time."
)
class Placement:
    __resource__: ClassVar[Resource] = Resource.SCHOOL_CLASS
    starts_on: date | None = strawberry.field(
        description="Their first day in the class; null: the school year's first day."
    )
    ends_on: date | None = strawberry.field(
        description="Their last day in the class (they left, or moved the day after); null: "
        "to the end of the school year."
    )

    student = related(m.Person, "student_id", Person, "The student.")

    @strawberry.field(
        graphql_type=SchoolClassRef | None,
        description="The class.",
        metadata=reads(Resource.SCHOOL_CLASS),
    )
    async def school_class(
        self, root: strawberry.Parent[m.ClassStudent], info: Info
    ) -> m.SchoolClass | None:
        return await info.context.loaders.one(m.SchoolClass).load(root.school_class_id)
