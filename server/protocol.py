"""uvicorn's HTTP protocol with a deadline for request headers: uvicorn closes an idle
keep-alive connection, but not one that never sends its request, or sends its headers a
byte at a time (each byte cancels its keep-alive timer). A worker holds a few thousand such
connections before it stops answering everybody; here each gets `header_timeout` seconds."""

import asyncio
import logging
from functools import cache

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from server.settings import Settings

logger = logging.getLogger("tabel.server")


@cache
def _header_timeout() -> float:
    # Read once per worker process: uvicorn builds a protocol for every connection, and
    # passes the class (by reference) to the worker processes it spawns.
    return Settings().header_timeout_seconds


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """Pass as uvicorn's `http=`; the deadline is `TABEL_HEADER_TIMEOUT_SECONDS`."""

    def __init__(self, config: Config, server_state: ServerState, **options: object) -> None:
        super().__init__(config, server_state, **options)  # type: ignore[arg-type]
        self.header_timeout = _header_timeout()
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        # The first bytes of a request on a kept-alive connection start its deadline.
        if self._header_timer is None and (self.cycle is None or self.cycle.response_complete):
            self._arm_header_timer()
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._disarm_header_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_late)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            client = "{}:{}".format(*self.client) if self.client else "?"
            logger.info("closed %s: no request headers within %.0f s", client, self.header_timeout)
            self.transport.close()
