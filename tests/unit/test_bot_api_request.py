"""Bot API requests through aiohttp: what a server on 127.0.0.1 answers, read right."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram.request import BotApiRequest

Answer = Callable[[bytes], bytes | None]  # the request's bytes -> the answer's, None: hang up


@asynccontextmanager
async def server(answer: Answer) -> AsyncIterator[tuple[str, list[bytes], list[int]]]:
    """A server answering each request with ``answer``; the URL, the requests it read, and
    the connection each came on."""
    requests: list[bytes] = []
    connections: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        number = len(set(connections)) + 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length"))
                request = head + await reader.readexactly(length)
                requests.append(request)
                connections.append(number)
                reply = answer(request)
                if reply is None:
                    break
                writer.write(reply)
                await writer.drain()
                if b"Connection: close" in reply:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    listening = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/bot123:abc", requests, connections
    finally:
        listening.close()


def ok(body: bytes = b'{"ok":true,"result":true}', *extra: str) -> bytes:
    head = "".join(f"{line}\r\n" for line in extra)
    return f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{head}\r\n".encode() + body


def data(**values: object) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in values.items()])


async def test_a_request_is_the_form_httpx_sent_and_its_answer_is_read_whole() -> None:
    async with server(lambda _request: ok()) as (url, requests, _):
        request = BotApiRequest()
        status, body = await request.do_request(
            f"{url}/editMessageText", "POST",
            data(chat_id=7, text="a & b", reply_markup={"inline_keyboard": []}))
        await request.shutdown()

    assert (status, body) == (200, b'{"ok":true,"result":true}')
    head, _, sent = requests[0].partition(b"\r\n\r\n")
    assert head.startswith(b"POST /bot123:abc/editMessageText HTTP/1.1\r\n")
    assert b"Content-Type: application/x-www-form-urlencoded" in head
    assert sent == b"chat_id=7&text=a+%26+b&reply_markup=%7B%22inline_keyboard%22%3A+%5B%5D%7D"


async def test_a_kept_alive_connection_serves_the_next_request() -> None:
    async with server(lambda _request: ok()) as (url, _, connections):
        request = BotApiRequest()
        for _ in range(3):
            await request.do_request(f"{url}/sendMessage", "POST", data(chat_id=7, text="x"))
        await request.shutdown()

    assert connections == [1, 1, 1]


async def test_a_chunked_answer_is_put_together_and_an_error_status_is_passed_on() -> None:
    chunked = (b"HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"5\r\n{\"ok\"\r\n12;x=y\r\n:false,\"code\":400}\r\n0\r\n\r\n")
    async with server(lambda _request: chunked) as (url, _, _):
        request = BotApiRequest()
        status, body = await request.do_request(f"{url}/sendMessage", "POST", data(chat_id=7))
        await request.shutdown()

    assert (status, body) == (400, b'{"ok":false,"code":400}')


async def test_a_connection_the_server_asked_to_close_is_not_used_again() -> None:
    async with server(lambda _request: ok(b"{}", "Connection: close")) as (url, _, connections):
        request = BotApiRequest()
        for _ in range(2):
            await request.do_request(f"{url}/sendMessage", "POST", data(chat_id=7))
        await request.shutdown()

    assert connections == [1, 2]


async def test_an_idle_connection_the_server_closed_is_dropped_before_use() -> None:
    served: list[int] = []

    async def once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")  # one request, one answer, then it hangs up
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        served.append(1)
        writer.write(ok())
        await writer.drain()
        writer.close()

    listening = await asyncio.start_server(once, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}/bot1:a/sendMessage"
    request = BotApiRequest()
    try:
        await request.do_request(url, "POST", data(chat_id=7))
        await asyncio.sleep(0.2)  # the end of the idle connection reaches the client
        status, _ = await request.do_request(url, "POST", data(chat_id=7))
    finally:
        listening.close()
        await request.shutdown()

    assert status == 200
    assert served == [1, 1]  # on a second connection


async def test_a_server_that_hangs_up_mid_request_is_a_network_error() -> None:
    async with server(lambda _request: None) as (url, _, _):
        request = BotApiRequest()
        with pytest.raises(NetworkError):
            await request.do_request(f"{url}/sendMessage", "POST", data(chat_id=7))
        await request.shutdown()


async def test_an_answer_slower_than_the_read_timeout_is_timed_out() -> None:
    held = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await held.wait()
        writer.close()

    listening = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    request = BotApiRequest()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(f"http://127.0.0.1:{port}/bot1:a/getMe", "POST",
                                     read_timeout=0.1)
    finally:
        held.set()
        listening.close()
        await request.shutdown()


async def test_a_request_waits_for_a_free_connection_no_longer_than_the_pool_timeout() -> None:
    held = asyncio.Event()

    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await held.wait()
        writer.close()

    listening = await asyncio.start_server(slow, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}/bot1:a/getMe"
    request = BotApiRequest(connection_pool_size=1, pool_timeout=0.1)
    first = asyncio.ensure_future(request.do_request(url, "POST", read_timeout=None))
    try:
        await asyncio.sleep(0.05)
        with pytest.raises(TimedOut):
            await request.do_request(url, "POST")
    finally:
        held.set()
        with pytest.raises(NetworkError):
            await first
        listening.close()
        await request.shutdown()
