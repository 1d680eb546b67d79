"""The hand-written SQL baseline: a bare ASGI application (no framework) that answers each shape
with ONE PostgreSQL query building the whole JSON body (bench/shapes.py).

    .venv/bin/python -m bench.baseline --database-url URL --port P

`POST /<shape>` with the SQL's parameters as a JSON object; the answer is the body the GraphQL
endpoint gives for the same data. A few connections are opened at start-up and handed out
through an asyncio.LifoQueue (psycopg_pool is not a dependency). Served by uvicorn in its own
process, like the real server.
"""

import argparse
import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson
import psycopg
from psycopg.types.json import set_json_loads

from bench import shapes

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

SQL = shapes.SQL


class Baseline:
    def __init__(self, database_url: str, connections: int) -> None:
        self.database_url = database_url
        self.size = connections
        # Last in, first out: a sequential client keeps getting the same warm connection
        # (prepared statements are per connection).
        self.pool: asyncio.LifoQueue[psycopg.AsyncConnection[Any]] = asyncio.LifoQueue()

    async def start(self) -> None:
        for _ in range(self.size):
            connection = await psycopg.AsyncConnection.connect(self.database_url, autocommit=True)
            set_json_loads(orjson.loads, connection)
            self.pool.put_nowait(connection)

    async def stop(self) -> None:
        while not self.pool.empty():
            await self.pool.get_nowait().close()

    async def query(self, shape: str, params: dict[str, Any]) -> Any:
        connection = await self.pool.get()
        try:
            cursor = await connection.execute(SQL[shape], params)
            row = await cursor.fetchone()
        finally:
            self.pool.put_nowait(connection)
        assert row is not None
        return row[0]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        assert scope["type"] == "http"
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        shape = scope["path"].strip("/")
        if shape == "healthz":
            await _respond(send, 200, b'{"status":"ok"}')
        elif shape not in SQL or scope["method"] != "POST":
            await _respond(send, 404, b'{"error":"no such shape"}')
        else:
            answer = await self.query(shape, orjson.loads(body))
            await _respond(send, 200, orjson.dumps(answer))

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _respond(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--connections", type=int, default=10)  # the server's pool_size
    args = parser.parse_args()
    app = Baseline(args.database_url, args.connections)
    # Logs at the level the real server does (`tabel serve`: info, with the access log).
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="info", workers=1)


if __name__ == "__main__":
    main()
