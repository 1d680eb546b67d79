"""The outbox as the school's admin and head follow it (issue 14): each notification's
delivery — to whom, on which channel, about what, where it stands, how often it was tried and
why it last failed — the counts by status, and queueing one given up again."""

from datetime import datetime
from typing import Annotated, Any, ClassVar

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Action, Resource
from resolvers.listing import equal, listing
from resolvers.notifications import deliveries
from schema.base import Connection, Info, ModelNode, decode_id, decode_optional, reads, related
from schema.bounds import After, First, text_argument, width
from schema.filters import InSchool
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.permissions import PersonalAccount, can
from schema.setup.school import School

N = m.Notification


@strawberry.type(
    description="A notification's delivery to one person on one channel (the outbox row): "
    "its words stay private to its recipient; the admin sees where it stands."
)
class NotificationDelivery(ModelNode):
    __model__ = m.Notification
    __resource__: ClassVar[Resource] = Resource.DELIVERY
    id: relay.NodeID[int]
    channel: str = strawberry.field(
        description="The channel: `email`, `sms`, `in_app`, a plugin's."
    )
    topic: m.Topic = strawberry.field(description="What it is about.")
    status: m.DeliveryStatus = strawberry.field(description="Where its delivery stands.")
    attempts: int = strawberry.field(description="How many times a worker tried to send it.")
    last_error: str | None = strawberry.field(
        description="Why the last attempt failed, or why it was given up or cancelled; null: "
        "no failure."
    )
    created_at: datetime = strawberry.field(description="When it was queued (UTC).")
    due_at: datetime = strawberry.field(
        description="Not sent before this (UTC): the settling time, quiet hours, the digest's "
        "time, or the next attempt after a failure."
    )
    sent_at: datetime | None = strawberry.field(description="When it was sent (UTC); null: not.")
    recipient = related(m.Person, "person_id", Person, "To whom, if you may see them.")
    student = related(m.Person, "student_id", Person, "About whom, if about a student you may see.")


@strawberry.type(description="How many notifications stand so.")
class DeliveryCount:
    status: m.DeliveryStatus = strawberry.field(description="Where they stand.")
    count: int = strawberry.field(description="How many.")


Status = Annotated[
    m.DeliveryStatus | None, strawberry.argument(description="Only the notifications standing so.")
]
Channel = Annotated[
    str | None, text_argument(width(N.channel), description="Only those on this channel (`email`)")
]


async def notification_deliveries(
    info: Info, school_id: InSchool = None, status: Status = None, channel: Channel = None,
    first: First = None, after: After = None,
) -> Connection[NotificationDelivery]:  # fmt: skip
    where = [
        *equal(N.school_id, decode_optional(school_id, School)),
        *equal(N.status, status),
        *equal(N.channel, channel),
    ]
    order = (N.created_at, N.id)
    page = await listing(
        info.context, N, where, order, first=first, after=after, resource=Resource.DELIVERY
    )
    return Connection(page=page)


async def notification_delivery_counts(
    info: Info, school_id: InSchool = None, channel: Channel = None
) -> list[DeliveryCount]:
    found = await deliveries.counts(info.context, decode_optional(school_id, School), channel)
    return [DeliveryCount(status=status, count=count) for status, count in found.items()]


async def notification_delivery_retry(
    info: Info,
    id: Annotated[
        strawberry.ID,
        strawberry.argument(description="The notification (a `NotificationDelivery` ID)."),
    ],
) -> m.Notification:
    notification_id = decode_id(id, NotificationDelivery)
    return await deliveries.notification_delivery_retry(info.context, notification_id)


WHO = " The school's admin and head."
_READ: list[Any] = [can(Resource.DELIVERY, Action.READ)]

notification_deliveries_field = strawberry.field(
    resolver=notification_deliveries,
    permission_classes=_READ,
    description="The notifications queued, sent, given up or cancelled, oldest first: to whom, "
    "on which channel, about what, how often tried, and why the last attempt failed." + WHO,
)
notification_delivery_counts_field = strawberry.field(
    resolver=notification_delivery_counts,
    permission_classes=_READ,
    metadata=reads(Resource.DELIVERY) | at_most(len(m.DeliveryStatus)),
    description="How many notifications stand how: every status, with 0 when none." + WHO,
)
notification_delivery_retry_field = strawberry.mutation(
    resolver=notification_delivery_retry,
    graphql_type=NotificationDelivery,
    permission_classes=[can(Resource.DELIVERY, Action.WRITE), PersonalAccount],
    metadata=reads(Resource.DELIVERY),
    description="Queue a notification given up again, to be sent now, its attempts counted "
    "anew (once its cause is mended: an address entered, a channel configured). Only one given "
    "up (else BAD_USER_INPUT); not new credentials, whose temporary password is no longer kept "
    "(reset the password). The school's admin.",
)
