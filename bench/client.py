"""A lean HTTP/1.1 keep-alive client for the timed phases.

On a small machine the load generator shares the CPUs with both servers and PostgreSQL; httpx
spends about a millisecond of CPU per request, which at several hundred requests per second
limits the SQL baseline more than the baseline itself. This client sends a prepared request
as bytes and reads the reply by its Content-Length (or chunks), nothing more. httpx is still
used for logging in and for the equality check.
"""

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Request:
    """A prepared POST: where to, and the whole request as bytes."""

    url: str
    body: bytes
    headers: dict[str, str]

    @property
    def address(self) -> tuple[str, int]:
        parts = urlsplit(self.url)
        return parts.hostname or "127.0.0.1", parts.port or 80

    def raw(self) -> bytes:
        parts = urlsplit(self.url)
        host, port = self.address
        lines = [f"POST {parts.path or '/'} HTTP/1.1", f"Host: {host}:{port}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


class HTTPError(RuntimeError):
    pass


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes


class Connection:
    """One keep-alive connection; one request at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, address: tuple[str, int]) -> "Connection":
        reader, writer = await asyncio.open_connection(*address, limit=2**20)
        return cls(reader, writer)

    async def send(self, raw: bytes) -> bytes:
        """Sends a prepared request; the reply's body (raises unless 200)."""
        reply = await self.exchange(raw)
        if reply.status != 200:
            raise HTTPError(f"HTTP {reply.status}: {reply.body[:500]!r}")
        return reply.body

    async def exchange(self, raw: bytes) -> "Reply":
        """Sends a prepared request; the reply whatever its status."""
        self.writer.write(raw)
        return await self.reply()

    async def reply(self) -> "Reply":
        """Reads one reply (head and body) from the connection."""
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunks()
        else:
            raise HTTPError(f"a reply without Content-Length or chunks: {head!r}")
        return Reply(status, headers, body)

    async def _chunks(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()
