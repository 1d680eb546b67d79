"""Who is calling: a person's account or an API token, and the roles held per school,
resolved once per request."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from model import EditWindow, TokenKind
from plugins.base import Scope

CLASS_TEACHER = "class_teacher"  # held by being a class's teacher, not stored as a role
INSPECTOR = "inspector"
INTEGRATOR_SCOPES = {
    "roster:read": "integrator_roster",
    "journal:read": "integrator_journal",
    "reports:read": "integrator_reports",
}


@dataclass(frozen=True, slots=True)
class SchoolRoleGrant:
    school_id: int
    role: str


@dataclass(frozen=True, slots=True)
class SchoolSettings:
    timezone: str
    grade_edit_window: EditWindow


@dataclass(frozen=True)
class Principal:
    token_id: int
    kind: TokenKind
    name: str  # the account's login, or the API token's name
    account_id: int | None
    person_id: int | None
    must_change_password: bool
    grants: tuple[SchoolRoleGrant, ...]
    schools: Mapping[int, SchoolSettings] = field(default_factory=dict)
    now: datetime | None = None

    @property
    def school_ids(self) -> frozenset[int]:
        return frozenset(grant.school_id for grant in self.grants)

    @property
    def read_only(self) -> bool:
        return self.kind is not TokenKind.LOGIN

    def scope(self, school_id: int) -> Scope:
        settings = self.schools.get(school_id)
        if settings is None:
            return Scope(person_id=self.person_id, school_id=school_id, now=self.now)
        return Scope(
            person_id=self.person_id,
            school_id=school_id,
            timezone=settings.timezone,
            grade_edit_window=settings.grade_edit_window,
            now=self.now,
        )
