from plugins.channels.base import (
    Channel,
    Delivery,
    DeliveryError,
    PermanentFailure,
    TemporaryFailure,
)
from plugins.channels.registry import ENTRY_POINT_GROUP, discover

__all__ = [
    "ENTRY_POINT_GROUP",
    "Channel",
    "Delivery",
    "DeliveryError",
    "PermanentFailure",
    "TemporaryFailure",
    "discover",
]
