"""Issuing logins and temporary passwords, resetting them, blocking and unblocking accounts."""

import base64
import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, ClassVar

import strawberry
from sqlalchemy import and_, not_
from strawberry import relay

import model as m
from policies.vocabulary import Action, Resource
from resolvers.accounts import account_writes, login_slips
from resolvers.accounts.account_writes import MAX_ACCOUNTS, Holders
from resolvers.listing import listing
from resolvers.notifications.credentials import email_credentials
from schema.base import Connection, Info, ModelNode, decode_id, reads, related
from schema.bounds import After, First, list_argument, list_field, text_argument, width
from schema.enums import described
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.permissions import PersonalAccount, can
from schema.setup.classes import SchoolClass
from schema.setup.school import School

described(
    Holders,
    "A group of the school's people whose accounts are issued together.",
    CLASS_STUDENTS="The class's students (those placed in it now or from a day to come).",
    CLASS_PARENTS="The parents and legal guardians of the class's students.",
    STAFF="The school's staff: admins, the head, deputies, teachers, psychologists.",
)


@strawberry.type(description="A person's login to the system (учётная запись).")
class Account(ModelNode):
    __model__ = m.Account
    __resource__: ClassVar[Resource] = Resource.ACCOUNT
    id: relay.NodeID[int]
    login: str = strawberry.field(description="What they sign in with.")
    is_active: bool = strawberry.field(description="False: blocked; it cannot sign in.")
    must_change_password: bool = strawberry.field(
        description="The password is a temporary one, to be changed at the next sign-in."
    )
    created_at: datetime = strawberry.field(description="When it was issued (UTC).")
    password_changed_at: datetime | None = strawberry.field(
        description="When its password was last set (UTC): by its holder, or a reset; null: "
        "the first temporary password, never changed."
    )
    person = related(m.Person, "person_id", Person, "Whose it is, if you may see them.")


@strawberry.enum(description="Where an account stands.")
class AccountState(enum.Enum):
    TEMPORARY = strawberry.enum_value(
        "temporary", description="Not signed in yet: its temporary password is still to change."
    )
    ACTIVE = strawberry.enum_value("active", description="In use: its own password set.")
    BLOCKED = strawberry.enum_value("blocked", description="Blocked: it cannot sign in.")


_STATES = {
    AccountState.TEMPORARY: and_(m.Account.is_active, m.Account.must_change_password),
    AccountState.ACTIVE: and_(m.Account.is_active, not_(m.Account.must_change_password)),
    AccountState.BLOCKED: not_(m.Account.is_active),
}


async def accounts(
    info: Info,
    state: Annotated[
        AccountState | None, strawberry.argument(description="Only the accounts standing so")
    ] = None,
    login: Annotated[
        str | None,
        text_argument(width(m.Account.login), description="Only logins starting so, any case"),
    ] = None,
    first: First = None,
    after: After = None,
) -> Connection[Account]:
    conditions = [] if state is None else [_STATES[state]]
    if login is not None and login.strip():
        conditions.append(m.Account.login.startswith(login.strip().lower(), autoescape=True))
    page = await listing(
        info.context, m.Account, conditions, (m.Account.login,), first=first, after=after
    )
    return Connection(page=page)


@strawberry.type(description="A login with its temporary password, shown only in this answer.")
class IssuedAccount:
    account: m.Account = strawberry.field(
        graphql_type=Account, description="The account.", metadata=reads(Resource.ACCOUNT)
    )
    temporary_password: str = strawberry.field(
        description="Shown only now: hand it to the person, who changes it at the first sign-in."
    )


SIGN_IN_AT = 200


@dataclass(frozen=True)
class Answer:
    issued: account_writes.Issued
    sign_in_at: str | None
    emailed: int = 0


@strawberry.type(description="Logins with temporary passwords, shown only in this answer.")
class AccountsIssuePayload:
    @strawberry.field(
        graphql_type=list[IssuedAccount],
        description="The accounts, by the people's names.",
        metadata=reads(Resource.ACCOUNT) | at_most(MAX_ACCOUNTS),
    )
    def accounts(self, root: strawberry.Parent[Answer]) -> list[account_writes.IssuedAccount]:
        return root.issued.accounts

    @strawberry.field(
        description="How many of them are to be e-mailed their login and temporary password "
        "(asked with `email`: those with a private e-mail address); 0 when not asked."
    )
    def emailed(self, root: strawberry.Parent[Answer]) -> int:
        return root.emailed

    @strawberry.field(
        description="The printable slips: a PDF (base64), a slip per person with their name, "
        "class or children, login, temporary password and where to sign in (`signInAt`), in "
        "Russian, eight to an A4 page, cut along the dashed lines.",
        metadata=reads(Resource.ACCOUNT),
    )
    async def slips(self, root: strawberry.Parent[Answer], info: Info) -> str:
        issued = root.issued
        slips = [
            login_slips.Slip(row.person, row.account.login, row.temporary_password)
            for row in issued.accounts
        ]
        pdf = await login_slips.login_slips(info.context, issued.school, slips, root.sign_in_at)
        return base64.b64encode(pdf).decode()


@strawberry.input(
    description="Whose accounts: people by ID, and whole groups of the school's people; "
    "together, the people any of them selects."
)
class AccountHoldersInput:
    school_id: strawberry.ID = strawberry.field(description="The school (a `School` ID).")
    person_ids: list[strawberry.ID] = list_field(
        MAX_ACCOUNTS, optional=True, description="People of the school (`Person` IDs)"
    )
    class_id: strawberry.ID | None = strawberry.field(
        default=None, description="The class (a `SchoolClass` ID) CLASS_STUDENTS and "
        "CLASS_PARENTS select from."
    )  # fmt: skip
    groups: list[Holders] = list_field(
        len(Holders), optional=True, description="Groups of the school's people"
    )


def _selection(holders: AccountHoldersInput) -> tuple[int, account_writes.Selection]:
    selection = account_writes.Selection(
        person_ids=[decode_id(person_id, Person) for person_id in holders.person_ids],
        class_id=None if holders.class_id is None else decode_id(holders.class_id, SchoolClass),
        holders=frozenset(holders.groups),
    )
    return decode_id(holders.school_id, School), selection


Holders_ = Annotated[AccountHoldersInput, strawberry.argument(description="Whose accounts.")]
PersonIds = Annotated[
    list[strawberry.ID],
    list_argument(MAX_ACCOUNTS, description="The people (`Person` IDs); all or nothing"),
]
SchoolId = Annotated[strawberry.ID, strawberry.argument(description="The school (a `School` ID).")]
SignInAt = Annotated[
    str | None,
    text_argument(
        SIGN_IN_AT, description="Where to sign in, as the slips print it: the journal's address"
    ),
]


Email = Annotated[
    bool,
    strawberry.argument(
        description="Also e-mail each person their login and temporary password (R-ACC-1: "
        "«printed or e-mailed»), to their private e-mail address; those without one get only "
        "the slip. Sent by the notification worker, followed in `notificationDeliveries`."
    ),
]


def _where(sign_in_at: str | None) -> str | None:
    return (sign_in_at or "").strip() or None


async def _answer(info: Info, issued: account_writes.Issued, sign_in_at: str | None,
                  email: bool) -> Answer:  # fmt: skip
    where = _where(sign_in_at)
    emailed = await email_credentials(info.context, issued, where) if email else 0
    return Answer(issued, where, emailed)


async def accounts_issue(
    info: Info, input: Holders_, sign_in_at: SignInAt = None, email: Email = False
) -> Answer:
    school_id, selection = _selection(input)
    issued = await account_writes.accounts_issue(info.context, school_id, selection)
    return await _answer(info, issued, sign_in_at, email)


async def accounts_reset(
    info: Info, school_id: SchoolId, person_ids: PersonIds, sign_in_at: SignInAt = None,
    email: Email = False,
) -> Answer:  # fmt: skip
    ids = [decode_id(person_id, Person) for person_id in person_ids]
    issued = await account_writes.accounts_reset(info.context, decode_id(school_id, School), ids)
    return await _answer(info, issued, sign_in_at, email)


async def _block(info: Info, school_id: strawberry.ID, person_ids: list[strawberry.ID],
                 active: bool) -> list[m.Account]:  # fmt: skip
    ids = [decode_id(person_id, Person) for person_id in person_ids]
    return await account_writes.accounts_block(
        info.context, decode_id(school_id, School), ids, active=active
    )


async def accounts_block(info: Info, school_id: SchoolId, person_ids: PersonIds) -> list[m.Account]:
    return await _block(info, school_id, person_ids, active=False)


async def accounts_unblock(
    info: Info, school_id: SchoolId, person_ids: PersonIds
) -> list[m.Account]:
    return await _block(info, school_id, person_ids, active=True)


_WRITE: list[Any] = [can(Resource.ACCOUNT, Action.WRITE), PersonalAccount]
_ACCOUNTS = reads(Resource.ACCOUNT) | at_most(MAX_ACCOUNTS)
WHO = (
    " The school's admin for the people they appoint (not the head's or another admin's: the "
    "head writes the admins' accounts, the municipality's operator the heads'), or the class "
    "teacher for their class's students and parents (not for a parent who is also on a "
    "school's staff), signed in with their own login."
)

accounts_issue_field = strawberry.mutation(
    resolver=accounts_issue,
    graphql_type=AccountsIssuePayload,
    permission_classes=_WRITE,
    metadata=_ACCOUNTS,
    description="Issue logins and temporary passwords (R-ACC-1) to the people selected who "
    "have none, all or nothing: a login is the surname and initials in Latin letters "
    f"(`ivanov.ii`, `ivanov.ii2` when taken), at most {MAX_ACCOUNTS} at once; a person "
    "named by ID who has a login already is BAD_USER_INPUT (reset it), one whose login you "
    "may not write FORBIDDEN; selected by a group only, either is passed over. "
    "The temporary passwords are shown only in this answer, by name, with "
    "their printable slips." + WHO,
)
accounts_reset_field = strawberry.mutation(
    resolver=accounts_reset,
    graphql_type=AccountsIssuePayload,
    permission_classes=_WRITE,
    metadata=_ACCOUNTS,
    description="Give people's accounts new temporary passwords, to be changed at the next "
    "sign-in; their sessions end. Shown only in this answer, by name, with their printable "
    "slips." + WHO,
)
accounts_block_field = strawberry.mutation(
    resolver=accounts_block,
    graphql_type=list[Account],
    permission_classes=_WRITE,
    metadata=_ACCOUNTS,
    description="Block accounts: they cannot sign in, their sessions stop working at once and "
    "the API tokens they issued are revoked. Your own cannot be blocked." + WHO,
)
accounts_unblock_field = strawberry.mutation(
    resolver=accounts_unblock,
    graphql_type=list[Account],
    permission_classes=_WRITE,
    metadata=_ACCOUNTS,
    description="Unblock accounts: they may sign in again (revoked sessions and tokens stay "
    "revoked)." + WHO,
)
accounts_field = strawberry.field(
    resolver=accounts,
    permission_classes=[can(Resource.ACCOUNT, Action.READ)],
    description="The logins of the people you may see the accounts of (the admin: the "
    "school's; the class teacher: their class's students and parents; anyone: their own), by "
    "login: who has signed in, who still holds a temporary password, who is blocked.",
)
