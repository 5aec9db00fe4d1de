"""Long polling that acknowledges only what was handled.

``getUpdates`` with an offset confirms every update below it. The offset moves past an update
only once its turn committed (or it was handled before, or failed for good): an update whose
turn could not commit because the database was away is asked for again, after a pause, until it
commits. A chat's later updates in the batch wait with it, so its order holds; other chats go on
(their updates come again and are recognised by the ledger).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError

from bot.telegram.delivery import retry_seconds
from bot.telegram.handlers import Handlers, Outcome
from bot.telegram.ordering import chat_of

log = logging.getLogger("openip_bot.telegram")
POLL_TIMEOUT = 10  # seconds a getUpdates call waits for updates
RETRY_FIRST, RETRY_MAX = 0.5, 5.0  # seconds before offering a held update again: 0.5, 1, 2… 5


def retry_delay(failures: int) -> float:
    return float(min(RETRY_MAX, RETRY_FIRST * 2 ** min(failures - 1, 10)))


class Poller:
    """Fetches updates, hands each chat's to the application in order, moves the offset."""

    def __init__(
        self,
        app: Any,
        handlers: Handlers,
        allowed_updates: Sequence[str],
        *,
        timeout: int = POLL_TIMEOUT,
    ) -> None:
        self.app, self.handlers, self.allowed = app, handlers, list(allowed_updates)
        self.timeout = timeout
        self.offset: int | None = None
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                updates = await self._fetch()
                if updates is None:  # stopping: what was fetched is not acknowledged
                    return
            except RetryAfter as error:
                await self._pause(retry_seconds(error))
                continue
            except InvalidToken:
                raise
            except (NetworkError, TelegramError) as error:
                log.warning("getUpdates failed: %s", error.message)
                await self._pause(RETRY_MAX)
                continue
            if not updates:
                continue
            held = await self.handle(updates)
            if held is None:
                self.offset, failures = updates[-1].update_id + 1, 0
            else:
                self.offset, failures = held, failures + 1
                await self._pause(retry_delay(failures))

    async def _fetch(self) -> tuple[Update, ...] | None:
        """The next updates, or None when stopping (the long poll is cut short)."""
        fetch = asyncio.ensure_future(
            self.app.bot.get_updates(
                offset=self.offset,
                timeout=self.timeout,
                allowed_updates=self.allowed,
                read_timeout=self.timeout + 10,
            )
        )
        stopping = asyncio.ensure_future(self._stopping.wait())
        await asyncio.wait((fetch, stopping), return_when=asyncio.FIRST_COMPLETED)
        if not fetch.done():
            fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError, TelegramError):
                await fetch
            return None
        stopping.cancel()
        updates: tuple[Update, ...] = fetch.result()
        return updates

    async def handle(self, updates: Sequence[Update]) -> int | None:
        """Handle a batch (chats concurrently, each in order); the first update id not
        acknowledged, or None when every update was."""
        chats: dict[object, list[Update]] = {}
        for update in updates:
            chat = chat_of(update)
            chats.setdefault(chat if chat is not None else ("update", update.update_id), []).append(
                update
            )
        held = await asyncio.gather(*(self._chat(batch) for batch in chats.values()))
        waiting = [update_id for update_id in held if update_id is not None]
        return min(waiting) if waiting else None

    async def _chat(self, updates: list[Update]) -> int | None:
        for update in updates:
            await self.app.process_update(update)
            outcome = self.handlers.outcomes.pop(update.update_id, Outcome.DONE)
            if not outcome.acknowledged:
                return update.update_id
        return None

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
