"""A finished job's file at an expiring URL: `/files/{job}.{expires}.{signature}`, signed
with the database's own key (`m.ReportKey`, made when the first job is started), so that any
process serves what another minted and nothing per process has to be shared. The URL names
its job and, through the signature, the account that started it: the download serves it to
that account only, while it is active and still may read what the job read
(`server/report_files.py`)."""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

import model as m
from model.base import utc_now
from resolvers.database import Database

URL_TTL = timedelta(minutes=15)
PATH = "/files/"
KEY_ID = 1


async def ensure_key(db: Database) -> None:
    """The signing key, made once per database (a concurrent maker's stands)."""
    row = {"id": KEY_ID, "secret": secrets.token_bytes(32), "created_at": utc_now()}
    await db.insert_missing(m.ReportKey, [row])


async def _key(db: Database) -> bytes | None:
    return await db.scalar(select(m.ReportKey.secret).where(m.ReportKey.id == KEY_ID))


def _signature(key: bytes, job_id: int, account_id: int, expires: int) -> str:
    message = f"report:{job_id}:{account_id}:{expires}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@dataclass(frozen=True)
class Minted:
    url: str
    expires_at: datetime


async def mint(db: Database, job: m.ReportJob, now: datetime | None = None) -> Minted | None:
    key = await _key(db)
    if key is None:
        return None
    expires_at = (now or utc_now()) + URL_TTL
    expires = int(expires_at.timestamp())
    signature = _signature(key, job.id, job.requested_by_id, expires)
    return Minted(f"{PATH}{job.id}.{expires}.{signature}", datetime.fromtimestamp(expires, UTC))


async def job_of(db: Database, token: str, now: datetime | None = None) -> m.ReportJob | None:
    """The job a URL's token names, if its signature holds and it has not expired; None for
    anything else (the caller answers 404 whatever the reason)."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    job_id, expires = int(parts[0]), int(parts[1])
    if expires <= (now or utc_now()).timestamp() or job_id > 2**63:
        return None
    key = await _key(db)
    job = await db.scalar(select(m.ReportJob).where(m.ReportJob.id == job_id))
    if key is None or job is None:
        return None
    if not hmac.compare_digest(_signature(key, job.id, job.requested_by_id, expires), parts[2]):
        return None
    return job
