"""Cursor pagination by keyset: stable under inserts, `first` capped, totals counted in SQL;
and pages of reports, whose rows are figures computed whole (`page_of`)."""

import base64
import binascii
import re
import struct
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from resolvers.database import Database
from resolvers.errors import BadUserInput

E = TypeVar("E")

MAX_FIRST = 100
DEFAULT_FIRST = 50
MAX_ROW_ID = 2**63 - 1  # a BIGINT; beyond it no row is, and no database compares it
_ROW_ID = re.compile(r"[1-9][0-9]{0,18}")  # ASCII digits only, no sign, no leading zero
MAX_CURSOR_LENGTH = 64


@dataclass(frozen=True)
class Page(Generic[E]):
    rows: Sequence[E]
    has_next: bool
    has_previous: bool
    cursors: Sequence[str]
    count: Callable[[], Awaitable[int]]


def encode_cursor(row_id: int) -> str:
    return base64.urlsafe_b64encode(f"c:{row_id}".encode()).decode()


def row_id(text: str) -> int | None:
    """The id written in its one canonical form (`17`, not `+17`, `017`, ` 17` or `１７`), in
    range; else None."""
    if _ROW_ID.fullmatch(text) is None:
        return None
    value = int(text)
    return value if value <= MAX_ROW_ID else None


def decode_cursor(cursor: str) -> int:
    """Only a cursor exactly as `encode_cursor` writes it."""
    found: int | None = None
    if len(cursor) <= MAX_CURSOR_LENGTH:
        try:
            kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        except (ValueError, binascii.Error):  # UnicodeDecodeError is a ValueError
            kind, value = "", ""
        if kind == "c":
            found = row_id(value)
    if found is None or encode_cursor(found) != cursor:
        raise BadUserInput("`after` is not a cursor from this API.", argument="after")
    return found


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_FIRST
    if not 0 <= first <= MAX_FIRST:
        raise BadUserInput(f"`first` must be between 0 and {MAX_FIRST}.", argument="first")
    return first


async def paginate(
    db: Database,
    statement: Select[E],
    entity: type[E],
    order_by: Sequence[InstrumentedAttribute[Any]],
    *,
    first: int | None,
    after: str | None,
) -> Page[E]:
    """Rows of `statement` in `order_by` order (the id breaks ties), after the cursor's row."""
    limit = page_size(first)
    id_column: InstrumentedAttribute[int] = getattr(entity, "id")  # noqa: B009
    keys = [*order_by, id_column]
    page_statement = statement
    if after is not None:
        # The anchor is looked up through the same filtered statement: a cursor naming a row
        # the caller cannot read anchors nothing (an empty page), and reveals nothing.
        anchor_row = (
            statement.with_only_columns(*keys)
            .where(id_column == decode_cursor(after))
            .correlate(None)
            .scalar_subquery()
        )
        page_statement = page_statement.where(tuple_(*keys) > anchor_row)
    rows = await db.scalars(page_statement.order_by(*keys).limit(limit + 1))

    async def count() -> int:
        total = await db.scalar(
            select(func.count()).select_from(statement.order_by(None).subquery())
        )
        return int(total or 0)

    visible = rows[:limit]
    return Page(
        rows=visible,
        has_next=len(rows) > limit,
        has_previous=after is not None,
        cursors=[encode_cursor(getattr(row, "id")) for row in visible],  # noqa: B009
        count=count,
    )


# A report's row (a teacher × class × subject of the control, a school of the rating) has no
# id of its own: its cursor holds the ids that name it, packed as 64-bit integers after a `k`.
_KEY_CURSOR = b"k"
_KEY_PART = struct.Struct(">q")


def encode_key_cursor(key: Sequence[int]) -> str:
    packed = _KEY_CURSOR + b"".join(_KEY_PART.pack(part) for part in key)
    return base64.urlsafe_b64encode(packed).decode()


def decode_key_cursor(cursor: str, parts: int) -> tuple[int, ...]:
    """Only a cursor exactly as `encode_key_cursor` writes it for a key of `parts` ids."""
    try:
        packed = base64.urlsafe_b64decode(cursor.encode())
    except (ValueError, binascii.Error):
        packed = b""
    key: tuple[int, ...] = ()
    if len(packed) == 1 + parts * _KEY_PART.size and packed.startswith(_KEY_CURSOR):
        key = tuple(part for (part,) in _KEY_PART.iter_unpack(packed[1:]))
    if not key or min(key) < 1 or encode_key_cursor(key) != cursor:
        raise BadUserInput("`after` is not a cursor from this API.", argument="after")
    return key


def page_of(
    rows: Sequence[E],
    key: Callable[[E], tuple[int, ...]],
    parts: int,
    *,
    first: int | None,
    after: str | None,
) -> Page[E]:
    """A page of a report computed whole, in its fixed statements (its totals need every row
    anyway, so `totalCount` costs nothing more): the rows after the cursor's row, in the
    report's order. A cursor naming a row no longer in the report anchors nothing (an empty
    page), as a cursor of a row gone from a table does in `paginate`."""
    limit = page_size(first)
    start = 0
    if after is not None:
        anchor = decode_key_cursor(after, parts)
        start = next((i + 1 for i, row in enumerate(rows) if key(row) == anchor), len(rows))
    visible = rows[start : start + limit]
    total = len(rows)

    async def count() -> int:
        return total

    return Page(
        rows=visible,
        has_next=start + limit < total,
        has_previous=after is not None,
        cursors=[encode_key_cursor(key(row)) for row in visible],
        count=count,
    )
