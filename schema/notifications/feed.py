"""The in-app feed: your notifications, newest first, and marking them read."""

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.permission import BasePermission

import model as m
from policies.vocabulary import Action, Resource
from resolvers.notifications import feed
from resolvers.notifications.feed import MAX_MARKED
from schema.base import Connection, Info, ModelNode, decode_id, reads
from schema.bounds import After, First, list_argument
from schema.notifications import topics as _topics  # noqa: F401 - declares NotificationTopic
from schema.permissions import PersonalAccount, can


@strawberry.type(description="A notification in your in-app feed.")
class Notification(ModelNode):
    __model__ = m.Notification
    id: relay.NodeID[int]
    topic: m.Topic = strawberry.field(description="What it is about.")
    subject: str = strawberry.field(description="Its heading, in the school's words.")
    body: str = strawberry.field(description="What it says.")
    created_at: datetime = strawberry.field(description="When it was first written (UTC).")
    updated_at: datetime = strawberry.field(
        description="When it was last brought up to date (a correction within the settling "
        "time changes it rather than adding another), UTC."
    )
    read_at: datetime | None = strawberry.field(description="When you read it; null: unread.")


@strawberry.type(description="Your in-app feed: a page of it, and how many are unread.")
class NotificationConnection(Connection[Notification]):
    @strawberry.field(description="How many of your notifications are unread (all pages).")
    async def unread_count(self, info: Info) -> int:
        return await feed.unread(info.context)


async def notifications(
    info: Info,
    unread_only: Annotated[
        bool, strawberry.argument(description="Only those not read yet.")
    ] = False,
    first: First = None,
    after: After = None,
) -> NotificationConnection:
    page = await feed.feed(info.context, unread_only=unread_only, first=first, after=after)
    return NotificationConnection(page=page)


@strawberry.type(description="What `notificationsMarkRead` did.")
class NotificationsMarkReadPayload:
    marked: int = strawberry.field(description="How many were unread and are read now.")

    @strawberry.field(description="How many of yours are still unread.")
    async def unread_count(self, info: Info) -> int:
        return await feed.unread(info.context)


async def notifications_mark_read(
    info: Info,
    ids: Annotated[
        list[strawberry.ID] | None,
        list_argument(MAX_MARKED, description="The notifications (`Notification` IDs); null: all"),
    ] = None,
) -> NotificationsMarkReadPayload:
    decoded = None if ids is None else [decode_id(i, Notification) for i in ids]
    return NotificationsMarkReadPayload(marked=await feed.mark_read(info.context, decoded))


def _declared(action: Action) -> list[type[BasePermission]]:
    return [can(Resource.NOTIFICATION, action), PersonalAccount]


notifications_field = strawberry.field(
    resolver=notifications,
    permission_classes=_declared(Action.READ),
    metadata=reads(Resource.NOTIFICATION),
    description="Your in-app notifications, newest first: grades, absences, homework, final "
    "grades and messages, each once it is due (a grade a few minutes after it was last "
    "changed) and unless what it told of went away. Everyone signed in, their own only.",
)
notifications_mark_read_field = strawberry.mutation(
    resolver=notifications_mark_read,
    permission_classes=_declared(Action.WRITE),
    metadata=reads(Resource.NOTIFICATION),
    description="Mark your notifications read: those given, or all. Your own only (others' "
    "are not found, and not counted).",
)
