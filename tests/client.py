"""A GraphQL client over the real ASGI app, as a dashboard would call it."""

from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Response:
    status: int
    body: dict[str, Any]

    @property
    def data(self) -> Any:
        assert not self.body.get("errors"), self.body["errors"]
        return self.body["data"]

    @property
    def error_codes(self) -> list[str]:
        return [error.get("extensions", {}).get("code") for error in self.body.get("errors", [])]

    @property
    def error_code(self) -> str:
        codes = self.error_codes
        assert codes, f"expected an error, got {self.body}"
        return codes[0]


@dataclass
class GraphQLClient:
    http: httpx.AsyncClient

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        reply = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        return Response(reply.status_code, reply.json())

    async def login(self, login: str, password: str) -> str:
        reply = await self(
            "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }",
            {"l": login, "p": password},
        )
        token: str = reply.data["login"]["token"]
        return token


async def ask(http: httpx.AsyncClient, query: str, token: str | None = None) -> httpx.Response:
    """One POST of `query`, as the given token's holder (or nobody), answered as it comes."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await http.post("/graphql", json={"query": query}, headers=headers)
