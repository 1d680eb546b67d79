"""The calendar-thematic plan (КТП)."""

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.setup.curriculum import Subject, WorkType


@strawberry.type(description="A topic of a КТП, in teaching order: what a lesson takes up.")
class PlanItem(ModelNode):
    __model__ = m.PlanItem
    id: relay.NodeID[int]
    position: int = strawberry.field(
        description="Its place in the plan, unique there: topics are taught in its order."
    )
    topic: str = strawberry.field(
        description="The topic (тема урока), as a lesson's `topic` takes it over."
    )
    hours: int = strawberry.field(description="Lessons planned for it (часы), 1 or more.")

    work_type = related(
        m.WorkType,
        "work_type_id",
        WorkType,
        "Work planned for it, e.g. a test (контрольная работа) closing a unit: a lesson "
        "taking up the topic is graded for it; null: none planned.",
    )


@strawberry.type(
    description="A calendar-thematic plan (КТП, календарно-тематическое планирование) of a "
    "subject for a parallel in a school year: the topics in teaching order."
)
class Plan(ModelNode):
    __model__ = m.Plan
    id: relay.NodeID[int]
    name: str = strawberry.field(description="As its author called it.")
    parallel: int = strawberry.field(description="The parallel it is for: 1 to 11.")

    subject = related(m.Subject, "subject_id", Subject, "The subject it plans.")

    author = related(m.Person, "author_id", Person, "The teacher who wrote it; null: not known.")

    @strawberry.field(
        graphql_type=list[PlanItem],
        description="Its topics, by position: in teaching order.",
        metadata=reads(Resource.PLAN) | at_most(sizes.PLAN_ITEMS),
    )
    async def items(self, root: strawberry.Parent[m.Plan], info: Info) -> list[m.PlanItem]:
        return await info.context.loaders.many(m.PlanItem.plan_id, m.PlanItem.position).load(
            root.id
        )
