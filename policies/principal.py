"""Who is calling: an account's person and the roles they hold, resolved once per request."""

from dataclasses import dataclass

from model import Role


@dataclass(frozen=True, slots=True)
class SchoolRoleGrant:
    school_id: int
    role: str  # a model.Role value, or "class_teacher" (held by being a class's teacher)


CLASS_TEACHER = "class_teacher"


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

    def holds(self, role: Role | str, school_id: int) -> bool:
        return SchoolRoleGrant(school_id, str(role)) in self.grants
