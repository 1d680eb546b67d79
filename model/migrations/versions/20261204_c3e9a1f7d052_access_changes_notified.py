"""PostgreSQL tells every server process when who may do what changed: a trigger on each table a
caller's access is read from notifies `tabel_tokens` at the commit of the statement's
transaction (the token cache forgets, the live subscriptions check their tokens again)

Revision ID: c3e9a1f7d052
Revises: b14c0a7e5d21
Create Date: 2026-12-04 19:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c3e9a1f7d052"
down_revision: str | None = "b14c0a7e5d21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The events that can change what a caller's token resolves to (resolvers/accounts/sign_in.py):
# a token revoked or expired, an account blocked or its temporary password, roles, a class's
# teacher, a school's time zone and edit window (or a municipality's schools), an API token's
# schools, placements and guardianships (whether a student's or parent's role still counts).
# An API token's counted uses (its rate window, last use) are not among them.
WATCHED = {
    "auth_token": "UPDATE OF digest, kind, account_id, scopes, municipality_id, expires_at,"
    " revoked_at OR DELETE",
    "account": "UPDATE OF person_id, is_active, must_change_password OR DELETE",
    "school_role": "INSERT OR UPDATE OR DELETE",
    "municipality_role": "INSERT OR UPDATE OR DELETE",
    "school_class": "INSERT OR UPDATE OF school_id, class_teacher_id OR DELETE",
    "school": "INSERT OR UPDATE OF municipality_id, timezone, grade_edit_window OR DELETE",
    "auth_token_school": "INSERT OR UPDATE OR DELETE",
    "class_student": "INSERT OR UPDATE OR DELETE",
    "guardianship": "INSERT OR UPDATE OR DELETE",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # one process on SQLite: it is told at its own commits
    op.execute(
        "CREATE FUNCTION tabel_access_changed() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN PERFORM pg_notify('tabel_tokens', ''); RETURN NULL; END $$"
    )
    for table, events in WATCHED.items():
        op.execute(
            f"CREATE TRIGGER tabel_access_changed AFTER {events} OR TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION tabel_access_changed()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in WATCHED:
        op.execute(f"DROP TRIGGER tabel_access_changed ON {table}")
    op.execute("DROP FUNCTION tabel_access_changed()")
