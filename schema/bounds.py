"""The most a client may send: every String argument and input field declares its length, and
every list input its number of items, once, next to the field (`tests/test_input_bounds.py`
walks the schema for any without). `schema/input_checks.py` refuses what exceeds them before a
resolver runs; the descriptions tell clients the limits."""

import dataclasses
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry
from sqlalchemy import String
from sqlalchemy.orm import InstrumentedAttribute
from strawberry.types.arguments import StrawberryArgumentAnnotation

from resolvers.pagination import DEFAULT_FIRST, MAX_FIRST

BOUND = "bound"  # the metadata key of arguments and input fields


@dataclass(frozen=True)
class Bound:
    max_length: int | None = None  # characters of a text, or of each text of a list
    max_items: int | None = None  # items of a list
    multiline: bool = False  # tab and new line allowed (other control characters never are)

    def described(self, description: str | None) -> str:
        limits = []
        if self.max_items is not None:
            limits.append(f"at most {self.max_items} items")
        if self.max_length is not None:
            limits.append(f"up to {self.max_length} characters")
        limit = ", ".join(limits)
        return f"{description} ({limit})." if description else limit.capitalize() + "."


def width(column: InstrumentedAttribute[Any]) -> int:
    """The width of a `String(n)` column: what lands there is bounded by it."""
    type_ = column.property.columns[0].type
    if not isinstance(type_, String) or type_.length is None:
        raise TypeError(f"{column} is not a String(n) column")
    return type_.length


def text_field(
    max_length: int,
    *,
    multiline: bool = False,
    description: str | None = None,
    default: Any = dataclasses.MISSING,
) -> Any:
    """An input field of text."""
    bound = Bound(max_length=max_length, multiline=multiline)
    return strawberry.field(
        default=default, description=bound.described(description), metadata={BOUND: bound}
    )


def list_field(
    max_items: int,
    *,
    max_length: int | None = None,
    description: str | None = None,
    optional: bool = False,
) -> Any:
    """An input field that is a list (empty when `optional` and left out); `max_length` for
    a list of texts."""
    bound = Bound(max_length=max_length, max_items=max_items)
    default: dict[str, Any] = {"default_factory": list} if optional else {}
    return strawberry.field(
        description=bound.described(description), metadata={BOUND: bound}, **default
    )


def text_argument(
    max_length: int, *, multiline: bool = False, description: str | None = None
) -> StrawberryArgumentAnnotation:
    bound = Bound(max_length=max_length, multiline=multiline)
    return strawberry.argument(description=bound.described(description), metadata={BOUND: bound})


def list_argument(
    max_items: int, *, description: str | None = None
) -> StrawberryArgumentAnnotation:
    bound = Bound(max_items=max_items)
    return strawberry.argument(description=bound.described(description), metadata={BOUND: bound})


MAX_CURSOR = 64  # encode_cursor of a 64-bit id is 32 characters

After = Annotated[
    str | None,
    text_argument(
        MAX_CURSOR,
        description="The `endCursor` of the page before: the page starts after that row; "
        "the first page when not given",
    ),
]
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many rows the page has: 0 to {MAX_FIRST}, {DEFAULT_FIRST} when not "
        f"given (past {MAX_FIRST}, BAD_USER_INPUT); `pageInfo.hasNextPage` says whether more "
        "follow."
    ),
]
