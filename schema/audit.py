"""The grade change log (R-AUDIT-1)."""

from datetime import datetime

import strawberry
from strawberry import relay

import model as m
from schema.base import Info, ModelNode
from schema.curriculum import WorkType
from schema.enums import GradeChangeAction
from schema.journal import Lesson
from schema.people import Person


@strawberry.type(description="One created, changed or deleted grade: old and new mark, who, when.")
class GradeChange(ModelNode):
    __model__ = m.GradeChange
    id: relay.NodeID[int]
    action: GradeChangeAction
    old_mark: str | None
    new_mark: str | None
    changed_at: datetime
    reason: str | None

    @strawberry.field(graphql_type=Lesson | None)
    async def lesson(self, root: strawberry.Parent[m.GradeChange], info: Info) -> m.Lesson | None:
        return await info.context.loaders.one(m.Lesson).load(root.lesson_id)

    @strawberry.field(graphql_type=Person | None)
    async def student(self, root: strawberry.Parent[m.GradeChange], info: Info) -> m.Person | None:
        return await info.context.loaders.one(m.Person).load(root.student_id)

    @strawberry.field(graphql_type=WorkType | None)
    async def work_type(
        self, root: strawberry.Parent[m.GradeChange], info: Info
    ) -> m.WorkType | None:
        return await info.context.loaders.one(m.WorkType).load(root.work_type_id)

    @strawberry.field(graphql_type=Person | None, description="Whose account made the change.")
    async def changed_by(
        self, root: strawberry.Parent[m.GradeChange], info: Info
    ) -> m.Person | None:
        if root.changed_by_id is None:
            return None
        account = await info.context.loaders.one(m.Account).load(root.changed_by_id)
        return (
            None
            if account is None
            else await info.context.loaders.one(m.Person).load(account.person_id)
        )
