"""The calendar-thematic plan (КТП)."""

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.permission import BasePermission

import model as m
from policies.vocabulary import Action, Resource
from resolvers.records import Removal
from resolvers.setup import plan_import, plan_writes
from resolvers.setup.plan_import import PlanFileFormat
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, decode_id, decode_optional, reads, related
from schema.bounds import BOUND, Bound, list_field, text_field, width
from schema.enums import described
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.permissions import PersonalAccount, can
from schema.setup.calendar import SchoolYear
from schema.setup.curriculum import Subject, WorkType

MAX_FILE = 1_000_000  # characters of a КТП file (the request body is at most 1 MiB)


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
    archived_at: datetime | None = strawberry.field(
        description="When it was archived (`planRemove` once lessons took up its topics): kept "
        "in every lesson and report, its topics no longer offered to lessons; null while in use."
    )

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


@strawberry.input(
    description="A topic of a КТП as it is to stand, in the list's order: an existing one "
    "(its `id`) corrected or moved, or a new one."
)
class PlanItemInput:
    id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A topic of this plan (a `PlanItem` ID), kept; null: a new topic.",
    )
    topic: str = text_field(width(m.PlanItem.topic), description="The topic (тема урока)")
    hours: int = strawberry.field(
        default=1, description=f"Lessons planned for it, 1 to {plan_writes.MAX_HOURS}."
    )
    work_type_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Work planned for it (a `WorkType` ID, e.g. a test closing a unit); "
        "null: none.",
    )


def _items(items: list[PlanItemInput]) -> list[plan_writes.ItemEntry]:
    return [
        plan_writes.ItemEntry(
            topic=item.topic,
            hours=item.hours,
            work_type_id=decode_optional(item.work_type_id, WorkType),
            id=decode_optional(item.id, PlanItem),
        )
        for item in items
    ]


@strawberry.input(description="A new КТП with its topics, in teaching order.")
class PlanCreateInput:
    school_year_id: strawberry.ID = strawberry.field(
        description="The school year it is for (a `SchoolYear` ID)."
    )
    subject_id: strawberry.ID = strawberry.field(description="The subject (a `Subject` ID).")
    parallel: int = strawberry.field(description="The parallel it is for: 1 to 11.")
    name: str = text_field(width(m.Plan.name), description="Its name, e.g. «Алгебра, 7 класс»")
    items: list[PlanItemInput] = list_field(
        sizes.PLAN_ITEMS, description="Its topics, in teaching order (new ones: no `id`)"
    )


async def plan_create(
    info: Info,
    input: Annotated[PlanCreateInput, strawberry.argument(description="The plan.")],
) -> m.Plan:
    entry = plan_writes.PlanEntry(
        school_year_id=decode_id(input.school_year_id, SchoolYear),
        subject_id=decode_id(input.subject_id, Subject),
        parallel=input.parallel,
        name=input.name,
        items=_items(input.items),
    )
    return await plan_writes.plan_create(info.context, entry)


@strawberry.input(description="What to change in a КТП; fields left out stay as they are.")
class PlanUpdateInput:
    plan_id: strawberry.ID = strawberry.field(description="The plan (a `Plan` ID).")
    name: str | None = text_field(width(m.Plan.name), default=None, description="Its new name")
    items: list[PlanItemInput] | None = strawberry.field(
        default=None,
        description=Bound(max_items=sizes.PLAN_ITEMS).described(
            "Its topics as they are to stand, in teaching order: topics listed with their "
            "`id` are kept (corrected, moved), those without are added, those left out are "
            "removed — but a topic lessons took up stays (BAD_USER_INPUT); null: unchanged"
        ),
        metadata={BOUND: Bound(max_items=sizes.PLAN_ITEMS)},
    )


async def plan_update(
    info: Info,
    input: Annotated[PlanUpdateInput, strawberry.argument(description="What to change.")],
) -> m.Plan:
    items = None if input.items is None else _items(input.items)
    return await plan_writes.plan_update(
        info.context, decode_id(input.plan_id, Plan), input.name, items
    )


@strawberry.type(description="What `planRemove` did.")
class PlanRemovePayload:
    archived: bool = strawberry.field(
        description="True: lessons took up its topics, so it is archived (kept in the journal "
        "and every report, no longer offered); false: it is deleted with its topics."
    )


async def plan_remove(
    info: Info,
    plan_id: Annotated[strawberry.ID, strawberry.argument(description="The plan (a `Plan` ID).")],
) -> PlanRemovePayload:
    removal = await plan_writes.plan_remove(info.context, decode_id(plan_id, Plan))
    return PlanRemovePayload(archived=removal is Removal.ARCHIVED)


described(
    PlanFileFormat,
    "How a КТП file is written.",
    CSV="Text, UTF-8, its cells separated by commas, semicolons or tabs.",
    XLSX="An Excel workbook, base64-encoded; its first sheet is read.",
)


@strawberry.input(
    description="A КТП from a file: its first row names the columns — «Тема» (or topic, "
    "required), «Часы» (hours; 1 when empty), «Вид работы» (work type: a kind of work's name "
    "or short name) — other columns are ignored; each row after it is a topic, in teaching "
    "order. Every bad cell is answered with its row number (`item`, as the file shows it: the "
    "first topic is row 2) and its column (`field`), all of them in `extensions.problems`; "
    "nothing is written then."
)
class PlanImportInput:
    school_year_id: strawberry.ID = strawberry.field(
        description="The school year it is for (a `SchoolYear` ID)."
    )
    subject_id: strawberry.ID = strawberry.field(description="The subject (a `Subject` ID).")
    parallel: int = strawberry.field(description="The parallel it is for: 1 to 11.")
    name: str = text_field(width(m.Plan.name), description="Its name, e.g. «Алгебра, 7 класс»")
    format: PlanFileFormat = strawberry.field(description="How the file is written.")
    content: str = text_field(
        MAX_FILE,
        multiline=True,
        description="The file: its text (CSV), or its bytes in base64 (XLSX)",
    )


async def plan_import_(
    info: Info,
    input: Annotated[PlanImportInput, strawberry.argument(description="The plan's file.")],
) -> m.Plan:
    return await plan_import.plan_import(
        info.context,
        school_year_id=decode_id(input.school_year_id, SchoolYear),
        subject_id=decode_id(input.subject_id, Subject),
        parallel=input.parallel,
        name=input.name,
        file_format=input.format,
        content=input.content,
    )


_writes: list[type[BasePermission]] = [can(Resource.PLAN, Action.WRITE), PersonalAccount]
WHO = " A teacher for what they teach (Д.1 #3), the school's admin for every subject (А #18)."
plan_create_field = strawberry.mutation(
    resolver=plan_create,
    graphql_type=Plan,
    permission_classes=_writes,
    metadata=reads(Resource.PLAN),
    description="Write a КТП (calendar-thematic plan) of a subject for a parallel: its topics "
    "in teaching order, each with its hours and the work planned for it. All or nothing." + WHO,
)
plan_update_field = strawberry.mutation(
    resolver=plan_update,
    graphql_type=Plan,
    permission_classes=_writes,
    metadata=reads(Resource.PLAN),
    description="Correct a КТП: rename it, and correct, reorder, add and remove its topics "
    "by sending them as they are to stand. A topic lessons took up is never removed. All or "
    "nothing." + WHO,
)
plan_remove_field = strawberry.mutation(
    resolver=plan_remove,
    graphql_type=PlanRemovePayload,
    permission_classes=_writes,
    description="Remove a КТП: deleted with its topics, or archived when lessons took up its "
    "topics." + WHO,
)
plan_import_field = strawberry.mutation(
    resolver=plan_import_,
    graphql_type=Plan,
    permission_classes=_writes,
    metadata=reads(Resource.PLAN),
    description="Import a КТП from a CSV or XLSX file, all or nothing: each bad row is "
    "answered with its row number and column." + WHO,
)
