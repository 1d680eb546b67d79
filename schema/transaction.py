"""One request, one transaction: a mutation without errors commits, anything else rolls back."""

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from resolvers.context import Context


class Transaction(SchemaExtension):
    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context: Context = self.execution_context.context
        result = self.execution_context.result
        session = context.db.session
        try:
            committed = (
                self.execution_context.operation_type is OperationType.MUTATION
                and result is not None
                and not result.errors
            )
            if committed:
                await session.commit()
            else:
                await session.rollback()
        finally:
            await session.close()
