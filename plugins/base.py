"""What a condition is: a name, and for each table it knows, the SQL that keeps allowed rows."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, false

from model import EditWindow


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a rule applies: the caller (if a person) in one school, at one moment."""

    person_id: int | None
    school_id: int
    timezone: str = "Europe/Moscow"
    grade_edit_window: EditWindow = EditWindow.NEVER
    now: datetime | None = None

    @property
    def today(self) -> date:
        """The school's date now, in its time zone."""
        now = self.now or datetime.now(UTC)
        return now.astimezone(ZoneInfo(self.timezone)).date()


Renderer = Callable[[Scope], ColumnElement[bool]]


@dataclass(frozen=True)
class Condition:
    """A condition a policy rule names; it renders itself per table as a SQL filter.

    The same filter serves reads (added to every query) and writes (a batch of targets is
    checked in one statement, or the filter sits in the write statement itself).
    """

    name: str
    description: str
    # A few words saying whose rows, for the schema's "Who may read: teachers — what they
    # teach" (schema/readers.py); the name when not given.
    in_words: str = ""
    renderers: Mapping[type[Any], Renderer] = field(default_factory=dict)
    # The error code a write refused by this condition gets (one of resolvers.errors.ErrorCode).
    refusal: str = "FORBIDDEN"
    # What a refusal by this condition says, in the school's words, whatever the write (when
    # empty, the caller's words or the refusal code's: `resolvers/write_checks.REASONS`).
    words: str = ""
    # True when the condition restricts changing or deleting existing records only; or the
    # tables for which it does (elsewhere it restricts new records as well).
    guards_existing_only: bool | frozenset[type[Any]] = False
    # True when it is about the caller as a person: without one (an API token) it holds nowhere.
    needs_person: bool = False

    def supports(self, entity: type[Any]) -> bool:
        return entity in self.renderers

    def guards_only_existing(self, entity: type[Any]) -> bool:
        """Whether a new record of `entity` is written whatever this condition says."""
        if isinstance(self.guards_existing_only, frozenset):
            return entity in self.guards_existing_only
        return self.guards_existing_only

    def render(self, scope: Scope, entity: type[Any]) -> ColumnElement[bool] | None:
        renderer = self.renderers.get(entity)
        if renderer is None:
            return None
        if self.needs_person and scope.person_id is None:
            return false()  # `= NULL` would be rendered `IS NULL`: open, not closed
        return renderer(scope)
