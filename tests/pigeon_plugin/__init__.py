"""A third-party channel, as a school would write one: a messenger bot («Голубь») that posts
each message to its bot API (`PIGEON_BOT_URL`), to the chat of the person's phone number.

It is a `Channel` found through the `tabel.channels` entry-point group; the core is not
touched. A parent who subscribes with the channel `pigeon` is told through it."""

import os

import httpx

from plugins.channels import Delivery, PermanentFailure, TemporaryFailure


class Pigeon:
    name = "pigeon"

    async def send(self, delivery: Delivery) -> None:
        url = os.environ.get("PIGEON_BOT_URL")
        if not url:
            raise PermanentFailure("The pigeon channel is not configured: set PIGEON_BOT_URL.")
        if not delivery.phone:
            raise PermanentFailure("The person has no phone number to find their chat by.")
        text = f"*{delivery.subject}*\n{delivery.body}"
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                answer = await client.post(
                    url,
                    json={"chat": delivery.phone, "text": text},
                    headers={"X-Pigeon-Key": delivery.key},
                )
        except httpx.HTTPError as error:
            raise TemporaryFailure(f"The bot API could not be reached: {error!r}") from error
        if answer.status_code >= 500:
            raise TemporaryFailure(f"The bot API failed: {answer.status_code}")
        if answer.status_code >= 400:
            raise PermanentFailure(f"The bot API refused it: {answer.status_code}")


channel = Pigeon()
