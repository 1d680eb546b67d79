"""One request, one session, one transaction: the caller is resolved when the operation starts;
a mutation without errors commits, anything else rolls back, and the session always closes."""

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from resolvers.context import Context


class Transaction(SchemaExtension):
    async def on_operation(self) -> AsyncIterator[None]:
        context: Context = self.execution_context.context
        session = context.db.session
        committed = False
        try:
            await context.authenticate()
            yield
            result = self.execution_context.result
            if (
                self.execution_context.operation_type is OperationType.MUTATION
                and result is not None
                and not result.errors
            ):
                await session.commit()
                committed = True
        finally:
            if not committed:
                await session.rollback()
            await session.close()
