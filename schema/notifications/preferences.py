"""What a parent or a student asked to be told, and how (Ж.1 #3)."""

from datetime import time
from typing import Annotated

import strawberry
from strawberry.permission import BasePermission

import model as m
from policies.vocabulary import Action, Resource
from resolvers.notifications import preferences
from resolvers.notifications.channels import known_channels
from resolvers.notifications.preferences import MAX_CHANNELS, TOPICS
from schema.base import Info, decode_id, reads
from schema.bounds import list_field
from schema.list_sizes import CHILDREN, at_most
from schema.notifications import topics as _topics  # noqa: F401 - declares NotificationTopic
from schema.people.person import Person
from schema.permissions import PersonalAccount, can

CHANNEL_NAME = 32
_CHANNELS = ", ".join(f"`{name}`" for name in sorted(known_channels()))


@strawberry.type(description="The channels one topic is told on.")
class TopicChannels:
    topic: m.Topic = strawberry.field(description="What about.")
    channels: list[str] = strawberry.field(
        description=f"The channels ({_CHANNELS}); empty: not told at all. Nothing chosen yet: "
        "the in-app feed only.",
        metadata=at_most(MAX_CHANNELS),
    )


@strawberry.type(
    description="What you are told about one student (your child, or yourself), per topic."
)
class ChildNotifications:
    __resource__ = Resource.NOTIFICATION_SUBSCRIPTION
    row: strawberry.Private[preferences.ChildPreferences]

    @strawberry.field(description="The student.", metadata=reads(Resource.PERSON))
    def student(self) -> Person:
        return self.row.student  # type: ignore[return-value]

    @strawberry.field(
        description="Each topic with its channels.",
        metadata={**reads(Resource.NOTIFICATION_SUBSCRIPTION), **at_most(len(TOPICS))},
    )
    def topics(self) -> list[TopicChannels]:
        return [TopicChannels(topic=t, channels=list(c)) for t, c in self.row.channels.items()]


@strawberry.type(
    description="What you asked to be told and how: per student, and your quiet hours and "
    "daily digest (times in the school's time zone)."
)
class NotificationPreferences:
    __resource__ = Resource.NOTIFICATION_SUBSCRIPTION
    row: strawberry.Private[preferences.Preferences]

    @strawberry.field(
        description="Your children (a student: yourself), by name.",
        metadata={**reads(Resource.NOTIFICATION_SUBSCRIPTION), **at_most(CHILDREN)},
    )
    def children(self) -> list[ChildNotifications]:
        return [ChildNotifications(row=child) for child in self.row.children]

    @strawberry.field(
        description="When your quiet hours start (school time, HH:MM:SS): nothing but the "
        "in-app feed is sent then; what waits goes when they end. Null: none."
    )
    def quiet_from(self) -> time | None:
        return None if self.row.settings is None else self.row.settings.quiet_from

    @strawberry.field(description="When your quiet hours end (school time); null: none.")
    def quiet_until(self) -> time | None:
        return None if self.row.settings is None else self.row.settings.quiet_until

    @strawberry.field(
        description="Your daily digest's time (school time): e-mail and SMS notifications "
        "wait for it and come as one message per channel. Null: each as it comes."
    )
    def digest_at(self) -> time | None:
        return None if self.row.settings is None else self.row.settings.digest_at


@strawberry.input(description="The channels of one topic.")
class TopicChannelsInput:
    topic: m.Topic = strawberry.field(description="What about (not `CREDENTIALS`).")
    channels: list[str] = list_field(
        MAX_CHANNELS,
        max_length=CHANNEL_NAME,
        description=f"The channels: {_CHANNELS}; empty: not told of it at all",
    )


@strawberry.input(description="What you are told about one student, topic by topic.")
class NotificationSubscriptionsSetInput:
    student_id: strawberry.ID = strawberry.field(
        description="Your child (a `Person` ID); a student: yourself."
    )
    topics: list[TopicChannelsInput] = list_field(
        len(TOPICS), description="The topics to set; those not listed stay as they are"
    )


@strawberry.input(description="Your quiet hours and daily digest, in the school's time zone.")
class NotificationSettingsSetInput:
    quiet_from: time | None = strawberry.field(
        default=None, description="Quiet hours' start (with `quietUntil`), or null for none."
    )
    quiet_until: time | None = strawberry.field(
        default=None,
        description="Quiet hours' end; before the start: across midnight (22:00 to 07:00).",
    )
    digest_at: time | None = strawberry.field(
        default=None, description="The daily digest's time, or null: each as it comes."
    )


async def notification_preferences(info: Info) -> NotificationPreferences:
    return NotificationPreferences(row=await preferences.preferences(info.context))


async def notification_subscriptions_set(
    info: Info,
    input: Annotated[
        NotificationSubscriptionsSetInput, strawberry.argument(description="The choice.")
    ],
) -> ChildNotifications:
    choices = [(item.topic, item.channels) for item in input.topics]
    child = await preferences.subscriptions_set(
        info.context, decode_id(input.student_id, Person), choices
    )
    return ChildNotifications(row=child)


async def notification_settings_set(
    info: Info,
    input: Annotated[NotificationSettingsSetInput, strawberry.argument(description="The hours.")],
) -> NotificationPreferences:
    await preferences.settings_set(
        info.context, input.quiet_from, input.quiet_until, input.digest_at
    )
    return NotificationPreferences(row=await preferences.preferences(info.context))


def _declared(action: Action) -> list[type[BasePermission]]:
    return [can(Resource.NOTIFICATION_SUBSCRIPTION, action), PersonalAccount]


notification_preferences_field = strawberry.field(
    resolver=notification_preferences,
    permission_classes=_declared(Action.READ),
    metadata=reads(Resource.NOTIFICATION_SUBSCRIPTION),
    description="What you asked to be told about your children (a student: about yourself) "
    "and how, with your quiet hours and digest. Parents and students, each their own.",
)
notification_subscriptions_set_field = strawberry.mutation(
    resolver=notification_subscriptions_set,
    permission_classes=_declared(Action.WRITE),
    metadata=reads(Resource.NOTIFICATION_SUBSCRIPTION),
    description="Choose, for one of your children (a student: for yourself), the channels "
    f"each topic is told on ({_CHANNELS}); audited. A parent for their own children, a "
    "student for themselves; NOT_FOUND for any other student.",
)
notification_settings_set_field = strawberry.mutation(
    resolver=notification_settings_set,
    permission_classes=_declared(Action.WRITE),
    metadata=reads(Resource.NOTIFICATION_SUBSCRIPTION),
    description="Set your quiet hours (nothing but the in-app feed while they last; what "
    "waits is sent at their end) and your daily digest's time, or clear them (all null); "
    "school time, to the minute; audited. Parents and students.",
)
