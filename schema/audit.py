"""The audit trail as the API shows it: every write to a school's records, for the admin and
the head (Б.1 #12). A record is named by its type in this API and its global ID, and its
states by the API's field names, references as global IDs (a room's `buildingId`)."""

from datetime import date, datetime
from functools import cache
from typing import Annotated, Any

import strawberry
from graphql import GraphQLResolveInfo, get_named_type
from sqlalchemy import select
from strawberry import relay
from strawberry.scalars import JSON

import model as m
from model.base import Base
from policies.vocabulary import Resource
from resolvers.errors import BadUserInput
from resolvers.journal import lessons as journal
from resolvers.listing import equal, listing
from schema.base import (
    Connection,
    Info,
    ModelNode,
    decode_optional,
    global_id_parts,
    reads,
    related,
)
from schema.bounds import After, First, text_argument
from schema.enums import ChangeAction
from schema.filters import InSchool
from schema.people.person import Person
from schema.setup.school import School


@cache
def _type_names() -> dict[str, str]:
    """The API's type of each table's rows (`room` → `Room`)."""
    names: dict[str, str] = {}
    pending = list(ModelNode.__subclasses__())
    while pending:
        node = pending.pop()
        pending += node.__subclasses__()
        model = getattr(node, "__model__", None)
        definition = getattr(node, "__strawberry_definition__", None)
        if model is None or definition is None or model is m.GradeChange or model is m.Change:
            continue
        names.setdefault(model.__tablename__, definition.name)
    return names


def type_name(table: str) -> str:
    return _type_names().get(table) or "".join(part.title() for part in table.split("_"))


def _table(type_name_: str) -> str | None:
    for table, name in _type_names().items():
        if name == type_name_:
            return table
    return None


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


def _state(table: str, state: dict[str, Any] | None) -> dict[str, Any] | None:
    """A row's state in the API's words: field names in camelCase, references as global IDs."""
    if state is None:
        return None
    columns = Base.metadata.tables[table].columns if table in Base.metadata.tables else None
    shown: dict[str, Any] = {}
    for key, value in state.items():
        column = None if columns is None else columns.get(key)
        target = next(iter(column.foreign_keys), None) if column is not None else None
        if key == "id":
            continue
        if target is not None and isinstance(value, int):
            value = str(relay.GlobalID(type_name(target.column.table.name), str(value)))
        shown[_camel(key)] = value
    return shown


@strawberry.type(
    description="An entry of the audit trail (журнал действий): a record of the school entered, "
    "corrected, archived or deleted, its state before and after, who and when. Grades' "
    "entries are also in the grade change log (`gradeChanges`)."
)
class Change(ModelNode):
    __model__ = m.Change
    id: relay.NodeID[int]
    action: ChangeAction = strawberry.field(description="What was done to the record.")
    changed_at: datetime = strawberry.field(description="When (UTC).")
    reason: str | None = strawberry.field(description="Why, as given with the change; null: none.")

    @classmethod
    def is_type_of(cls, obj: Any, info: GraphQLResolveInfo[Any]) -> bool:
        # A grade's entry is a `GradeChange` wherever the field does not ask for a `Change`.
        if isinstance(obj, m.GradeChange):
            return get_named_type(info.return_type).name == cls.__name__
        return isinstance(obj, m.Change)

    @strawberry.field(description="The type of the changed record in this API (`Room`, `Grade`).")
    def record(self, root: strawberry.Parent[m.Change]) -> str:
        return type_name(root.entity)

    @strawberry.field(
        description="The changed record's global ID; `node(id:)` finds it unless it was deleted."
    )
    def record_id(self, root: strawberry.Parent[m.Change]) -> strawberry.ID:
        return strawberry.ID(str(relay.GlobalID(type_name(root.entity), str(root.entity_id))))

    @strawberry.field(
        graphql_type=JSON | None,
        description="The record as it was, by this API's field names (references as global "
        "IDs); null when it was entered.",
    )
    def before(self, root: strawberry.Parent[m.Change]) -> dict[str, Any] | None:
        return _state(root.entity, root.before)

    @strawberry.field(
        graphql_type=JSON | None,
        description="The record as it became, by this API's field names (references as global "
        "IDs); null when it was deleted.",
    )
    def after(self, root: strawberry.Parent[m.Change]) -> dict[str, Any] | None:
        return _state(root.entity, root.after)

    school = related(m.School, "school_id", School, "The school whose record it is.")

    @strawberry.field(
        graphql_type=Person | None,
        description="Whose account made the change; null when tabel made it itself (`tabel "
        "init`, lessons planned from the timetable) or you may not see them.",
        metadata=reads(Resource.PERSON),
    )
    async def changed_by(self, root: strawberry.Parent[m.Change], info: Info) -> m.Person | None:
        return await account_holder(info, root.changed_by_id)


async def account_holder(info: Info, account_id: int | None) -> m.Person | None:
    """The person whose account it is, if the caller may read them (their account need not
    be readable: the head sees who made a change without reading the staff's accounts)."""
    if account_id is None:
        return None
    loader = info.context.loaders.linked(m.Account.id, m.Account.person_id, m.Person)
    people = await loader.load(account_id)
    return people[0] if people else None


MAX_TYPE_NAME = 40


async def changes(
    info: Info,
    school_id: InSchool = None,
    record: Annotated[
        str | None,
        text_argument(
            MAX_TYPE_NAME, description="Only changes of records of this type (`Room`, `Subject`)"
        ),
    ] = None,
    record_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="Only the changes of this record (its global ID)."),
    ] = None,
    changed_by_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="Only changes made by this person (a `Person` ID)."),
    ] = None,
    date_from: Annotated[
        date | None,
        strawberry.argument(description="Only changes made on this day or later, school time."),
    ] = None,
    date_to: Annotated[
        date | None,
        strawberry.argument(description="Only changes made on this day or earlier, school time."),
    ] = None,
    first: First = None,
    after: After = None,
) -> Connection[Change]:
    change = m.Change
    where = list(equal(change.school_id, decode_optional(school_id, School)))
    if record is not None:
        table = _table(record)
        if table is None:
            raise BadUserInput(f"No records of type {record!r} are kept.", field="record")
        where.append(change.entity == table)
    if record_id is not None:
        name, entity_id = global_id_parts(record_id)
        where += [change.entity == (_table(name) or ""), change.entity_id == entity_id]
    if (person := decode_optional(changed_by_id, Person)) is not None:
        accounts = select(m.Account.id).where(m.Account.person_id == person)
        where.append(change.changed_by_id.in_(accounts))
    where += journal.recorded_between(
        info.context, change.school_id, change.changed_at, date_from, date_to
    )
    order = (change.changed_at,)
    page = await listing(info.context, change, where, order, first=first, after=after)
    return Connection(page=page)
