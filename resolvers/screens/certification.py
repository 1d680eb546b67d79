"""Certifying the attestation summary (R-ATTEST-1, А #6: «формирует, распечатывает, заверяет и
архивирует»): the admin generates it as it stands, and tabel records the certificate — what was
asked, its data's SHA-256, who, when — in the same transaction that answers the PDF, audited.
The checksum printed on the paper finds the certificate again; `still_matches` says whether the
data today gives the same checksum (a grade corrected since: it no longer does)."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select

import model as m
from policies.vocabulary import Resource
from resolvers.audit import created, record
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.screens.attestation import Summary, attestation_summary
from resolvers.write_checks import require_writes

CHECKSUM_LENGTH = 64
WHO_CERTIFIES = "Only the school's admin certifies its statements."


@dataclass(frozen=True)
class Certified:
    certificate: m.Certificate
    summary: Summary


async def certify(
    ctx: Context, school_id: int, period_ids: Sequence[int], class_id: int | None
) -> Certified:
    summary = await attestation_summary(ctx, school_id, period_ids, class_id)
    principal = ctx.require_principal()
    parameters = {
        "period_ids": [period.id for period in summary.periods],
        "class_id": class_id,
    }
    certificate = (
        await ctx.db.execute(
            insert(m.Certificate)
            .values(
                school_id=school_id,
                kind=m.CertificateKind.ATTESTATION_SUMMARY,
                parameters=parameters,
                checksum=summary.checksum,
                generated_by_id=principal.account_id,
            )
            .returning(m.Certificate)
        )
    ).scalar_one()
    await require_writes(
        ctx, Resource.CERTIFICATE, m.Certificate, [certificate.id], existing=False,
        message=WHO_CERTIFIES,
    )  # fmt: skip
    await record(ctx, created(m.Certificate, school_id, [certificate]))
    return Certified(certificate, summary)


@dataclass(frozen=True)
class Verified:
    certificate: m.Certificate
    still_matches: bool


async def verify(ctx: Context, checksum: str) -> Verified:
    """The certificate a paper's checksum names, and whether today's data still gives it."""
    wanted = checksum.strip().lower()
    if len(wanted) != CHECKSUM_LENGTH or any(c not in "0123456789abcdef" for c in wanted):
        raise BadUserInput(
            "A checksum is the 64 hexadecimal characters the statement prints.",
            argument="checksum",
        )
    certificate = await ctx.db.scalar(
        select(m.Certificate)
        .where(m.Certificate.checksum == wanted, ctx.loaders.readable(m.Certificate))
        .order_by(m.Certificate.generated_at.desc(), m.Certificate.id.desc())
        .limit(1)
    )
    if certificate is None:
        raise NotFound("No statement certified here has that checksum, or you may not see it.")
    parameters = certificate.parameters
    now = await attestation_summary(
        ctx, certificate.school_id, parameters["period_ids"], parameters.get("class_id")
    )
    return Verified(certificate, now.checksum == certificate.checksum)
