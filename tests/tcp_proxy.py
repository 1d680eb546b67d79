"""A TCP proxy a test starts in front of the shared PostgreSQL and stops, to play a database
that goes down and comes back, or freezes, to play a connection gone silent, without touching
the real server."""

import asyncio
import contextlib


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.StreamWriter] = set()
        self._flowing = asyncio.Event()
        self._flowing.set()

    async def start(self) -> None:
        """Listen (on the same port again after `stop`)."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Refuse new connections and cut the open ones, as a database going down would."""
        assert self._server is not None
        self._flowing.set()  # a frozen pump goes on, into the cut
        self._server.close()
        for writer in list(self._pipes):
            writer.transport.abort()
        self._pipes.clear()
        await self._server.wait_closed()
        self._server = None

    def freeze(self) -> None:
        """Keep the connections open but pass nothing on, as a cut cable or a firewall
        dropping an idle connection would: neither side hears of it."""
        self._flowing.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._pipes.update({writer, upstream_writer})
        await asyncio.gather(
            _pump(reader, upstream_writer, self._flowing),
            _pump(upstream_reader, writer, self._flowing),
            return_exceptions=True,
        )
        self._pipes.difference_update({writer, upstream_writer})


async def _pump(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, flowing: asyncio.Event
) -> None:
    try:
        while data := await reader.read(65536):
            await flowing.wait()
            writer.write(data)
            await writer.drain()
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            writer.transport.abort()
