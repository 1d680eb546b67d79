"""What an operation costs, how deep it nests and how many aliases it has, read from the document
before graphql-core validates it, in one pass linear in the document's size.

A field costs 1; a list, its items times what one item costs: a connection's page holds `first`
rows (a literal or a variable; the default and the cap are `resolvers/pagination.py`'s), any
other list as many as the bound declared next to it (`schema/list_sizes.py`). Each fragment is
costed once, where it is defined, and every spread reuses that: a document whose fragments
spread each other twice per level costs what its expansion would answer, found in time linear
in its text. The structure is cached per document text; variables enter only when a request is
costed — a cost that depends on `$first` is a small expression evaluated per request.

Introspection is costed the same way, its lists by their average length in this schema (so
that the standard introspection query costs about what it answers), and at most three of its
lists may nest, as in that query: deeper, `fields { type { fields … } }` would fan out."""

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from math import ceil
from typing import Any, NamedTuple

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    NullValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
)

from resolvers.pagination import DEFAULT_FIRST, MAX_FIRST
from schema.list_sizes import LIST_SIZE, PAGE

CAP = 10**15  # costs saturate: a fragment bomb costs "far too much", not a 300-digit number
INTROSPECTION_NESTING = 3  # __schema.types → fields → args, as the standard query nests
UNDECLARED = MAX_FIRST  # a list without a declared bound (tests forbid them) counts as a page
FIRST = "first"  # a connection's rule: its rows are `first` many


def _add(a: int, b: int) -> int:
    return min(a + b, CAP)


def _times(a: int, b: int) -> int:
    return min(a * b, CAP)


def page_length(first: object) -> int:
    """The rows a page of this `first` holds at most (an invalid one is refused later)."""
    if first is None:
        return DEFAULT_FIRST
    if isinstance(first, int) and not isinstance(first, bool):
        return min(max(first, 0), MAX_FIRST)
    return MAX_FIRST


@dataclass(frozen=True, slots=True, eq=False)
class Sum:
    constant: int
    parts: tuple["Expr", ...]


@dataclass(frozen=True, slots=True, eq=False)
class Times:
    """`body` times a constant, or times the rows of a page whose `first` is a variable."""

    factor: int | str
    body: "Expr"


Expr = int | Sum | Times


class Rule(NamedTuple):
    """How a field multiplies what is selected under it, and the type it answers."""

    size: int | str | None  # items of a list, FIRST (a connection), PAGE (its rows), None: one
    answers: str | None
    introspection_list: bool = False


_NO_RULE = Rule(None, None)


class CostModel:
    """Every field's rule, read once from the schema."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.rules: dict[tuple[str, str], Rule] = {}
        sizes = _introspection_sizes(schema)
        for named in schema.type_map.values():
            if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
                for name, field in named.fields.items():
                    size = sizes.get((named.name, name)) or declared_size(field)
                    meta = named.name.startswith("__") and _is_list(field)
                    self.rules[named.name, name] = Rule(size, get_named_type(field.type).name, meta)
        self.roots = {
            "query": schema.query_type,
            "mutation": schema.mutation_type,
            "subscription": schema.subscription_type,
        }

    def rule(self, parent: str | None, field: str) -> Rule:
        if field == "__schema":
            return Rule(None, "__Schema")
        if field == "__type":
            return Rule(None, "__Type")
        return self.rules.get((parent or "", field), _NO_RULE)

    def root(self, operation: OperationDefinitionNode) -> str | None:
        root = self.roots.get(operation.operation.value)
        return None if root is None else root.name


def declared_size(field: GraphQLField) -> int | str | None:
    """FIRST for a connection, a list's declared bound (UNDECLARED without one), else None."""
    if FIRST in field.args:
        return FIRST
    if not _is_list(field):
        return None
    definition = (field.extensions or {}).get("strawberry-definition")
    size = getattr(definition, "metadata", {}).get(LIST_SIZE)
    return size if isinstance(size, int) or size == PAGE else UNDECLARED


def _is_list(field: GraphQLField) -> bool:
    return isinstance(get_nullable_type(field.type), GraphQLList)


def _introspection_sizes(schema: GraphQLSchema) -> dict[tuple[str, str], int]:
    types = list(schema.type_map.values())
    outputs = [t for t in types if isinstance(t, GraphQLObjectType | GraphQLInterfaceType)]
    fields = [field for t in outputs for field in t.fields.values()]
    abstract = [t for t in types if isinstance(t, GraphQLInterfaceType | GraphQLUnionType)]
    directives = schema.directives

    def mean(total: int, over: int) -> int:
        return max(1, ceil(total / max(1, over)))

    return {
        ("__Schema", "types"): len(types),
        ("__Schema", "directives"): len(directives),
        ("__Type", "fields"): mean(len(fields), len(types)),
        ("__Type", "interfaces"): mean(sum(len(t.interfaces) for t in outputs), len(types)),
        ("__Type", "possibleTypes"): mean(
            sum(len(schema.get_possible_types(t)) for t in abstract), len(types)
        ),
        ("__Type", "enumValues"): mean(
            sum(len(getattr(t, "values", ())) for t in types), len(types)
        ),
        ("__Type", "inputFields"): mean(
            sum(len(t.fields) for t in types if isinstance(t, GraphQLInputObjectType)), len(types)
        ),
        ("__Field", "args"): mean(sum(len(f.args) for f in fields), len(fields)),
        ("__Directive", "args"): mean(sum(len(d.args) for d in directives), len(directives)),
        ("__Directive", "locations"): mean(
            sum(len(d.locations) for d in directives), len(directives)
        ),
    }


class Shape(NamedTuple):
    """What a selection set costs, split into what it costs once and per row of the page it
    is on (a connection's `edges` and `nodes`), how deep it nests and its aliases."""

    once: Expr
    per_row: Expr
    depth: int
    aliases: int
    introspection_nesting: int


_EMPTY = Shape(0, 0, 0, 0, 0)


@dataclass(frozen=True)
class Operation:
    cost: Expr
    depth: int
    aliases: int
    introspection_nesting: int
    defaults: Mapping[str, object]  # the variables' defaults, as `first` would take them


class DocumentCost:
    """One document's operations and the expressions their costs need, in the order made."""

    def __init__(self, model: CostModel, document: DocumentNode) -> None:
        self.model = model
        self.expressions: list[Sum | Times] = []
        self.fragments: dict[str, Shape] = {}
        self.operations: dict[str | None, Operation] = {}
        definitions = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        for name in _dependencies_first(definitions):
            fragment = definitions[name]
            self.fragments[name] = self._selections(
                fragment.selection_set, fragment.type_condition.name.value
            )
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                shape = self._selections(definition.selection_set, model.root(definition))
                self.operations[definition.name.value if definition.name else None] = Operation(
                    cost=self._plus(shape.once, shape.per_row),
                    depth=shape.depth,
                    aliases=shape.aliases,
                    introspection_nesting=shape.introspection_nesting,
                    defaults={
                        v.variable.name.value: _literal(v.default_value)
                        for v in definition.variable_definitions or ()
                        if v.default_value is not None
                    },
                )

    def operation(self, name: str | None) -> Operation | None:
        if name is not None:
            return self.operations.get(name)
        return next(iter(self.operations.values())) if len(self.operations) == 1 else None

    def cost(self, operation: Operation, variables: Mapping[str, Any] | None) -> int:
        """The operation's cost with these variables: one pass over its expressions."""
        if isinstance(operation.cost, int):
            return operation.cost
        given = variables if isinstance(variables, Mapping) else {}
        values: dict[int, int] = {}

        def value(expression: Expr) -> int:
            return expression if isinstance(expression, int) else values[id(expression)]

        for expression in self.expressions:
            if isinstance(expression, Sum):
                total = expression.constant
                for part in expression.parts:
                    total = _add(total, value(part))
            elif isinstance(expression.factor, int):
                total = _times(expression.factor, value(expression.body))
            else:
                name = expression.factor
                first = given[name] if name in given else operation.defaults.get(name)
                total = _times(page_length(first), value(expression.body))
            values[id(expression)] = total
        return value(operation.cost)

    def _selections(self, selection_set: SelectionSetNode, parent: str | None) -> Shape:
        once: list[Expr] = []
        per_row: list[Expr] = []
        depth = aliases = nesting = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                aliases += selection.alias is not None
                name = selection.name.value
                rule = self.model.rule(parent, name)
                if selection.selection_set is None:
                    once.append(rule.size if isinstance(rule.size, int) else 1)
                    continue
                inner = self._selections(selection.selection_set, rule.answers)
                aliases += inner.aliases
                if not name.startswith("__"):  # as QueryDepthLimiter did: introspection aside
                    depth = max(depth, inner.depth + 1)
                nesting = max(nesting, inner.introspection_nesting + rule.introspection_list)
                item = self._plus(1, inner.once, inner.per_row)
                if rule.size == FIRST:
                    once.append(self._plus(1, inner.once, self._per_row(selection, inner.per_row)))
                elif rule.size == PAGE:
                    per_row.append(item)
                elif isinstance(rule.size, int):
                    once.append(self._scaled(rule.size, item))
                else:
                    once.append(item)
                continue
            if isinstance(selection, FragmentSpreadNode):
                inner = self.fragments.get(selection.name.value, _EMPTY)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self._selections(
                    selection.selection_set, condition.name.value if condition else parent
                )
            else:
                continue
            once.append(inner.once)
            per_row.append(inner.per_row)
            depth = max(depth, inner.depth)
            aliases = min(aliases + inner.aliases, CAP)
            nesting = max(nesting, inner.introspection_nesting)
        return Shape(self._plus(*once), self._plus(*per_row), depth, aliases, nesting)

    def _plus(self, *terms: Expr) -> Expr:
        constant, parts = 0, []
        for term in terms:
            if isinstance(term, int):
                constant = _add(constant, term)
            else:
                parts.append(term)
        if not parts:
            return constant
        if constant == 0 and len(parts) == 1:
            return parts[0]
        return self._made(Sum(constant, tuple(parts)))

    def _scaled(self, factor: int, body: Expr) -> Expr:
        return _times(factor, body) if isinstance(body, int) else self._made(Times(factor, body))

    def _per_row(self, connection: FieldNode, body: Expr) -> Expr:
        argument = next((a for a in connection.arguments or () if a.name.value == FIRST), None)
        if argument is not None and isinstance(argument.value, VariableNode):
            if body == 0:
                return 0
            return self._made(Times(argument.value.name.value, body))
        length = page_length(None if argument is None else _literal(argument.value))
        return self._scaled(length, body)

    def _made(self, expression: Sum | Times) -> Expr:
        self.expressions.append(expression)
        return expression


def _literal(value: ValueNode | None) -> object:
    """A `first` as written: a number, null, or anything else (which counts as the cap)."""
    if value is None or isinstance(value, NullValueNode):
        return None
    if isinstance(value, IntValueNode):
        return int(value.value)
    return value


def _dependencies_first(fragments: Mapping[str, FragmentDefinitionNode]) -> list[str]:
    """The fragments, each after those it spreads (without recursion: a chain of spreads may
    be as long as the document). A cycle, which validation refuses, is broken anywhere."""
    order: list[str] = []
    state: dict[str, bool] = {}  # False: being visited, True: done
    for start in fragments:
        if start in state:
            continue
        stack = [(start, iter(_spreads(fragments[start].selection_set)))]
        state[start] = False
        while stack:
            name, pending = stack[-1]
            spread = next(pending, None)
            if spread is None:
                stack.pop()
                state[name] = True
                order.append(name)
            elif spread in fragments and spread not in state:
                state[spread] = False
                stack.append((spread, iter(_spreads(fragments[spread].selection_set))))
    return order


def _spreads(selection_set: SelectionSetNode) -> list[str]:
    names: list[str] = []
    pending = [selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                pending.append(selection.selection_set)
    return names


class CostAnalysis:
    """Documents' costs, analysed once per document text (the most recent `maxsize` of those
    worth keeping are kept: see `schema/documents.py`)."""

    def __init__(self, schema: GraphQLSchema, maxsize: int = 256) -> None:
        self.model = CostModel(schema)
        self.maxsize = maxsize
        self._documents: OrderedDict[str, DocumentCost] = OrderedDict()

    def of(self, query: str, document: DocumentNode, *, keep: bool = True) -> DocumentCost:
        analysed = self._documents.get(query)
        if analysed is not None:
            self._documents.move_to_end(query)
            return analysed
        analysed = DocumentCost(self.model, document)
        if keep:
            self._documents[query] = analysed
            if len(self._documents) > self.maxsize:
                self._documents.popitem(last=False)
        return analysed
