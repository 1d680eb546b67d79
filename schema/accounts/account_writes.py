"""Issuing logins and temporary passwords, resetting them, blocking and unblocking accounts."""

from typing import Annotated, Any, ClassVar

import strawberry

import model as m
from policies.vocabulary import Action, Resource
from resolvers.accounts import account_writes
from resolvers.accounts.account_writes import MAX_ACCOUNTS, Holders
from schema.base import Info, decode_id, reads, related
from schema.bounds import list_argument, list_field
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
class Account:
    __resource__: ClassVar[Resource] = Resource.ACCOUNT
    login: str = strawberry.field(description="What they sign in with.")
    is_active: bool = strawberry.field(description="False: blocked; it cannot sign in.")
    must_change_password: bool = strawberry.field(
        description="The password is a temporary one, to be changed at the next sign-in."
    )
    person = related(m.Person, "person_id", Person, "Whose it is, if you may see them.")


@strawberry.type(description="A login with its temporary password, shown only in this answer.")
class IssuedAccount:
    account: m.Account = strawberry.field(
        graphql_type=Account, description="The account.", metadata=reads(Resource.ACCOUNT)
    )
    temporary_password: str = strawberry.field(
        description="Shown only now: hand it to the person, who changes it at the first sign-in."
    )


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


async def accounts_issue(info: Info, input: Holders_) -> list[account_writes.IssuedAccount]:
    school_id, selection = _selection(input)
    return await account_writes.accounts_issue(info.context, school_id, selection)


async def accounts_reset(
    info: Info, school_id: SchoolId, person_ids: PersonIds
) -> list[account_writes.IssuedAccount]:
    ids = [decode_id(person_id, Person) for person_id in person_ids]
    return await account_writes.accounts_reset(info.context, decode_id(school_id, School), ids)


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
    " The school's admin, or the class teacher for their class's students and parents (not "
    "for a parent who is also on a school's staff), signed in with their own login."
)

accounts_issue_field = strawberry.mutation(
    resolver=accounts_issue,
    graphql_type=list[IssuedAccount],
    permission_classes=_WRITE,
    metadata=_ACCOUNTS,
    description="Issue logins and temporary passwords (R-ACC-1) to the people selected who "
    "have none, all or nothing: a login is the surname and initials in Latin letters "
    f"(`ivanov.ii`, `ivanov.ii2` when taken), at most {MAX_ACCOUNTS} at once; a person "
    "named by ID who has a login already is BAD_USER_INPUT (reset it), in a group they are "
    "passed over. The temporary passwords are shown only in this answer, by name." + WHO,
)
accounts_reset_field = strawberry.mutation(
    resolver=accounts_reset,
    graphql_type=list[IssuedAccount],
    permission_classes=_WRITE,
    metadata=_ACCOUNTS,
    description="Give people's accounts new temporary passwords, to be changed at the next "
    "sign-in; their sessions end. Shown only in this answer, by name." + WHO,
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
