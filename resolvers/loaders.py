"""Per-request DataLoaders: every relation is fetched in one statement per batch of parents.

Loaders never decide permissions themselves; each statement carries the policy engine's row
filter for the principal, so rows the caller may not see are never loaded.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import InstrumentedAttribute
from strawberry.dataloader import DataLoader

from policies.engine import PolicyEngine
from policies.principal import Principal
from policies.vocabulary import Resource
from resolvers.database import AnySelect, Database

E = TypeVar("E")


class Loaders:
    def __init__(self, db: Database, policy: PolicyEngine, principal: Principal | None) -> None:
        self.db = db
        self.policy = policy
        self.principal = principal
        self._cache: dict[Hashable, DataLoader[Any, Any]] = {}
        self._filters: dict[tuple[type[Any], Resource | None], ColumnElement[bool]] = {}

    def readable(self, entity: type[Any], resource: Resource | None = None) -> ColumnElement[bool]:
        """The principal's read filter for a table, built once per request; `resource` for a
        resource on some of its columns (`policies.vocabulary.FIELDS_ON`)."""
        condition = self._filters.get((entity, resource))
        if condition is None:
            if self.principal is None or self.principal.must_change_password:
                condition = false()  # nested fields under `me` too: nothing before the change
            else:
                condition = self.policy.row_filter(self.principal, entity, resource=resource)
            self._filters[(entity, resource)] = condition
        return condition

    def _loader(self, key: Hashable, load: Callable[[list[Any]], Any]) -> DataLoader[Any, Any]:
        loader = self._cache.get(key)
        if loader is None:
            loader = self._cache[key] = DataLoader(load_fn=load)
        return loader

    def one(self, entity: type[E]) -> DataLoader[int, E | None]:
        """Rows of `entity` by primary key; `None` for ids that do not exist or are not readable."""

        async def load(ids: list[int]) -> list[E | None]:
            id_column: InstrumentedAttribute[int] = getattr(entity, "id")  # noqa: B009
            rows = await self.db.scalars(
                select(entity).where(id_column.in_(ids), self.readable(entity))
            )
            by_id = {getattr(row, "id"): row for row in rows}  # noqa: B009
            return [by_id.get(i) for i in ids]

        return self._loader(("one", entity), load)

    def many(
        self,
        key: InstrumentedAttribute[int] | InstrumentedAttribute[int | None],
        *order_by: InstrumentedAttribute[Any],
    ) -> DataLoader[int, list[Any]]:
        """Rows whose `key` column equals each requested value, in `order_by` order."""
        entity = cast(type[Any], key.class_)

        async def load(values: list[int]) -> list[list[Any]]:
            statement = select(entity).where(key.in_(values), self.readable(entity))
            return _group(await self.db.scalars(statement.order_by(*order_by)), key.key, values)

        return self._loader(("many", key, *order_by), load)

    def linked(
        self,
        link_key: InstrumentedAttribute[int],
        link_target: InstrumentedAttribute[int],
        target: type[E],
        *order_by: InstrumentedAttribute[Any],
    ) -> DataLoader[int, list[E]]:
        """Targets reached through a link table (class → class_student → person), one join."""

        async def load(values: list[int]) -> list[list[E]]:
            target_id: InstrumentedAttribute[int] = getattr(target, "id")  # noqa: B009
            statement: AnySelect = (
                select(link_key, target)
                .join(target, target_id == link_target)
                .where(link_key.in_(values), self.readable(target))
                .order_by(*order_by)
            )
            grouped: dict[int, list[E]] = defaultdict(list)
            for parent_id, row in await self.db.rows(statement):
                grouped[parent_id].append(row)
            return [grouped.get(value, []) for value in values]

        return self._loader(("linked", link_key, link_target, target, *order_by), load)

    def custom(self, name: str, load: Callable[[list[Any]], Any]) -> DataLoader[Any, Any]:
        """A loader with its own statement, cached for the request under `name`."""
        return self._loader(("custom", name), load)


def _group(rows: Sequence[Any], attribute: str, values: list[int]) -> list[list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, attribute)].append(row)
    return [grouped.get(value, []) for value in values]
