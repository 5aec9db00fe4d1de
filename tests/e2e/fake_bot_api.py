"""A fake Telegram Bot API on 127.0.0.1 (tornado), recording every call, for PTB's ``base_url``.

It keeps the chats' messages as Telegram would (sent, edited, keyboards), serves ``getUpdates``
as a long poll over a queue the tests push updates into, and can answer a method once with
429 ``retry_after``. Faults are injected per method (:meth:`FakeBotApi.inject`): the next calls
fail with a status (500…), answer late, or hang until the test lets them go — applied or not.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import tornado.httpserver
import tornado.web

TOKEN = "123456:TEST-token"
BOT = {"id": 123456, "is_bot": True, "first_name": "OpenIP", "username": "openip_test_bot",
       "can_join_groups": False, "can_read_all_group_messages": False,
       "supports_inline_queries": False}
PLAIN_FIELDS = {"text", "parse_mode", "language_code", "callback_query_id", "action", "url",
                "secret_token"}
Json = dict[str, Any]


@dataclass(frozen=True)
class Fault:
    """What the next call of a method meets: ``status`` 0 answers normally (after ``delay``);
    a ``hold`` keeps the request in flight until the test sets it; ``applied`` says whether the
    call takes effect for the user although it fails (Telegram did it, the answer was lost)."""

    status: int = 500
    delay: float = 0.0
    hold: asyncio.Event | None = None
    applied: bool = False


@dataclass(frozen=True)
class Call:
    method: str
    params: Json


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


class FakeBotApi:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], Json] = {}
        self.updates: list[Json] = []
        self.polled_offsets: list[int] = []
        self.throttle: dict[str, int] = {}  # method -> retry_after, answered once
        self.faults: dict[str, list[Fault]] = {}  # method -> what its next calls meet
        self.shown: list[tuple[int, str]] = []  # (chat, text) of every message sent or edited
        self._message_ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._changed: asyncio.Condition | None = None
        self._server: tornado.httpserver.HTTPServer | None = None
        self._closed = False
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        self._changed = asyncio.Condition()
        app = tornado.web.Application([(r"/bot([^/]+)/(\w+)", _Endpoint, {"api": self})])
        self._server = app.listen(0, "127.0.0.1")
        self.port = next(iter(self._server._sockets.values())).getsockname()[1]

    async def stop(self) -> None:
        self._closed = True
        await self._notify()
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()

    # --- what the tests do ---------------------------------------------------------------
    def next_update_id(self) -> int:
        return next(self._update_ids)

    async def push(self, *updates: Json) -> None:
        """Queue updates; they are delivered together by the next ``getUpdates``."""
        self.updates.extend(updates)
        await self._notify()

    async def wait_for(self, condition: Callable[[], bool], within: float = 60) -> None:
        """Return as soon as ``condition()`` holds after some call (fail after ``within`` s)."""
        assert self._changed is not None
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), within)

    async def polled_past(self, update_id: int) -> None:
        """Wait until the bot has asked for updates after ``update_id`` (it took them all)."""
        await self.wait_for(lambda: any(o > update_id for o in self.polled_offsets))

    async def webhook_reply(self, status: int, content_type: str, body: bytes) -> None:
        """What Telegram does with a webhook's reply that names a method (``{"method": …}``): it
        performs the call, and tells no one how it went."""
        if status != 200 or not body or "json" not in content_type:
            return
        params: Json = json.loads(body)
        method = params.pop("method", None)
        if method:
            with contextlib.suppress(ApiError):
                await self.answer(str(method), params)

    def inject(self, method: str, *faults: Fault) -> None:
        """The next calls of ``method`` meet ``faults``, one each, in order."""
        self.faults.setdefault(method, []).extend(faults)

    def seen_by(self, chat_id: int) -> list[str]:
        """Every text the chat's user was shown (sent, or edited into a message), in order."""
        return [text for chat, text in self.shown if chat == chat_id]

    def called(self, method: str, **match: Any) -> list[Call]:
        return [c for c in self.calls if c.method == method
                and all(c.params.get(k) == v for k, v in match.items())]

    def chat(self, chat_id: int) -> list[Json]:
        """The messages of a chat as its user sees them now, oldest first."""
        return [m for (c, _), m in sorted(self.messages.items()) if c == chat_id]

    # --- the Bot API ---------------------------------------------------------------------
    async def answer(self, method: str, params: Json) -> Any:
        self.calls.append(Call(method, params))
        try:
            if method in self.throttle:
                retry_after = self.throttle.pop(method)
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}",
                               {"retry_after": retry_after})
            if method == "getUpdates":
                return await self._get_updates(params)
            fault = self.faults[method].pop(0) if self.faults.get(method) else None
            if fault is not None:
                return await self._faulty(method, params, fault)
            return self._apply(method, params)
        finally:
            await self._notify()

    def _apply(self, method: str, params: Json) -> Any:
        handler = getattr(self, f"_{method}", None)
        return True if handler is None else handler(params)

    async def _faulty(self, method: str, params: Json, fault: Fault) -> Any:
        if fault.hold is not None:
            await fault.hold.wait()
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if not fault.status:
            return self._apply(method, params)
        if fault.applied:
            self._apply(method, params)
        raise ApiError(fault.status, "Internal Server Error" if fault.status >= 500 else "Error")

    async def _get_updates(self, params: Json) -> list[Json]:
        offset = int(params.get("offset") or 0)
        self.polled_offsets.append(offset)
        await self._notify()
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        assert self._changed is not None
        async with self._changed:
            ready = lambda: bool(self.updates) or self._closed  # noqa: E731
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait_for(ready),
                                       float(params.get("timeout") or 0) or 0.01)
        return list(self.updates[: int(params.get("limit") or 100)])

    def _getMe(self, params: Json) -> Json:  # noqa: N802
        return BOT

    def _sendMessage(self, params: Json) -> Json:  # noqa: N802
        chat_id, message_id = int(params["chat_id"]), next(self._message_ids)
        message: Json = {"message_id": message_id, "date": int(time.time()),
                   "chat": {"id": chat_id, "type": "private"}, "from": BOT,
                   "text": html.unescape(params["text"])}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(chat_id, message_id)] = message
        self.shown.append((chat_id, message["text"]))
        return message

    def _editMessageText(self, params: Json) -> Json:  # noqa: N802
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        old = self.messages[key]
        new = {**old, "text": html.unescape(params["text"]), "edit_date": int(time.time())}
        new.pop("reply_markup", None)
        if params.get("reply_markup"):
            new["reply_markup"] = params["reply_markup"]
        if new.get("text") == old.get("text") and new.get("reply_markup") == old.get(
                "reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                           "content and reply markup are exactly the same")
        self.messages[key] = new
        self.shown.append((key[0], new["text"]))
        return new

    async def _notify(self) -> None:
        if self._changed is not None:
            async with self._changed:
                self._changed.notify_all()


class _Endpoint(tornado.web.RequestHandler):
    def initialize(self, api: FakeBotApi) -> None:
        self.api = api

    async def post(self, token: str, method: str) -> None:
        if token != TOKEN:
            return self._reply(401, {"ok": False, "error_code": 401,
                                     "description": "Unauthorized"})
        try:
            result = await self.api.answer(method, _params(self.request))
        except ApiError as error:
            body: Json = {"ok": False, "error_code": error.code, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            return self._reply(error.code, body)
        self._reply(200, {"ok": True, "result": result})

    get = post

    def _reply(self, status: int, body: Json) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


def _params(request: tornado.httputil.HTTPServerRequest) -> Json:
    content_type = request.headers.get("Content-Type", "")
    if "json" in content_type:
        loaded: Json = json.loads(request.body or b"{}")
        return loaded
    pairs = parse_qsl(request.body.decode(), keep_blank_values=True)
    params: Json = {}
    for key, value in pairs:
        params[key] = value if key in PLAIN_FIELDS else _json_or_text(value)
    return params


def _json_or_text(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value
