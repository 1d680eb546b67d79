"""The channels a notification may go by, by name: what a subscription may choose."""

from plugins.channels import registry

IN_APP = "in_app"


def known_channels() -> frozenset[str]:
    """The channels' names: the built-ins and the installed plugins' (`plugins/channels/`)."""
    return registry.names()
