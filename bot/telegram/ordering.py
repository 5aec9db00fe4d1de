"""Updates of different chats run concurrently; the updates of one chat run one after another."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT_UPDATES = 4096  # waiting updates are cheap; database work is bounded by threads


def chat_of(update: object) -> int | None:
    """The chat whose order an update must keep (its sender when it has no chat)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


class PerChatProcessor(BaseUpdateProcessor):
    """Chains each chat's updates in arrival order; other chats never wait for them.

    Arrival order is the order in which PTB hands updates over (the order of ``getUpdates`` or of
    the webhook requests): each update waits for the previous one of its chat, and only for it.
    """

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._tails: dict[int, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = chat_of(update)
        if chat is None:
            await coroutine
            return
        previous = self._tails.get(chat)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[chat] = done  # taken before any await: this fixes the update's place
        started = False
        try:
            if previous is not None:
                await asyncio.shield(previous)
            started = True
            await coroutine
        finally:
            if not started and asyncio.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting its turn (shutdown)
            done.set_result(None)
            if self._tails.get(chat) is done:
                del self._tails[chat]

    @property
    def busy_chats(self) -> int:
        """Chats with an update in progress or waiting (for logs and tests)."""
        return len(self._tails)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB awaits the update tasks itself."""
