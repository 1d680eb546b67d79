"""Grades for lessons and term/final grades."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

import model as m
from schema.base import Info, ModelNode
from schema.calendar import Period
from schema.curriculum import Subject, WorkType
from schema.enums import FinalGradeSpecial
from schema.people import Person

if TYPE_CHECKING:
    from schema.journal import Lesson

LessonRef = Annotated["Lesson", strawberry.lazy("schema.journal")]


@strawberry.type(description="A mark for a student's work of one type in one lesson.")
class Grade(ModelNode):
    __model__ = m.Grade
    id: relay.NodeID[int]
    mark: str
    comment: str | None
    created_at: datetime
    updated_at: datetime | None
    version: int

    @strawberry.field(graphql_type=Person | None)
    async def student(self, root: strawberry.Parent[m.Grade], info: Info) -> m.Person | None:
        return await info.context.loaders.one(m.Person).load(root.student_id)

    @strawberry.field(graphql_type=WorkType | None)
    async def work_type(self, root: strawberry.Parent[m.Grade], info: Info) -> m.WorkType | None:
        return await info.context.loaders.one(m.WorkType).load(root.work_type_id)

    @strawberry.field(graphql_type=LessonRef | None)
    async def lesson(self, root: strawberry.Parent[m.Grade], info: Info) -> m.Lesson | None:
        return await info.context.loaders.one(m.Lesson).load(root.lesson_id)


@strawberry.type(description="A term or final grade: a mark, or a special value.")
class FinalGrade(ModelNode):
    __model__ = m.FinalGrade
    id: relay.NodeID[int]
    mark: str | None
    special: FinalGradeSpecial | None
    created_at: datetime
    updated_at: datetime | None
    version: int

    @strawberry.field(graphql_type=Person | None)
    async def student(self, root: strawberry.Parent[m.FinalGrade], info: Info) -> m.Person | None:
        return await info.context.loaders.one(m.Person).load(root.student_id)

    @strawberry.field(graphql_type=Subject | None)
    async def subject(self, root: strawberry.Parent[m.FinalGrade], info: Info) -> m.Subject | None:
        return await info.context.loaders.one(m.Subject).load(root.subject_id)

    @strawberry.field(graphql_type=Period | None)
    async def period(self, root: strawberry.Parent[m.FinalGrade], info: Info) -> m.Period | None:
        return await info.context.loaders.one(m.Period).load(root.period_id)
