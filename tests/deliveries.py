"""Builders for the delivery tests: a family in a school (a parent with an e-mail address, a
phone and an account, a student, the admin), notifications queued through the outbox as a
write would queue them, and delivery workers as `tabel serve` runs them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

import model as m
from model.base import utc_now
from model.db import make_sessionmaker
from plugins.channels import Channel
from resolvers.database import Database
from resolvers.notifications.outbox import Outgoing, enqueue
from server.notification_worker import NotificationWorker, channels
from server.settings import Settings
from tests.factories import Factory, build


@dataclass(frozen=True)
class Family:
    school_id: int
    admin_id: int
    parent_id: int
    student_id: int
    newcomer_id: int  # a teacher with an e-mail address and no login yet


async def family(engine: AsyncEngine, *, email: str | None = "mother@family.test") -> Family:
    async def recipe(f: Factory) -> Family:
        setup = await f.school()
        admin = await f.person(setup, "Админова", m.Role.ADMIN)
        await f.account(admin, "admin")
        head = await f.person(setup, "Директоров", m.Role.HEAD)
        await f.account(head, "head")
        newcomer = await f.person(setup, "Новикова", m.Role.TEACHER)
        newcomer.email = "novikova@school.test"
        student = await f.person(setup, "Ученикова", m.Role.STUDENT)
        parent = await f.person(setup, "Родителева", m.Role.PARENT)
        parent.email = email
        await f.account(parent, "parent")
        await f.add(
            m.Guardianship(parent_id=parent.id, child_id=student.id, kinship=m.Kinship.MOTHER)
        )
        return Family(setup.school.id, admin.id, parent.id, student.id, newcomer.id)

    return await build(engine, recipe)


def grade_news(home: Family, channel: str = "email", n: int = 1, **extra: Any) -> Outgoing:
    return Outgoing(
        school_id=home.school_id, person_id=home.parent_id, student_id=home.student_id,
        topic=m.Topic.GRADE, channel=channel, coalesce_key=f"grade:{n}",
        subject=f"Новая оценка: Ученикова — 5 по математике ({n})",
        body="Ученикова получила 5 по математике за контрольную работу.",
        due_at=utc_now() - timedelta(seconds=1), facts={"gradeId": n}, **extra,
    )  # fmt: skip


async def queue(engine: AsyncEngine, items: Sequence[Outgoing]) -> None:
    async with make_sessionmaker(engine)() as session:
        await enqueue(Database(session), items)
        await session.commit()


async def notifications(engine: AsyncEngine) -> list[m.Notification]:
    async with make_sessionmaker(engine)() as session:
        return list(await session.scalars(select(m.Notification).order_by(m.Notification.id)))


def worker(
    engine: AsyncEngine, extra: Sequence[Channel] = (), **settings: Any
) -> NotificationWorker:
    given = Settings(
        **{"database_url": "sqlite://", "notification_backoff_seconds": 0.05, **settings}
    )
    return NotificationWorker(make_sessionmaker(engine), given, channels(given, extra))
