"""Which process sends a chat's outbox messages now: one at a time, across instances.

The lock of a chat is held while its messages are being sent, and released by the operating
system or the database when its process dies (a crashed sender never blocks a chat):

- PostgreSQL: session advisory locks on one connection of the sender's own;
- SQLite (processes on one machine): ``fcntl`` byte-range locks on a file beside the database.

Both are blocking calls: run them in a worker thread.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

log = logging.getLogger("openip_bot.telegram")


class ChatLocks(Protocol):
    def acquire(self, chat_key: str) -> bool:
        """True when this process now holds the chat's lock (never waits)."""

    def release(self, chat_key: str) -> None: ...

    def held_here(self, chat_key: str) -> bool:
        """True when this process holds the chat's lock (so it will look at the chat again)."""

    def close(self) -> None: ...


def lock_number(chat_key: str) -> int:
    """A stable signed 63-bit number for a chat key."""
    return int.from_bytes(hashlib.blake2b(chat_key.encode(), digest_size=8).digest()) >> 1


def chat_locks(engine: Engine) -> ChatLocks:
    """The lock kind that fits the engine's database."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        return AdvisoryLocks(engine)
    database = make_url(url).database
    if database and database != ":memory:":
        return FileLocks(Path(database).expanduser().with_name(Path(database).name + ".senders"))
    return ProcessLocks()


class ProcessLocks:
    """Within one process only (an in-memory database has one process anyway)."""

    def __init__(self) -> None:
        self._held: set[str] = set()
        self._guard = threading.Lock()

    def acquire(self, chat_key: str) -> bool:
        with self._guard:
            if chat_key in self._held:
                return False
            self._held.add(chat_key)
            return True

    def release(self, chat_key: str) -> None:
        with self._guard:
            self._held.discard(chat_key)

    def held_here(self, chat_key: str) -> bool:
        with self._guard:
            return chat_key in self._held

    def close(self) -> None:
        with self._guard:
            self._held.clear()


class FileLocks(ProcessLocks):
    """One byte per chat (at its lock number) in a shared file, locked with ``fcntl``."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self, chat_key: str) -> bool:
        if not super().acquire(chat_key):
            return False
        try:
            fcntl.lockf(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, lock_number(chat_key))
        except OSError:
            super().release(chat_key)
            return False
        return True

    def release(self, chat_key: str) -> None:
        try:
            fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, lock_number(chat_key))
        finally:
            super().release(chat_key)

    def close(self) -> None:
        super().close()
        os.close(self._fd)


class AdvisoryLocks(ProcessLocks):
    """PostgreSQL session advisory locks, on one connection kept for them."""

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self._engine = engine
        self._connection: Connection | None = None
        self._io = threading.Lock()

    def acquire(self, chat_key: str) -> bool:
        if not super().acquire(chat_key):
            return False
        try:
            with self._io:
                taken = self._ask("SELECT pg_try_advisory_lock(:n)", chat_key)
        except Exception:
            super().release(chat_key)
            raise
        if not taken:
            super().release(chat_key)
        return taken

    def release(self, chat_key: str) -> None:
        try:
            with self._io:
                self._ask("SELECT pg_advisory_unlock(:n)", chat_key)
        except Exception as error:  # the connection is gone, and its locks with it
            log.warning("sender lock of %s not released: %s", chat_key, type(error).__name__)
        finally:
            super().release(chat_key)

    def _ask(self, statement: str, chat_key: str) -> bool:
        if self._connection is None or self._connection.invalidated:
            self._drop()
            self._connection = self._engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            )
        try:
            return bool(self._connection.scalar(text(statement), {"n": lock_number(chat_key)}))
        except Exception:
            self._drop()  # its locks died with it: the next call starts afresh
            raise

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close
                self._connection.close()
            self._connection = None

    def close(self) -> None:
        with self._io:
            self._drop()
        super().close()
