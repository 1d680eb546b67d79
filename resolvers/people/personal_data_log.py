"""The log of personal-data reads (R-PD-1, 152-FZ): whose data a request of staff or an API
token read, and which fields, written with the request — one row of the query log (the one an
inspector's request has already, §1.12) and one statement for every person read."""

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert

import model as m
from model.base import utc_now
from policies.principal import CLASS_TEACHER, Principal
from resolvers.database import Database

# The staff roles whose reads are logged; a family's reads of its own are not.
LOGGED_ROLES = frozenset(
    {
        m.Role.ADMIN.value,
        m.Role.HEAD.value,
        m.Role.DEPUTY.value,
        m.Role.TEACHER.value,
        m.Role.PSYCHOLOGIST.value,
        CLASS_TEACHER,
        "operator",
    }
)


def is_logged(principal: Principal) -> bool:
    """Staff and API tokens (inspectors, integrators) have their reads logged."""
    if principal.kind is not m.TokenKind.LOGIN:
        return True
    return any(grant.role in LOGGED_ROLES for grant in principal.grants)


@dataclass
class PersonalReads:
    """What the request read, person by person; filled as the fields resolve."""

    fields: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    # The request's row of the query log, when it has one already (an inspector's).
    query_log_id: int | None = None

    def note(self, person_id: int, name: str) -> None:
        self.fields[person_id].add(name)


def query_row(
    principal: Principal,
    query: str | None,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
) -> dict[str, Any]:
    """A query log row: when, which token, the text's SHA-256, the variables as sorted JSON."""
    return {
        "auth_token_id": principal.token_id,
        "ran_at": principal.now or utc_now(),
        "operation_name": None if operation_name is None else operation_name[:200],
        "query_sha256": hashlib.sha256((query or "").encode()).hexdigest(),
        "variables": json.dumps(variables or {}, sort_keys=True, ensure_ascii=False),
    }


async def write(
    db: Database,
    principal: Principal,
    reads: PersonalReads,
    query: str | None,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
) -> bool:
    """Log what the request read, if anything; committing it is the caller's."""
    if not reads.fields:
        return False
    log_id = reads.query_log_id
    if log_id is None:
        row = query_row(principal, query, variables, operation_name)
        result = await db.execute(insert(m.QueryLog).values(**row).returning(m.QueryLog.id))
        log_id = reads.query_log_id = int(result.scalar_one())
    rows = [
        {"query_log_id": log_id, "person_id": person_id, "fields": " ".join(sorted(names))}
        for person_id, names in sorted(reads.fields.items())
    ]
    await db.execute(insert(m.PersonalDataRead).values(rows))
    reads.fields.clear()
    return True
