"""The channels a notification may go by, by name: what a subscription may choose."""

IN_APP = "in_app"


def known_channels() -> frozenset[str]:
    """The channels' names (the delivery plugins' registry answers this once it is wired)."""
    return frozenset({"email", "sms", IN_APP})
