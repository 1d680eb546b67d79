"""demo accounts and demo API tokens marked as such

`tabel demo` gives its accounts the published password «demo» and its API tokens published
values; a production server refuses to start while they are usable (`server/cli.py`). Rows made
by earlier `tabel demo` runs are found and marked: the demo API tokens by their known values, the
demo accounts by the password hash one run gives all of them (real accounts never share a hash:
each has its own salt) when that hash verifies «demo».

Revision ID: afa1815f4a1b
Revises: e8101636937e
Create Date: 2026-12-01 20:55:00.000000
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

revision: str = 'afa1815f4a1b'
down_revision: str | None = 'e8101636937e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The demo's credentials as this revision knows them (demo/accounts.py may move on; this must not).
DEMO_PASSWORD = 'demo'
DEMO_TOKEN_ROLES = ('inspector', 'integrator')
# The first school's tokens have no prefix, the n-th school's `s<n>.` (school numbers below 200).
DEMO_PREFIXES = ('', *(f's{n}.' for n in range(2, 200)))


def upgrade() -> None:
    for table in ('account', 'auth_token'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('is_demo', sa.Boolean(), server_default=sa.false(), nullable=False)
            )
    _mark_existing(op.get_bind())


def _mark_existing(bind: sa.Connection) -> None:
    tokens = sa.table('auth_token', sa.column('digest'), sa.column('is_demo'))
    digests = [
        hashlib.sha256(f'tbl_demo.{prefix}{role}'.encode()).digest()
        for prefix in DEMO_PREFIXES
        for role in DEMO_TOKEN_ROLES
    ]
    bind.execute(sa.update(tokens).where(tokens.c.digest.in_(digests)).values(is_demo=True))

    accounts = sa.table('account', sa.column('password_hash'), sa.column('is_demo'))
    shared = bind.execute(
        sa.select(accounts.c.password_hash)
        .group_by(accounts.c.password_hash)
        .having(sa.func.count() > 1)
    ).scalars()
    hasher = PasswordHasher()
    for password_hash in list(shared):
        try:
            hasher.verify(password_hash, DEMO_PASSWORD)
        except (VerificationError, InvalidHashError):
            continue
        bind.execute(
            sa.update(accounts)
            .where(accounts.c.password_hash == password_hash)
            .values(is_demo=True)
        )


def downgrade() -> None:
    for table in ('auth_token', 'account'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('is_demo')
