"""Recording and withdrawing consents to the processing of personal data (152-FZ, R-PD-1)."""

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.permission import BasePermission

import model as m
from policies.vocabulary import Action, Resource
from resolvers.people import consents
from schema.base import Info, decode_id, decode_optional, reads
from schema.bounds import text_field, width
from schema.people.person import Consent, Person
from schema.permissions import PersonalAccount, can
from schema.setup.school import School


@strawberry.input(description="A signed consent to the processing of a person's data.")
class ConsentRecordInput:
    school_id: strawberry.ID = strawberry.field(description="The school it is given to.")
    person_id: strawberry.ID = strawberry.field(description="Whose data (a `Person` ID).")
    given_by_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Who signed it: the person (null), or their parent or legal guardian "
        "linked to them (for a minor).",
    )
    document: str = text_field(
        width(m.Consent.document), description="The signed document: its title and number"
    )
    given_at: datetime | None = strawberry.field(
        default=None, description="When it was signed (not in the future); null: now."
    )


@strawberry.input(description="A consent withdrawn by the person (or their legal representative).")
class ConsentWithdrawInput:
    consent_id: strawberry.ID = strawberry.field(description="The consent (a `Consent` ID).")
    reason: str = text_field(
        width(m.Consent.withdrawal_reason), description="Why: the statement it was withdrawn by"
    )
    withdrawn_at: datetime | None = strawberry.field(
        default=None, description="When (not in the future, not before it was given); null: now."
    )


async def consent_record(
    info: Info,
    input: Annotated[ConsentRecordInput, strawberry.argument(description="The consent.")],
) -> m.Consent:
    entry = consents.ConsentEntry(
        school_id=decode_id(input.school_id, School),
        person_id=decode_id(input.person_id, Person),
        given_by_id=decode_optional(input.given_by_id, Person),
        document=input.document,
        given_at=input.given_at,
    )
    return await consents.consent_record(info.context, entry)


async def consent_withdraw(
    info: Info,
    input: Annotated[ConsentWithdrawInput, strawberry.argument(description="The withdrawal.")],
) -> m.Consent:
    return await consents.consent_withdraw(
        info.context, decode_id(input.consent_id, Consent), input.reason, input.withdrawn_at
    )


_WRITES: list[type[BasePermission]] = [can(Resource.CONSENT, Action.WRITE), PersonalAccount]

consent_record_field = strawberry.mutation(
    resolver=consent_record,
    graphql_type=Consent,
    permission_classes=_WRITES,
    metadata=reads(Resource.CONSENT),
    description="Record a person's signed consent to the processing of their personal data "
    "(согласие, 152-ФЗ), given by them or by their parent or legal guardian: their birth date, "
    "contacts and address are entered only once one holds (`personalDataSet`). The school's "
    "admin, or the class teacher for their class's students and parents, signed in with their "
    "own login.",
)
consent_withdraw_field = strawberry.mutation(
    resolver=consent_withdraw,
    graphql_type=Consent,
    permission_classes=_WRITES,
    metadata=reads(Resource.CONSENT),
    description="Withdraw a consent (отзыв согласия). What it does: while no other consent of "
    "theirs holds in the school, the person's birth date, contacts and address are hidden from "
    "everyone but the school's admin and the person; they are no longer contacted or notified; "
    "the data is kept, as the law requires records kept, and nothing new is entered. The "
    "school's admin, or the class teacher for their class's students and parents.",
)
