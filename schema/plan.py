"""The calendar-thematic plan (КТП)."""

import strawberry
from strawberry import relay

import model as m
from schema.base import Info, ModelNode
from schema.curriculum import Subject, WorkType
from schema.people import Person


@strawberry.type(description="A topic of the plan, in teaching order.")
class PlanItem(ModelNode):
    __model__ = m.PlanItem
    id: relay.NodeID[int]
    position: int
    topic: str
    hours: int

    @strawberry.field(graphql_type=WorkType | None, description="Work planned, e.g. a test.")
    async def work_type(self, root: strawberry.Parent[m.PlanItem], info: Info) -> m.WorkType | None:
        if root.work_type_id is None:
            return None
        return await info.context.loaders.one(m.WorkType).load(root.work_type_id)


@strawberry.type(description="A calendar-thematic plan (КТП) of a subject for a parallel.")
class Plan(ModelNode):
    __model__ = m.Plan
    id: relay.NodeID[int]
    name: str
    parallel: int

    @strawberry.field(graphql_type=Subject | None)
    async def subject(self, root: strawberry.Parent[m.Plan], info: Info) -> m.Subject | None:
        return await info.context.loaders.one(m.Subject).load(root.subject_id)

    @strawberry.field(graphql_type=Person | None)
    async def author(self, root: strawberry.Parent[m.Plan], info: Info) -> m.Person | None:
        if root.author_id is None:
            return None
        return await info.context.loaders.one(m.Person).load(root.author_id)

    @strawberry.field(graphql_type=list[PlanItem])
    async def items(self, root: strawberry.Parent[m.Plan], info: Info) -> list[m.PlanItem]:
        return await info.context.loaders.many(m.PlanItem.plan_id, m.PlanItem.position).load(
            root.id
        )
