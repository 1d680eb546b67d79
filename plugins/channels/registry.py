"""The channels notifications may go by: the built-ins, and those third-party plugins add
under the `tabel.channels` entry-point group (a `Channel` object; it reads its own settings)."""

from collections.abc import Mapping, Sequence
from importlib.metadata import entry_points

from plugins.channels.base import Channel
from plugins.channels.in_app import InApp
from plugins.channels.sms import Sms, SmsConfig
from plugins.channels.smtp import Email, SmtpConfig

ENTRY_POINT_GROUP = "tabel.channels"


class ChannelError(Exception):
    pass


def discover(
    smtp: SmtpConfig, sms: SmsConfig, extra: Sequence[Channel] = ()
) -> Mapping[str, Channel]:
    """The built-in channels so configured, plus every installed plugin's (and `extra`)."""
    channels: dict[str, Channel] = {}
    plugins = [entry.load() for entry in entry_points(group=ENTRY_POINT_GROUP)]
    for channel in [InApp(), Email(smtp), Sms(sms), *plugins, *extra]:
        if not isinstance(channel, Channel):
            raise ChannelError(f"{channel!r} in {ENTRY_POINT_GROUP} is not a tabel Channel")
        if channel.name in channels:
            raise ChannelError(f"a second channel is named {channel.name}")
        channels[channel.name] = channel
    return channels


BUILT_IN_NAMES = (InApp.name, Email.name, Sms.name)


def names() -> frozenset[str]:
    """The names of the channels one may choose: the built-ins' and every installed plugin's
    (whether or not their settings are given: an unconfigured one is told as given up)."""
    plugins = [entry.load() for entry in entry_points(group=ENTRY_POINT_GROUP)]
    return frozenset([*BUILT_IN_NAMES, *(p.name for p in plugins if isinstance(p, Channel))])
