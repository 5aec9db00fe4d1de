"""Bot API requests over plain asyncio streams: HTTP/1.1, kept-alive connections, form bodies.

What a turn asks of the Bot API is one small POST (an edit, a message), answered by a small JSON
document. Through httpx, httpcore, anyio and h11 such a request cost the bot about 1.5 ms of CPU,
as much as the rest of a turn's Python together; written straight to a kept-alive connection it
costs a tenth of that. The request is the one httpx sent (a URL-encoded form, PTB's own encoding
of the parameters), so the Bot API sees no difference. What this does not do is left to PTB's
:class:`HTTPXRequest`: uploads (multipart bodies), and every request when a proxy is configured in
the environment (``HTTPS_PROXY`` and the like, which httpx honours).

Errors are PTB's: a time-out is :class:`TimedOut`, anything else on the way
:class:`NetworkError`; a request is never sent twice here (the outbox sender decides on retries).
A connection is reused only when its answer was read to its end and the server did not ask to
close it; an idle one the server has closed meanwhile is dropped before use.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies

import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

Timeout = Any  # PTB's ODVInput[float]: a float, None, or its DEFAULT_NONE marker
Origin = tuple[str, str, int]  # scheme, host, port
MAX_HEAD = 64 * 1024  # bytes of status line and headers
IDLE_FOR = 30.0  # seconds an unused connection is kept (servers close theirs after a while)


class Connection:
    """One HTTP/1.1 connection, used by one request at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.idle_since = time.monotonic()

    @property
    def usable(self) -> bool:
        """Neither closed by the server while idle, nor idle for too long."""
        return (
            not self.writer.is_closing()
            and not self.reader.at_eof()
            and time.monotonic() - self.idle_since < IDLE_FOR
        )

    async def exchange(
        self, head: bytes, body: bytes, write_timeout: float | None, read_timeout: float | None
    ) -> tuple[int, bytes, bool]:
        """Send one request; its status, its body, and whether the connection may be reused."""
        async with asyncio.timeout(write_timeout):
            self.writer.write(head + body)
            await self.writer.drain()
        async with asyncio.timeout(read_timeout):
            status, headers, keep = _parse_head(await self.reader.readuntil(b"\r\n\r\n"))
            if "transfer-encoding" in headers:
                payload = await self._chunked()
            elif "content-length" in headers:
                payload = await self.reader.readexactly(int(headers["content-length"]))
            else:  # the body ends with the connection
                payload, keep = await self.reader.read(), False
        self.idle_since = time.monotonic()
        return status, payload, keep

    async def _chunked(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while await self.reader.readuntil(b"\r\n") != b"\r\n":  # trailers, then the end
                    pass
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    def close(self) -> None:
        self.writer.close()


def _parse_head(head: bytes) -> tuple[int, dict[str, str], bool]:
    """Status code, headers (lower-case names), and whether the server keeps the connection."""
    lines = head.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    status = int(rest[:3])
    headers = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    connection = headers.get("connection", "").lower()
    keep = "close" not in connection if version == "HTTP/1.1" else "keep-alive" in connection
    return status, headers, keep


def proxied() -> bool:
    """Whether the environment configures a proxy (then httpx, which honours it, is used)."""
    found = getproxies()
    return any(found.get(scheme) for scheme in ("http", "https", "all"))


class StreamRequest(BaseRequest):
    """PTB's request interface on asyncio streams, at most ``connection_pool_size`` at once (a
    request waits its turn up to ``pool_timeout``, then fails with :class:`TimedOut`)."""

    __slots__ = (
        "_fallback", "_idle", "_pool_timeout", "_proxied", "_size", "_slots", "_ssl", "_timeouts"
    )

    def __init__(
        self,
        connection_pool_size: int = 8,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._size, self._pool_timeout = connection_pool_size, pool_timeout
        self._timeouts = (read_timeout, write_timeout, connect_timeout)
        self._fallback = HTTPXRequest(
            connection_pool_size=connection_pool_size, read_timeout=read_timeout,
            write_timeout=write_timeout, connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        self._idle: dict[Origin, list[Connection]] = {}
        self._slots: asyncio.Semaphore | None = None
        self._ssl: ssl.SSLContext | None = None
        self._proxied = proxied()

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts[0]

    async def initialize(self) -> None:
        await self._fallback.initialize()

    async def shutdown(self) -> None:
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()
        await self._fallback.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._proxied or (request_data is not None and request_data.contains_files):
            return await self._fallback.do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout,
                pool_timeout,
            )
        read, write, connect = (
            default if isinstance(given, DefaultValue) else given
            for given, default in zip(
                (read_timeout, write_timeout, connect_timeout), self._timeouts, strict=True
            )
        )
        wait = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        parts = urlsplit(url)
        origin: Origin = (parts.scheme, parts.hostname or "", parts.port or _port(parts.scheme))
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        body = request_data.url_encoded_parameters().encode() if request_data else b""
        head = (
            f"{method} {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"User-Agent: {self.USER_AGENT}\r\nAccept: */*\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        slots = self._slots = self._slots or asyncio.Semaphore(self._size)
        try:
            async with asyncio.timeout(wait):
                await slots.acquire()
        except TimeoutError:
            raise TimedOut("every Bot API connection stayed busy: request not sent") from None
        try:
            return await self._exchange(origin, head, body, write, read, connect)
        finally:
            slots.release()

    async def _exchange(
        self, origin: Origin, head: bytes, body: bytes, write: float | None,
        read: float | None, connect: float | None,
    ) -> tuple[int, bytes]:
        connection = self._take(origin)
        try:
            if connection is None:
                connection = await self._connect(origin, connect)
            status, payload, keep = await connection.exchange(head, body, write, read)
        except TimeoutError as error:
            if connection is not None:
                connection.close()
            raise TimedOut from error
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                ValueError, IndexError) as error:
            if connection is not None:
                connection.close()
            raise NetworkError(f"Bot API request failed: {error!r}") from error
        except BaseException:  # cancelled mid-request: the connection's state is unknown
            if connection is not None:
                connection.close()
            raise
        if keep:
            self._idle.setdefault(origin, []).append(connection)
        else:
            connection.close()
        return status, payload

    def _take(self, origin: Origin) -> Connection | None:
        idle = self._idle.get(origin)
        while idle:
            connection = idle.pop()
            if connection.usable:
                return connection
            connection.close()
        return None

    async def _connect(self, origin: Origin, within: float | None) -> Connection:
        scheme, host, port = origin
        context = None
        if scheme == "https":
            context = self._ssl = self._ssl or httpx.create_ssl_context()
        async with asyncio.timeout(within):
            reader, writer = await asyncio.open_connection(
                host, port, ssl=context, limit=MAX_HEAD,
                server_hostname=host if context is not None else None,
            )
        return Connection(reader, writer)  # asyncio sets TCP_NODELAY itself


def _port(scheme: str) -> int:
    return 443 if scheme == "https" else 80
