"""One request, one session, one transaction: the caller is resolved once the document is parsed
and valid, just before it executes (a document refused earlier costs no SQL for the refusal;
only a token the door has not seen valid lately is resolved first, see `_verify_caller`); a
mutation without errors commits, as does a read that wrote nothing; anything else rolls back, and
the session always closes.

An API token's use (its request counted against its rate, `resolvers/accounts/api_rate.py`, and an
inspector's query log, §1.12) is the exception: it commits on its own, before the operation runs;
the token's budget comes back in `extensions.rateLimit`.

A query, once its caller is known, reads a streaming replica if there is one that holds all its
caller wrote (server/replica.py); what it then writes (its reads of personal data logged) is
written on the primary."""

from collections.abc import AsyncIterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

import model as m
from model.base import utc_now
from resolvers.accounts import api_rate, api_tokens
from resolvers.context import Context
from resolvers.errors import TabelError
from resolvers.people import personal_data_log


class Transaction(SchemaExtension):
    # Whether the operation writes (a mutation): known once parsed, before its first statement.
    writes = False
    _rate_budget: api_rate.RateBudget | None = None

    async def on_operation(self) -> AsyncIterator[None]:
        context: Context = self.execution_context.context
        session = context.db.session
        committed = False
        try:
            try:
                if context.verify_first:
                    await self._verify_caller(context)
                yield
            except (GraphQLError, TabelError):
                await self._note_refused(context)
                raise
            await self._note_refused(context)
            result = self.execution_context.result
            succeeded = result is not None and not result.errors
            mutation = self.execution_context.operation_type is OperationType.MUTATION
            untouched = not (context.db.wrote or session.new or session.dirty or session.deleted)
            if succeeded and mutation:
                await self._log_personal_reads(context)  # with the change, in its transaction
                if not untouched:  # its caller's next reads wait for a replica to hold it
                    await context.db.tell_written(context.principal)
            if succeeded and (mutation or untouched):
                # A read that wrote nothing ends with COMMIT too, which changes nothing; a
                # ROLLBACK would make psycopg forget the statements it prepared on this
                # connection, and PostgreSQL would plan every statement of every read anew.
                await session.commit()
                committed = True
        finally:
            if not committed:
                await session.rollback()
            try:
                if context.personal_reads.fields:
                    # What was read went out, the request failing or not: logged all the same.
                    await context.db.begin_writing()
                    await self._log_personal_reads(context)
                    await context.db.commit()
            finally:
                await session.close()

    async def on_execute(self) -> AsyncIterator[None]:
        context: Context = self.execution_context.context
        # A mutation's transaction takes the write lock at its start (SQLite: BEGIN IMMEDIATE),
        # the caller's resolution included: it never reads, then fails to get the lock.
        self.writes = self.execution_context.operation_type is OperationType.MUTATION
        context.db.expect_writes(self.writes)
        await self._resolve_caller(context)
        if self.execution_context.operation_type is OperationType.QUERY:
            await context.db.read_replica(context.principal)
        yield

    async def _verify_caller(self, context: Context) -> None:
        """A token the door has not seen valid lately (server/admission.py) is resolved before
        the document is parsed, in a read of its own: a valid one is charged to itself from now
        on; one that resolves to nobody makes the request its address's, refused past the
        address's share before any parsing — inventing tokens buys a stranger no more."""
        await context.authenticate()
        await context.db.commit()
        if context.principal is None:
            context.charge_address()

    async def _resolve_caller(self, context: Context) -> None:
        await context.authenticate()
        await self._record_api_use(context)

    async def _note_refused(self, context: Context) -> None:
        """A document refused before it could run (a syntax error, over its cost): an
        inspector's log holds it all the same."""
        if context.bearer_token and context.principal is None and context.auth_error is None:
            await self._resolve_caller(context)

    async def _record_api_use(self, context: Context) -> None:
        principal = context.principal
        if principal is None or principal.kind is m.TokenKind.LOGIN:
            return
        # The use is written in a transaction of its own, with the write lock from its start.
        await context.db.begin_writing()
        now = principal.now or utc_now()
        budget = await api_rate.count_request(context.db, principal, context.api_rate, now)
        self._rate_budget = budget
        if budget.exceeded:
            # Counted, and refused before it runs: nothing of it is logged, as nothing ran.
            await context.db.commit()
            budget.refuse(now)
        if principal.kind is m.TokenKind.INSPECTOR:
            execution = self.execution_context
            context.personal_reads.query_log_id = await api_tokens.log_query(
                context.db,
                principal,
                execution.query,
                execution.variables,
                execution.operation_name,
            )
        # Committed here, in its own short transaction, before the operation runs:
        # an API token only reads, and a read rolls back at the end, as does a query that fails
        # (or a worker that dies) part-way. The inspector's log must hold every query tried, so
        # it is written ahead of the query; if it cannot be written, the query does not run.
        await context.db.commit()
        context.db.expect_writes(self.writes)

    async def _log_personal_reads(self, context: Context) -> None:
        """Whose personal data the request read (R-PD-1): one query log row (an inspector's
        has one already) and one statement for all the people read."""
        principal = context.principal
        if principal is None:
            return
        execution = self.execution_context
        await personal_data_log.write(
            context.db,
            principal,
            context.personal_reads,
            execution.query,
            execution.variables,
            execution.operation_name,
        )

    def get_results(self) -> dict[str, Any]:
        """An API token's `extensions.rateLimit`: its limit, what is left, when it resets."""
        budget = self._rate_budget
        return {} if budget is None else {"rateLimit": budget.as_extension()}
