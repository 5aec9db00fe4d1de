"""The outbox sender of every ``openip-bot run`` process: each chat's replies, in order, once sent.

A turn takes its chat's lock and reads the chat's due messages inside its own transaction
(:class:`OutboxClaim`), and hands them to the sender of its process once committed; a poll every
second finds what other processes queued, or what a process that died left behind. A chat is
drained by one sender at a time (its lock, see :mod:`bot.telegram.chat_locks`), message after
message in ``seq`` order: the next message waits until the previous one is delivered, and is
read in the transaction that records the previous one as sent. Messages queued in this process
while its sender holds the chat are looked for before the drain ends (the turn wakes it); a chat
whose lock another process holds is tried again shortly (:data:`ELSEWHERE_AGAIN`), so that a
message queued there just as that process let go is not left to the poll.

A failed send is retried with backoff (5xx, time-outs, network errors; a 429's ``retry_after``);
a message Telegram refuses for good (the user blocked the bot, the chat is gone) is marked failed
and the chat moves on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram.chat_locks import ChatLocks
from bot.telegram.delivery import Delivery, retry_seconds
from bot.telegram.faults import Fault, cause, classify
from dialogs import outbox
from dialogs.outbox import TELEGRAM, Queued

log = logging.getLogger("openip_bot.telegram")
NOW: Callable[[], datetime] = partial(datetime.now, UTC)  # the edge's clock (tests give theirs)
POLL_EVERY = 1.0  # seconds between looks for messages queued by other processes
PARALLEL_CHATS = 16  # chats drained at once by one process
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 30.0  # seconds before a retry: 1, 2, 4… at most 30
STOP_GRACE = 10.0  # seconds a stopping sender lets the sends under way finish
ELSEWHERE_AGAIN = 0.2  # seconds before claiming again a chat another process was draining


def backoff(attempts: int) -> float:
    """Seconds to wait before attempt ``attempts + 1``."""
    return float(min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** min(attempts, 10)))


class OutboxClaim:
    """A sender's claim of one chat's outbox, taken inside the transaction of the turn that
    queues to it: the chat's lock, then its due messages read in that same transaction, so that
    once the turn commits they are sent without another look. Let go if the turn does not commit
    (:meth:`let_go`); a later attempt of the same turn reads the messages again."""

    def __init__(self, locks: ChatLocks, chat_key: str) -> None:
        self.locks, self.chat_key = locks, chat_key
        self.held = False
        self.rows: list[Queued] | None = None

    def take(self, session: Session) -> None:
        """(Worker thread, in the turn's transaction, after its messages were queued.)"""
        if not self.held:
            try:
                self.held = self.locks.acquire(self.chat_key)
            except Exception as error:  # the sender looks itself once the turn is done
                log.warning("outbox of %s not claimed: %s", self.chat_key, type(error).__name__)
                return
        if self.held:
            self.rows = outbox.head(session, self.chat_key)

    def let_go(self) -> None:
        if self.held:
            self.held, self.rows = False, None
            try:
                self.locks.release(self.chat_key)
            except Exception as error:
                log.warning("lock of %s not released: %s", self.chat_key, type(error).__name__)


class Sender:
    def __init__(
        self,
        bot: Bot,
        sessions: sessionmaker[Session],
        locks: ChatLocks,
        delivery: Delivery | None = None,
        *,
        clock: Callable[[], datetime] = NOW,
        poll_every: float = POLL_EVERY,
    ) -> None:
        self.bot, self.sessions, self.locks = bot, sessions, locks
        self.reads = outbox.readers(sessions)  # look-ups: no write lock on SQLite
        self.delivery = delivery or Delivery()
        self.clock, self.poll_every = clock, poll_every
        self._active: dict[str, asyncio.Task[None]] = {}
        self._again: set[str] = set()
        self._unmarked: set[int] = set()  # outbox ids delivered but not yet marked sent
        self._claimed: dict[str, list[Queued]] = {}  # chats locked by a turn's hop, to drain
        self._timers: dict[str, asyncio.TimerHandle] = {}  # chats waiting to retry their head
        self._slots = asyncio.Semaphore(PARALLEL_CHATS)
        self._woken = asyncio.Event()
        self._changed = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False
        self.on_fatal: Callable[[str], None] = lambda _reason: None  # storage cannot be written

    # --- life ---------------------------------------------------------------------------------
    def start(self) -> None:
        self._loop_task = asyncio.create_task(self._poll_loop(), name="outbox-sender")

    async def stop(self) -> None:
        """Stop looking; let the sends under way finish (bounded), then let go of the locks."""
        self._stopping = True
        for timer in self._timers.values():
            timer.cancel()
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
        drains = list(self._active.values())
        if drains:
            _, late = await asyncio.wait(drains, timeout=STOP_GRACE)
            for task in late:  # cut short: its message is sent again by the next sender
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        await asyncio.to_thread(self.locks.close)

    def claim_for(self, chat_key: str) -> OutboxClaim | None:
        """A claim for a turn of ``chat_key`` to take in its transaction (:class:`OutboxClaim`);
        what it holds once the turn committed goes to :meth:`wake`."""
        if self._stopping or not chat_key.startswith(TELEGRAM):
            return None
        return OutboxClaim(self.locks, chat_key)

    def wake(self, chat_key: str, claimed: list[Queued] | None = None) -> None:
        """Something was queued for ``chat_key``: send it now (from the event loop). ``claimed``:
        what :meth:`claim` took (its lock held), sent without taking the lock again."""
        if claimed is not None:
            self._claimed[chat_key] = claimed
        if self._stopping or not chat_key.startswith(TELEGRAM):
            return
        if chat_key in self._active:
            self._again.add(chat_key)  # the drain under way looks once more before it ends
            return
        self._active[chat_key] = asyncio.create_task(self._drain(chat_key))

    async def settled(self) -> None:
        """Return once nothing is being sent and nothing waits in the outbox (for tests)."""
        while True:
            self._changed.clear()
            if not self._active and await asyncio.to_thread(self._nothing_pending):
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), 0.05)

    # --- the loop -----------------------------------------------------------------------------
    async def _poll_loop(self) -> None:
        while not self._stopping:
            try:
                chats = await asyncio.to_thread(self._due_chats)
            except Exception as error:  # the database is away: look again later
                self._storage_failed("outbox not read", error)
                chats = []
            for chat_key in chats:
                self.wake(chat_key)
            self._woken.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), self.poll_every)

    async def _drain(self, chat_key: str) -> None:
        retry_in: float | None = None
        try:
            async with self._slots:
                while True:
                    self._again.discard(chat_key)
                    retry_in = await self._drain_once(chat_key)
                    if retry_in is not None or chat_key not in self._again or self._stopping:
                        break
        except Exception as error:  # the database is away: the poll tries again
            self._storage_failed(f"outbox of {chat_key} not drained", error)
        finally:
            if self._claimed.pop(chat_key, None) is not None:  # claimed, not drained: let go
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(self.locks.release, chat_key)
            del self._active[chat_key]
            self._changed.set()
        if retry_in is not None and not self._stopping and chat_key not in self._timers:
            self._timers[chat_key] = asyncio.get_running_loop().call_later(
                retry_in, self._retry, chat_key
            )

    def _retry(self, chat_key: str) -> None:
        """A postponed message is due: one timer per chat, however often the poll saw it."""
        self._timers.pop(chat_key, None)
        self.wake(chat_key)

    async def _drain_once(self, chat_key: str) -> float | None:
        """Send the chat's due messages while holding its lock; seconds until its head may be
        retried, or None when there is nothing left (or another process holds the chat)."""
        rows = self._claimed.pop(chat_key, None)
        if rows is None:
            rows = await asyncio.to_thread(self._claim, chat_key)
        if rows is None:  # drained by someone else: here, it looks again itself
            return None if self.locks.held_here(chat_key) else ELSEWHERE_AGAIN
        held = True
        try:
            while rows:
                delivered: int | None = None  # the last row, sent: recorded with the next look
                for index, item in enumerate(rows):
                    if item.id in self._unmarked:  # delivered while the database was away
                        await asyncio.to_thread(self._write, outbox.mark_sent, item.id)
                        self._unmarked.discard(item.id)
                        continue
                    wait = self._wait_for(item)
                    if wait > 0:
                        return wait
                    outcome = await self._send(item, record=index < len(rows) - 1)
                    if outcome is None:
                        delivered = item.id
                    elif outcome > 0:
                        return outcome
                try:
                    rows, held = await asyncio.to_thread(
                        self._next_or_release, chat_key, delivered
                    )
                except Exception:
                    if delivered is not None:
                        self._unmarked.add(delivered)  # not sent again: marked once it is back
                    raise
            return None
        finally:
            if held:
                await asyncio.to_thread(self.locks.release, chat_key)

    def _wait_for(self, item: Queued) -> float:
        if item.not_before is None:
            return 0.0
        not_before = item.not_before
        if not_before.tzinfo is None:  # SQLite gives naive UTC back
            not_before = not_before.replace(tzinfo=self.clock().tzinfo)
        return max(0.0, (not_before - self.clock()).total_seconds())

    async def _send(self, item: Queued, *, record: bool = True) -> float | None:
        """Deliver one message and record the outcome: 0, or seconds before its retry; None
        when it was delivered and ``record`` is False (the caller records it, in the same
        transaction as its next look at the outbox: one thread hop and one commit less)."""

        async def progress(parts: int) -> None:
            await asyncio.to_thread(self._write, outbox.mark_progress, item.id, parts)

        try:
            await self.delivery.send(self.bot, item, progress)
        except RetryAfter as error:
            delay = retry_seconds(error)
            return await self._postpone(item, delay, f"429: retry after {delay:g} s")
        except (BadRequest, Forbidden) as error:
            log.warning("message %s to %s refused: %s", item.seq, item.chat_key, error.message)
            await asyncio.to_thread(self._write, outbox.mark_failed, item.id, error.message)
            return 0.0
        except (NetworkError, TelegramError) as error:  # 5xx, time-outs, connection errors
            return await self._postpone(item, backoff(item.attempts), error.message)
        except Exception as error:  # a bug: one message must not hold its chat forever
            log.exception("message %s to %s not sendable", item.seq, item.chat_key)
            await asyncio.to_thread(self._write, outbox.mark_failed, item.id, repr(error))
            return 0.0
        if not record:
            return None
        try:
            await asyncio.to_thread(self._write, outbox.mark_sent, item.id)
        except Exception:
            self._unmarked.add(item.id)  # remembered: marked, not sent again, once it is back
            raise
        return 0.0

    async def _postpone(self, item: Queued, delay: float, error: str) -> float:
        log.info("message %s to %s retried in %g s: %s", item.seq, item.chat_key, delay, error)
        until = self.clock() + timedelta(seconds=delay)
        await asyncio.to_thread(self._write, outbox.postpone, item.id, until, error)
        return delay

    def _storage_failed(self, what: str, error: Exception) -> None:
        if classify(error) is Fault.FATAL:
            self.on_fatal(cause(error))
        else:
            log.warning("%s: %s", what, cause(error))

    # --- blocking database work (worker threads) --------------------------------------------
    def _claim(self, chat_key: str) -> list[Queued] | None:
        if not self.locks.acquire(chat_key):
            return None
        try:
            with self.reads() as session:
                return outbox.head(session, chat_key)
        except Exception:
            self.locks.release(chat_key)
            raise

    def _next_or_release(self, chat_key: str, delivered: int | None) -> tuple[list[Queued], bool]:
        """Record ``delivered`` as sent, and read the chat's next messages, in one transaction;
        when there are none, the lock is let go (what is queued later wakes a drain again)."""
        if delivered is None:
            with self.reads() as session:
                rows = outbox.head(session, chat_key)
        else:
            with self.sessions.begin() as session:
                outbox.mark_sent(session, delivered)
                rows = outbox.head(session, chat_key)
        if rows:
            return rows, True
        self.locks.release(chat_key)
        return [], False

    def _write(self, change: Callable[..., None], *args: object) -> None:
        with self.sessions.begin() as session:
            change(session, *args)

    def _due_chats(self) -> list[str]:
        with self.reads() as session:
            return outbox.due_chats(session, TELEGRAM)

    def _nothing_pending(self) -> bool:
        with self.reads() as session:
            return outbox.pending(session) == 0
