"""The calendar-thematic plan (КТП)."""

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.curriculum import Subject, WorkType
from schema.list_sizes import at_most
from schema.people import Person


@strawberry.type(description="A topic of the plan, in teaching order.")
class PlanItem(ModelNode):
    __model__ = m.PlanItem
    id: relay.NodeID[int]
    position: int
    topic: str
    hours: int

    work_type = related(m.WorkType, "work_type_id", WorkType, "Work planned, e.g. a test.")


@strawberry.type(description="A calendar-thematic plan (КТП) of a subject for a parallel.")
class Plan(ModelNode):
    __model__ = m.Plan
    id: relay.NodeID[int]
    name: str
    parallel: int

    subject = related(m.Subject, "subject_id", Subject)

    author = related(m.Person, "author_id", Person)

    @strawberry.field(
        graphql_type=list[PlanItem], metadata=reads(Resource.PLAN) | at_most(sizes.PLAN_ITEMS)
    )
    async def items(self, root: strawberry.Parent[m.Plan], info: Info) -> list[m.PlanItem]:
        return await info.context.loaders.many(m.PlanItem.plan_id, m.PlanItem.position).load(
            root.id
        )
