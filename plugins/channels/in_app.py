"""`in_app`: the person's feed in the journal, which reads the notification itself; sending it
is marking it sent."""

from plugins.channels.base import Delivery


class InApp:
    name = "in_app"

    async def send(self, delivery: Delivery) -> None:
        return None
