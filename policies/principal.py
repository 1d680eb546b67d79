"""Who is calling: an account's person and the roles they hold, resolved once per request."""

import enum
from dataclasses import dataclass

from model import Role


class HeldRole(enum.StrEnum):
    """A stored role, or `class_teacher`, which a person holds by being a class's teacher."""

    ADMIN = Role.ADMIN.value
    HEAD = Role.HEAD.value
    DEPUTY = Role.DEPUTY.value
    TEACHER = Role.TEACHER.value
    CLASS_TEACHER = "class_teacher"
    PSYCHOLOGIST = Role.PSYCHOLOGIST.value
    STUDENT = Role.STUDENT.value
    PARENT = Role.PARENT.value


@dataclass(frozen=True, slots=True)
class SchoolRoleGrant:
    school_id: int
    role: HeldRole


@dataclass(frozen=True, slots=True)
class Principal:
    account_id: int
    person_id: int
    login: str
    token_id: int
    must_change_password: bool
    grants: tuple[SchoolRoleGrant, ...]

    @property
    def school_ids(self) -> frozenset[int]:
        return frozenset(grant.school_id for grant in self.grants)

    def holds(self, role: HeldRole, school_id: int) -> bool:
        return SchoolRoleGrant(school_id, role) in self.grants
