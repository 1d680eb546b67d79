"""Logins made from people's names, and temporary passwords a person can copy from paper.

A login is the surname and initials in Latin letters (Иванов Иван Ильич: `ivanov.ii`),
transliterated as a Russian passport spells them (ГОСТ Р 52535.1-2006); a login already
taken gets the next free number (`ivanov.ii2`). The taken ones are read in one statement for
a whole list of people."""

import secrets
from collections.abc import Sequence

from sqlalchemy import or_, select

import model as m
from resolvers.database import Database

_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip
# Room for a number after the name within the column's 64 characters.
MAX_BASE = 56
# Letters and digits nobody misreads on a printed slip (no 0/o, 1/l/i): 12 of them, from 31,
# are 59 bits — out of reach of a throttled guesser, typed in under a minute.
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS, GROUP_LENGTH = 3, 4


def transliterate(text: str) -> str:
    """Latin letters, digits and hyphens of a name: «Петрова-Водкина» is `petrova-vodkina`."""
    out = []
    for char in text.strip().lower():
        if char in _LETTERS:
            out.append(_LETTERS[char])
        elif char.isascii() and (char.isalnum() or char == "-"):
            out.append(char)
        elif char in " '’":
            out.append("-")
    return "-".join(part for part in "".join(out).split("-") if part)


def login_base(last_name: str, first_name: str, middle_name: str | None) -> str:
    surname = transliterate(last_name)[:MAX_BASE] or "user"
    # An initial is its letter spelled out: Юлия Жоровна is `iuzh`.
    initials = "".join(transliterate(name.strip()[:1]) for name in (first_name, middle_name or ""))
    return f"{surname}.{initials}" if initials else surname


def temporary_password() -> str:
    """Three groups of four readable characters: `k7mq-2xwp-h9ft`."""
    groups = ("".join(secrets.choice(_READABLE) for _ in range(GROUP_LENGTH)) for _ in range(3))
    return "-".join(groups)


async def free_logins(db: Database, bases: Sequence[str]) -> list[str]:
    """A free login for each base, in their order: the base, else the base with the lowest
    free number from 2 on; two equal bases in the list get different ones."""
    if not bases:
        return []
    distinct = sorted(set(bases))
    taken = set(
        await db.scalars(
            select(m.Account.login).where(
                or_(*(m.Account.login.startswith(base, autoescape=True) for base in distinct))
            )
        )
    )
    logins = []
    for base in bases:
        login, number = base, 1
        while login in taken:
            number += 1
            login = f"{base}{number}"
        taken.add(login)
        logins.append(login)
    return logins
