"""`sms`: an HTTP gateway — a POST of JSON `{to, text}` with a bearer token and the
notification's key as the `Idempotency-Key` header, which gateways keep to send a repeated
request once. A 4xx answer will never go through (given up), a 5xx or a timeout may later."""

from dataclasses import dataclass

import httpx

from plugins.channels.base import Delivery, PermanentFailure, TemporaryFailure, not_configured

TEXT = 1000  # characters of the subject and body together an SMS carries at most


@dataclass(frozen=True)
class SmsConfig:
    url: str | None = None
    token: str | None = None
    timeout: float = 10.0


class Sms:
    name = "sms"

    def __init__(self, config: SmsConfig) -> None:
        self.config = config

    async def send(self, delivery: Delivery) -> None:
        config = self.config
        if not config.url:
            raise not_configured("SMS", "TABEL_SMS_URL")
        if not delivery.phone:
            raise PermanentFailure("The person has no phone number.")
        headers = {"Idempotency-Key": delivery.key}
        if config.token:
            headers["Authorization"] = f"Bearer {config.token}"
        text = f"{delivery.subject}\n{delivery.body}"[:TEXT]
        try:
            async with httpx.AsyncClient(timeout=config.timeout) as client:
                answer = await client.post(
                    config.url, json={"to": delivery.phone, "text": text}, headers=headers
                )
        except httpx.HTTPError as error:
            raise TemporaryFailure(f"The SMS gateway could not be reached: {error!r}") from error
        if 400 <= answer.status_code < 500:
            raise PermanentFailure(
                f"The SMS gateway refused it: {answer.status_code} {answer.text[:200]}"
            )
        if answer.status_code >= 500:
            raise TemporaryFailure(
                f"The SMS gateway failed: {answer.status_code} {answer.text[:200]}"
            )
