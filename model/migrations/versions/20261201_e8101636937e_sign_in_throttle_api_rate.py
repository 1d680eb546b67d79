"""sign-in throttle, failed sign-ins, API token rate windows

Failed sign-ins are counted per login, per client address and per pair (the throttle), and
recorded for the admin; an API token counts its requests in its current rate window.

Revision ID: e8101636937e
Revises: fc213a5a8bde
Create Date: 2026-12-01 20:44:32.025764
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'e8101636937e'
down_revision: str | None = 'fc213a5a8bde'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sign_in_throttle',
    sa.Column('kind', sa.Enum('login', 'address', 'pair', name='throttle_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('client_address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'login', 'client_address', name=op.f('pk_sign_in_throttle'))
    )
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_throttle_last_failure_at'), ['last_failure_at'], unique=False)

    op.create_table('sign_in_failure',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('client_address', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_sign_in_failure_account_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failure'))
    )
    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_failure_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failure_attempted_at'), ['attempted_at'], unique=False)

    with op.batch_alter_table('auth_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rate_window_start', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('rate_window_requests', sa.Integer(), server_default='0', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('auth_token', schema=None) as batch_op:
        batch_op.drop_column('rate_window_requests')
        batch_op.drop_column('rate_window_start')

    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_failure_attempted_at'))
        batch_op.drop_index(batch_op.f('ix_sign_in_failure_account_id'))

    op.drop_table('sign_in_failure')
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_throttle_last_failure_at'))

    op.drop_table('sign_in_throttle')
