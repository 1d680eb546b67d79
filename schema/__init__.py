"""The GraphQL schema: Strawberry types over the resolvers."""
