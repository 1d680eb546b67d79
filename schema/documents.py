"""Parsed documents kept for the clients that send them again.

A dashboard sends the same few documents all day: parsing, validating and costing each one
once saves most of a small request's time. A stranger can send a new document every time (a
comment with a nonce will do). Kept, each would stay in the caches until pushed out, a
thousand objects apiece, and the garbage collector walks everything kept on every full
collection: 256 fragment bombs held made each one stop the worker for 0.3–0.5 s. So a
document is kept from the second time its text arrives; the first time only the hash of its
text is remembered (one integer, the most recent `remembered` of them)."""

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, parse
from strawberry.extensions import SchemaExtension


class Documents:
    def __init__(self, maxsize: int = 256, remembered: int = 4096) -> None:
        self.maxsize = maxsize
        self.remembered = remembered
        self._kept: OrderedDict[str, DocumentNode] = OrderedDict()
        self._seen: OrderedDict[int, None] = OrderedDict()

    def parse(self, query: str, **options: Any) -> DocumentNode:
        """The document of `query`: the kept one, or parsed now (and kept if seen before).
        The options are the schema's own (the token limit), the same for every request."""
        document = self._kept.get(query)
        if document is not None:
            self._kept.move_to_end(query)
            return document
        document = parse(query, **options)
        digest = hash(query)
        if digest in self._seen:
            del self._seen[digest]
            self._kept[query] = document
            if len(self._kept) > self.maxsize:
                self._kept.popitem(last=False)
        else:
            self._seen[digest] = None
            if len(self._seen) > self.remembered:
                self._seen.popitem(last=False)
        return document

    def kept(self, query: str, document: DocumentNode) -> bool:
        """Whether what is worked out from `document` is worth keeping too."""
        return self._kept.get(query) is document


class DocumentCache(SchemaExtension):
    """Parses through `Documents` (in place of Strawberry's `ParserCache`, which keeps
    every document it parses)."""

    def __init__(self, documents: Documents) -> None:
        super().__init__()
        self.documents = documents

    def on_parse(self) -> Iterator[None]:
        execution = self.execution_context
        if execution.query is not None:
            execution.graphql_document = self.documents.parse(
                execution.query, **execution.parse_options
            )
        yield
