"""Compromised accounts (R-ACC-2, R-ACC-3): reported, blocked at once, and what they did since
the moment noticed reviewed and voided by the school's admin."""

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Action, Resource
from resolvers.accounts import compromise as reports
from resolvers.accounts import compromise_void as voiding
from resolvers.accounts.compromise_operations import MAX_OPERATIONS, Operation, operations
from resolvers.listing import equal, listing
from resolvers.pagination import page_of
from schema.audit import Change
from schema.base import Connection, Info, ModelNode, decode_id, decode_optional, reads
from schema.bounds import After, First, text_argument, width
from schema.enums import described
from schema.filters import InSchool
from schema.list_sizes import at_most
from schema.people.person import Person, account_holder
from schema.permissions import PersonalAccount, can
from schema.setup.school import School

described(
    voiding.Skip,
    "Why an operation of a compromised account was left as it is when its operations were voided.",
    CHANGED_LATER="Someone else changed the record later (`conflict`): their change stands.",
    DEPENDED_ON="Other records now depend on it, or another record took its place.",
    NOT_RESTORABLE="What it was cannot be put back from the trail (an account's password, an "
    "API token): reset or revoke it yourself.",
    CHANGED_UNRECORDED="The record is no longer as the account left it.",
    LEFT_WITH_LATER="A later operation on the same record was left, so this one is too.",
)


@strawberry.type(
    description="One change a compromised account made in the school after the moment the "
    "compromise was noticed, and whether someone else changed the same record later."
)
class CompromiseOperation:
    @strawberry.field(
        graphql_type=Change,
        description="The audit trail's entry: the record, what was done, before and after, when.",
        metadata=reads(Resource.CHANGE),
    )
    def change(self, root: strawberry.Parent[Operation]) -> m.Change:
        return root.change

    @strawberry.field(
        graphql_type=Change | None,
        description="The first later change of the same record by someone else (who and "
        "when): voiding leaves the record as it is. Null: none.",
        metadata=reads(Resource.CHANGE),
    )
    def conflict(self, root: strawberry.Parent[Operation]) -> m.Change | None:
        return root.conflict


@strawberry.type(
    description="A report that an account was compromised (компрометация учётной записи): "
    "since when it was noticed, who reported it; the account was blocked at the report."
)
class Compromise(ModelNode):
    __model__ = m.Compromise
    id: relay.NodeID[int]
    noticed_at: datetime = strawberry.field(
        description="When the compromise was noticed (UTC): what the account did from then on "
        "until the report is void."
    )
    reported_at: datetime = strawberry.field(description="When it was reported (UTC).")
    note: str | None = strawberry.field(description="What the reporter wrote; null: nothing.")
    voided_at: datetime | None = strawberry.field(
        description="When its operations were voided (UTC); null: not yet."
    )
    person = account_holder("account_id", "Whose account it is, if you may see them.")
    reported_by = account_holder("reported_by_id", "Who reported it, if you may see them.")
    voided_by = account_holder("voided_by_id", "Who voided its operations; null: not yet.")

    @strawberry.field(
        description="Every change the account made in the school from the moment noticed until "
        "the report, oldest first, each with a later change of the same record by someone "
        "else, if any. The school's admin reads them; others, none.",
        metadata=reads(Resource.CHANGE),
    )
    async def operations(
        self,
        root: strawberry.Parent[m.Compromise],
        info: Info,
        first: First = None,
        after: After = None,
    ) -> Connection[CompromiseOperation]:
        listed = await operations(info.context, root)
        return Connection(page=page_of(listed, _key, 1, first=first, after=after))


def _key(operation: Operation) -> tuple[int]:
    return (operation.change.id,)


async def compromises(
    info: Info, school_id: InSchool = None, first: First = None, after: After = None
) -> Connection[Compromise]:
    where = equal(m.Compromise.school_id, decode_optional(school_id, School))
    order = (m.Compromise.reported_at,)
    page = await listing(info.context, m.Compromise, where, order, first=first, after=after)
    return Connection(page=page)


@strawberry.type(description="An operation left as it was when the operations were voided.")
class CompromiseSkip:
    @strawberry.field(
        graphql_type=CompromiseOperation,
        description="The operation.",
        metadata=reads(Resource.CHANGE),
    )
    def operation(self, root: strawberry.Parent[voiding.Skipped]) -> Operation:
        return root.operation

    @strawberry.field(graphql_type=voiding.Skip, description="Why it was left.")
    def why(self, root: strawberry.Parent[voiding.Skipped]) -> voiding.Skip:
        return root.why


@strawberry.type(description="A compromised account's operations voided.")
class CompromiseVoidPayload:
    @strawberry.field(
        graphql_type=Compromise,
        description="The report, now voided.",
        metadata=reads(Resource.COMPROMISE),
    )
    def compromise(self, root: strawberry.Parent[voiding.Voided]) -> m.Compromise:
        return root.compromise

    @strawberry.field(
        graphql_type=list[Change],
        description="The operations undone, newest first (each undoing is in the audit trail, "
        "its reason naming the report).",
        metadata=reads(Resource.CHANGE) | at_most(MAX_OPERATIONS),
    )
    def undone(self, root: strawberry.Parent[voiding.Voided]) -> list[m.Change]:
        return root.undone

    @strawberry.field(
        graphql_type=list[CompromiseSkip],
        description="The operations left as they were, newest first, with why.",
        metadata=reads(Resource.CHANGE) | at_most(MAX_OPERATIONS),
    )
    def skipped(self, root: strawberry.Parent[voiding.Voided]) -> list[voiding.Skipped]:
        return root.skipped


SchoolId = Annotated[
    strawberry.ID,
    strawberry.argument(description="The school whose records the compromise reaches."),
]


async def compromise_report(
    info: Info,
    school_id: SchoolId,
    noticed_at: Annotated[
        datetime,
        strawberry.argument(
            description="When the compromise was noticed, with its time zone; not in the future."
        ),
    ],
    person_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(
            description="Whose account (a `Person` ID), for the school's admin; left out, yours."
        ),
    ] = None,
    note: Annotated[
        str | None,
        text_argument(width(m.Compromise.note), multiline=True, description="What happened"),
    ] = None,
) -> m.Compromise:
    return await reports.compromise_report(
        info.context,
        decode_id(school_id, School),
        decode_optional(person_id, Person),
        noticed_at,
        note,
    )


async def compromise_void(
    info: Info,
    compromise_id: Annotated[
        strawberry.ID, strawberry.argument(description="The report (a `Compromise` ID).")
    ],
    operation_count: Annotated[
        int,
        strawberry.argument(
            description="How many operations you reviewed (`Compromise.operations`); if "
            "they are another number now, CONFLICT and nothing is voided."
        ),
    ],
) -> voiding.Voided:
    return await voiding.compromise_void(
        info.context, decode_id(compromise_id, Compromise), operation_count
    )


compromises_field = strawberry.field(
    resolver=compromises,
    permission_classes=[can(Resource.COMPROMISE, Action.READ)],
    description="Reports of compromised accounts, oldest first: the school's admin reads the "
    "school's, anyone their own.",
)
compromise_report_field = strawberry.mutation(
    resolver=compromise_report,
    graphql_type=Compromise,
    permission_classes=[can(Resource.COMPROMISE, Action.WRITE), PersonalAccount],
    description="Report an account as compromised (R-ACC-2): your own, or as the school's "
    "admin any account of its people. At once the account is blocked, its sessions end and "
    "the API tokens it issued are revoked; what it did from `noticedAt` on is listed for the "
    "admin to void (`compromiseVoid`). `noticedAt` in the future: BAD_USER_INPUT.",
)
compromise_void_field = strawberry.mutation(
    resolver=compromise_void,
    graphql_type=CompromiseVoidPayload,
    permission_classes=[can(Resource.COMPROMISE_VOID, Action.WRITE), PersonalAccount],
    description="Void a compromised account's operations in the school (R-ACC-3), all in one: "
    "newest first, each record put back as it was before (one it entered is deleted, one it "
    "changed or deleted restored), each undoing in the audit trail. A record someone else "
    "changed later is left as it stands and listed (`skipped`, CHANGED_LATER), as is one that "
    "cannot be put back. A journal record in a period locked by final grades: PERIOD_LOCKED, "
    "nothing voided (reopen the period first). Voided already: CONFLICT. The school's "
    "admin, signed in with their own login.",
)
