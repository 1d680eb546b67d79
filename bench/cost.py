"""What the cost analysis (schema/cost.py, schema/cost_limit.py) spends on each read shape of
`bench.run`: the depth, alias and cost checks of one request, timed in-process, for a document
sent before (its analysis kept: what a dashboard's requests pay) and for a document seen for
the first time (analysed, then its cost for the variables).

    .venv/bin/python -m bench.cost [--database-url URL] [--repeat N]

The variables come from the demo school in the database `bench.run` fills (tabel_bench); run
`bench.run` first. Compare the microseconds with the shapes' p50 in `bench.run`'s table: issue
9 asks the analysis to add no measurable time to the screens.
"""

import argparse
import statistics
import time
from collections.abc import Callable

import psycopg
from graphql import GraphQLSchema, parse

from bench.run import database_url
from bench.shapes import Case, cases
from schema.build import build_schema
from schema.cost import CostAnalysis, DocumentCost


def timed(action: Callable[[], object], repeat: int) -> float:
    """The median of `repeat` runs of `action()`, in microseconds."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1e6


def row(schema: GraphQLSchema, case: Case, repeat: int) -> str:
    """The shape's cost, and the checks' time for a kept document and for a new one."""
    document = parse(case.query)
    analysis = CostAnalysis(schema)

    def cost(analysed: DocumentCost) -> int:
        operation = analysed.operation(None)
        assert operation is not None
        return analysed.cost(operation, case.variables)

    def again() -> int:
        return cost(analysis.of(case.query, document))

    def first() -> int:
        return cost(DocumentCost(analysis.model, document))

    kept, new = timed(again, repeat), timed(first, repeat // 10)
    return f"| {case.title} | {again()} | {kept:.1f} | {new:.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=database_url("tabel_bench"))
    parser.add_argument("--repeat", type=int, default=2000)
    options = parser.parse_args()
    schema = build_schema()._schema
    with psycopg.connect(options.database_url) as connection:
        shapes = cases(connection)
    print("| shape | cost | kept document µs | new document µs |")
    print("|---|---|---|---|")
    for case in shapes:
        print(row(schema, case, options.repeat))


if __name__ == "__main__":
    main()
