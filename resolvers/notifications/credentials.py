"""New logins and temporary passwords e-mailed (R-ACC-1: «printed or e-mailed»): queued in
the outbox in the transaction that issued them, to those with a private e-mail address. The
password is in the notification's body until it is sent or given up, then blanked; it never
enters the audit trail (`resolvers/audit.py` keeps no notification body)."""

import model as m
from model.base import utc_now
from resolvers.accounts.account_writes import Issued
from resolvers.context import Context
from resolvers.notifications.outbox import Outgoing, enqueue

SUBJECT = "Вход в электронный журнал: {school}"
BODY = (
    "Здравствуйте, {name}!\n\n"
    "Для вас открыт вход в электронный журнал школы «{school}».\n"
    "Логин: {login}\n"
    "Временный пароль: {password}\n"
    "{where}"
    "При первом входе придумайте свой пароль: временный действует до него.\n"
)


async def email_credentials(ctx: Context, issued: Issued, sign_in_at: str | None) -> int:
    """The issued logins queued to be e-mailed to their holders; how many (those with an
    address). Queued again before it was sent (a reset at once), the newer password replaces
    the older in the one queued notification."""
    school = issued.school
    where = f"Где войти: {sign_in_at}\n" if sign_in_at else ""
    items = [
        Outgoing(
            school_id=school.id,
            person_id=item.person.id,
            student_id=None,
            topic=m.Topic.CREDENTIALS,
            channel="email",
            coalesce_key=f"credentials:{item.account.id}",
            subject=SUBJECT.format(school=school.short_name),
            body=BODY.format(
                name=" ".join(filter(None, [item.person.first_name, item.person.middle_name])),
                school=school.short_name,
                login=item.account.login,
                password=item.temporary_password,
                where=where,
            ),
            due_at=utc_now(),
            facts={"accountId": item.account.id},
        )
        for item in issued.accounts
        if item.person.email
    ]
    await enqueue(ctx.db, items)
    return len(items)
