"""Documents are kept from the second time they arrive (issue 9): a stranger's stream of new
documents leaves nothing behind for the garbage collector to walk, and a dashboard's repeated
documents are parsed, costed and validated once."""

import gc

from graphql import DocumentNode, parse

from bench.hostile import fragment_bomb
from schema.build import build_schema
from schema.cost import CostAnalysis
from schema.documents import Documents
from tests.client import GraphQLClient

ME = "query Me { me { login } }"


def test_a_document_is_kept_from_its_second_arrival() -> None:
    documents = Documents()
    first = documents.parse(ME)
    assert not documents.kept(ME, first)
    second = documents.parse(ME)
    assert second is not first
    assert documents.kept(ME, second)
    assert documents.parse(ME) is second


def test_new_documents_are_never_kept_and_the_memory_of_them_is_bounded() -> None:
    documents = Documents(maxsize=8, remembered=16)
    bombs = [fragment_bomb() for _ in range(100)]
    for bomb in bombs:
        assert not documents.kept(bomb, documents.parse(bomb))
    assert len(documents._kept) == 0
    assert len(documents._seen) == 16
    # Nothing of them stays alive.
    gc.collect()
    texts = set(bombs)
    alive = [
        o
        for o in gc.get_objects()
        if isinstance(o, DocumentNode) and o.loc is not None and o.loc.source.body in texts
    ]
    assert alive == []


def test_kept_documents_are_pushed_out_oldest_first() -> None:
    documents = Documents(maxsize=2)
    queries = [f"query Q{i} {{ __typename }}" for i in range(3)]
    for query in queries + queries:
        documents.parse(query)
    assert list(documents._kept) == queries[1:]


def test_the_cost_of_a_document_not_kept_is_worked_out_each_time() -> None:
    analysis = CostAnalysis(build_schema()._schema)
    query = fragment_bomb()
    once = analysis.of(query, parse(query), keep=False)
    again = analysis.of(query, parse(query), keep=False)
    assert once is not again
    operation = again.operation(None)
    assert operation is not None
    assert again.cost(operation, None) > 0
    kept = analysis.of(query, parse(query))
    assert analysis.of(query, parse(query)) is kept


async def test_a_repeated_document_gets_the_same_answer_every_time(api: GraphQLClient) -> None:
    """Kept documents are validated from the cache: an invalid one is refused the same way
    the first, second and third time, and a valid one still runs."""
    for _ in range(3):
        refused = await api("query Wrong { nosuchField }")
        assert refused.error_codes == ["BAD_USER_INPUT"]
        unauthenticated = await api(ME)
        assert unauthenticated.error_codes == ["UNAUTHENTICATED"]
