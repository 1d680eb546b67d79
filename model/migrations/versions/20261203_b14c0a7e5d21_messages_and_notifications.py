"""messages, notification subscriptions and settings, the notification outbox

Revision ID: b14c0a7e5d21
Revises: 0ff48120430a
Create Date: 2026-12-03 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'b14c0a7e5d21'
down_revision: str | None = '0ff48120430a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
State = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('notification_settings',
    sa.Column('id', Id, nullable=False),
    sa.Column('person_id', Id, nullable=False),
    sa.Column('quiet_from', sa.Time(), nullable=True),
    sa.Column('quiet_until', sa.Time(), nullable=True),
    sa.Column('digest_at', sa.Time(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_notification_settings_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_settings')),
    sa.UniqueConstraint('person_id', name=op.f('uq_notification_settings_person_id'))
    )
    op.create_table('message',
    sa.Column('id', Id, nullable=False),
    sa.Column('school_id', Id, nullable=False),
    sa.Column('sender_id', Id, nullable=False),
    sa.Column('thread_id', Id, nullable=False),
    sa.Column('reply_to_id', Id, nullable=True),
    sa.Column('student_id', Id, nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sent_at', When, nullable=False),
    sa.ForeignKeyConstraint(['reply_to_id'], ['message.id'], name=op.f('fk_message_reply_to_id_message')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_message_school_id_school')),
    sa.ForeignKeyConstraint(['sender_id'], ['person.id'], name=op.f('fk_message_sender_id_person')),
    sa.ForeignKeyConstraint(['student_id'], ['person.id'], name=op.f('fk_message_student_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message'))
    )
    op.create_index(op.f('ix_message_school_id'), 'message', ['school_id'], unique=False)
    op.create_index(op.f('ix_message_sender_id'), 'message', ['sender_id'], unique=False)
    op.create_index(op.f('ix_message_student_id'), 'message', ['student_id'], unique=False)
    op.create_index(op.f('ix_message_thread_id'), 'message', ['thread_id'], unique=False)
    op.create_table('notification',
    sa.Column('id', Id, nullable=False),
    sa.Column('school_id', Id, nullable=False),
    sa.Column('person_id', Id, nullable=False),
    sa.Column('student_id', Id, nullable=True),
    sa.Column('topic', sa.Enum('grade', 'attendance', 'homework', 'final_grade', 'message', 'credentials', name='notification_topic', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('coalesce_key', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('facts', State, nullable=False),
    sa.Column('digest', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'sending', 'sent', 'given_up', 'cancelled', name='delivery_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.Column('due_at', When, nullable=False),
    sa.Column('sent_at', When, nullable=True),
    sa.Column('read_at', When, nullable=True),
    sa.Column('worker', sa.String(length=128), nullable=True),
    sa.Column('lease_until', When, nullable=True),
    sa.Column('last_error', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_notification_person_id_person')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_notification_school_id_school')),
    sa.ForeignKeyConstraint(['student_id'], ['person.id'], name=op.f('fk_notification_student_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('key', name=op.f('uq_notification_key'))
    )
    op.create_index('ix_notification_feed', 'notification', ['person_id', 'channel', 'created_at'], unique=False)
    op.create_index(op.f('ix_notification_school_id'), 'notification', ['school_id'], unique=False)
    op.create_index(op.f('ix_notification_student_id'), 'notification', ['student_id'], unique=False)
    op.create_index('ix_notification_waiting', 'notification', ['due_at'], unique=False, sqlite_where=sa.text("status IN ('queued', 'sending')"), postgresql_where=sa.text("status IN ('queued', 'sending')"))
    op.create_index('uq_notification_pending', 'notification', ['person_id', 'channel', 'coalesce_key'], unique=True, sqlite_where=sa.text("status = 'queued'"), postgresql_where=sa.text("status = 'queued'"))
    op.create_table('notification_subscription',
    sa.Column('id', Id, nullable=False),
    sa.Column('school_id', Id, nullable=False),
    sa.Column('person_id', Id, nullable=False),
    sa.Column('student_id', Id, nullable=False),
    sa.Column('topic', sa.Enum('grade', 'attendance', 'homework', 'final_grade', 'message', 'credentials', name='notification_topic', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('channels', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_notification_subscription_person_id_person')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_notification_subscription_school_id_school')),
    sa.ForeignKeyConstraint(['student_id'], ['person.id'], name=op.f('fk_notification_subscription_student_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_subscription')),
    sa.UniqueConstraint('person_id', 'student_id', 'topic', name=op.f('uq_notification_subscription_person_id_student_id_topic'))
    )
    op.create_index(op.f('ix_notification_subscription_person_id'), 'notification_subscription', ['person_id'], unique=False)
    op.create_index(op.f('ix_notification_subscription_school_id'), 'notification_subscription', ['school_id'], unique=False)
    op.create_index(op.f('ix_notification_subscription_student_id'), 'notification_subscription', ['student_id'], unique=False)
    op.create_table('message_recipient',
    sa.Column('id', Id, nullable=False),
    sa.Column('message_id', Id, nullable=False),
    sa.Column('recipient_id', Id, nullable=False),
    sa.Column('read_at', When, nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_message_recipient_message_id_message')),
    sa.ForeignKeyConstraint(['recipient_id'], ['person.id'], name=op.f('fk_message_recipient_recipient_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_recipient')),
    sa.UniqueConstraint('message_id', 'recipient_id', name=op.f('uq_message_recipient_message_id_recipient_id'))
    )
    op.create_index('ix_message_recipient_inbox', 'message_recipient', ['recipient_id', 'read_at', 'message_id'], unique=False)
    op.create_index(op.f('ix_message_recipient_message_id'), 'message_recipient', ['message_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_message_recipient_message_id'), table_name='message_recipient')
    op.drop_index('ix_message_recipient_inbox', table_name='message_recipient')
    op.drop_table('message_recipient')
    op.drop_index(op.f('ix_notification_subscription_student_id'), table_name='notification_subscription')
    op.drop_index(op.f('ix_notification_subscription_school_id'), table_name='notification_subscription')
    op.drop_index(op.f('ix_notification_subscription_person_id'), table_name='notification_subscription')
    op.drop_table('notification_subscription')
    op.drop_index('uq_notification_pending', table_name='notification', sqlite_where=sa.text("status = 'queued'"), postgresql_where=sa.text("status = 'queued'"))
    op.drop_index('ix_notification_waiting', table_name='notification', sqlite_where=sa.text("status IN ('queued', 'sending')"), postgresql_where=sa.text("status IN ('queued', 'sending')"))
    op.drop_index(op.f('ix_notification_student_id'), table_name='notification')
    op.drop_index(op.f('ix_notification_school_id'), table_name='notification')
    op.drop_index('ix_notification_feed', table_name='notification')
    op.drop_table('notification')
    op.drop_index(op.f('ix_message_thread_id'), table_name='message')
    op.drop_index(op.f('ix_message_student_id'), table_name='message')
    op.drop_index(op.f('ix_message_sender_id'), table_name='message')
    op.drop_index(op.f('ix_message_school_id'), table_name='message')
    op.drop_table('message')
    op.drop_table('notification_settings')
