"""Personal data as its own resource (R-PD-1): entering it, and the log of who read it."""

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Optional

import strawberry
from sqlalchemy import select
from strawberry import relay

import model as m
from policies.vocabulary import Action, Resource
from resolvers.errors import BadUserInput
from resolvers.listing import listing
from resolvers.people import personal_data, personal_data_writes
from schema.base import Connection, Info, ModelNode, decode_id, decode_optional, reads, related
from schema.bounds import After, First, text_field, width
from schema.enums import TokenKind
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.permissions import PersonalAccount, can

UNSET: Any = strawberry.UNSET


@strawberry.type(description="Who read a request's worth of personal data: a row of the query log.")
class PersonalDataReader:
    __resource__: ClassVar[Resource] = Resource.PERSONAL_DATA_LOG
    read_at: datetime = strawberry.field(description="When (UTC).")
    kind: TokenKind = strawberry.field(
        description="LOGIN: a member of staff; INSPECTOR or INTEGRATOR: an API token."
    )
    name: str = strawberry.field(description="The staff member's login, or the token's name.")
    person_id: strawberry.Private[int | None]

    @strawberry.field(
        graphql_type=Optional[Person],  # noqa: UP045 - a forward reference
        description="The member of staff, if you may see them; null for an API token.",
        metadata=reads(Resource.PERSON),
    )
    async def person(self, info: Info) -> m.Person | None:
        if self.person_id is None:
            return None
        return await info.context.loaders.one(m.Person).load(self.person_id)


async def _reader(info: Info, query_log_id: int) -> PersonalDataReader:
    async def load(ids: list[int]) -> list[PersonalDataReader]:
        rows = await info.context.db.rows(
            select(
                m.QueryLog.id,
                m.QueryLog.ran_at,
                m.AuthToken.kind,
                m.AuthToken.name,
                m.Account.login,
                m.Account.person_id,
            )
            .join(m.AuthToken, m.AuthToken.id == m.QueryLog.auth_token_id)
            .outerjoin(m.Account, m.Account.id == m.AuthToken.account_id)
            .where(m.QueryLog.id.in_(ids))
        )
        found = {
            row[0]: PersonalDataReader(
                read_at=row[1], kind=row[2], name=row[4] or row[3] or "", person_id=row[5]
            )
            for row in rows
        }
        return [found[i] for i in ids]

    reader: PersonalDataReader = await info.context.loaders.custom("query_log_reader", load).load(
        query_log_id
    )
    return reader


@strawberry.type(
    description="A read of someone's personal data by staff or an API token (152-ФЗ): who, "
    "when, whose, which fields. Logged with the request that read it."
)
class PersonalDataRead(ModelNode):
    __model__ = m.PersonalDataRead
    id: relay.NodeID[int]

    person = related(m.Person, "person_id", Person, "Whose data was read.")

    @strawberry.field(
        description="The fields read, as the API names them: birthDate, email…",
        metadata=at_most(len(personal_data.FIELDS)),
    )
    def fields(self, root: strawberry.Parent[m.PersonalDataRead]) -> list[str]:
        return root.fields.split()

    @strawberry.field(
        description="Who read it, and when.", metadata=reads(Resource.PERSONAL_DATA_LOG)
    )
    async def reader(
        self, root: strawberry.Parent[m.PersonalDataRead], info: Info
    ) -> PersonalDataReader:
        return await _reader(info, root.query_log_id)


async def personal_data_reads(
    info: Info,
    person_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="Only reads of this person's data (a `Person` ID)."),
    ] = None,
    since: Annotated[
        datetime | None, strawberry.argument(description="Only reads at or after this (UTC).")
    ] = None,
    first: First = None,
    after: After = None,
) -> Connection[PersonalDataRead]:
    conditions = []
    whose = decode_optional(person_id, Person)
    if whose is not None:
        conditions.append(m.PersonalDataRead.person_id == whose)
    if since is not None:
        logged = select(m.QueryLog.id).where(m.QueryLog.ran_at >= since)
        conditions.append(m.PersonalDataRead.query_log_id.in_(logged))
    page = await listing(
        info.context,
        m.PersonalDataRead,
        conditions,
        (m.PersonalDataRead.id,),
        first=first,
        after=after,
    )
    return Connection(page=page)


personal_data_reads_field = strawberry.field(
    resolver=personal_data_reads,
    permission_classes=[can(Resource.PERSONAL_DATA_LOG, Action.READ), PersonalAccount],
    description="The log of reads of personal data (birth dates, contacts, addresses) by "
    "staff, inspectors and integrators, oldest first: the school's admin reads its people's, "
    "everyone else only reads of their own data.",
)


@strawberry.input(
    description="A person's personal data; fields left out stay as they are, null clears one. "
    "Entering any needs a consent that holds (`consentRecord`)."
)
class PersonalDataInput:
    person_id: strawberry.ID = strawberry.field(description="The person (a `Person` ID).")
    birth_date: date | None = strawberry.field(default=UNSET, description="Date of birth.")
    email: str | None = text_field(
        width(m.Person.email), default=UNSET, description="Private e-mail"
    )
    phone: str | None = text_field(
        width(m.Person.phone), default=UNSET, description="Private phone"
    )
    address: str | None = text_field(
        width(m.Person.address), default=UNSET, description="Home address"
    )
    document: str | None = text_field(
        width(m.Person.document),
        default=UNSET,
        description="Identity document: kind, series and number («паспорт 4510 123456»)",
    )


async def personal_data_set(
    info: Info,
    input: Annotated[PersonalDataInput, strawberry.argument(description="The data.")],
) -> m.Person:
    values = {
        name: getattr(input, name)
        for name in ("birth_date", "email", "phone", "address", "document")
        if getattr(input, name) is not UNSET
    }
    if not values:
        raise BadUserInput("Nothing to change.", argument="input")
    return await personal_data_writes.personal_data_set(
        info.context, decode_id(input.person_id, Person), values
    )


personal_data_set_field = strawberry.mutation(
    resolver=personal_data_set,
    graphql_type=Person,
    permission_classes=[can(Resource.PERSONAL_DATA, Action.WRITE), PersonalAccount],
    metadata=reads(Resource.PERSON),
    description="Enter or correct a person's birth date, private contacts, address and document "
    "(personal data, 152-ФЗ). Refused (BAD_USER_INPUT, nothing written) unless a consent to "
    "their processing holds for the person in the school: record it first (`consentRecord`). "
    "Clearing needs none. The school's admin, signed in with their own login.",
)
