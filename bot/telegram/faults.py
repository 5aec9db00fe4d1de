"""What a failed turn means for its update: retry it later, stop the process, or a bug.

- *unavailable*: the database did not answer, or a lock was held too long; nothing was kept, the
  update is not acknowledged and is handled once the database is back.
- *fatal*: the database cannot be written (read-only file or transaction, disk full, file gone):
  waiting will not help; the process says why, loudly, and exits non-zero.
- *bug*: anything else; the update is acknowledged and the user told that nothing was done.
"""

from __future__ import annotations

import errno
import os
from enum import Enum
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy import exc as sa
from sqlalchemy.engine import make_url

from dialogs.engine import TurnAbandoned

FATAL_SIGNS = (
    "readonly database",
    "read-only",
    "read only",
    "disk is full",
    "no space left",
    "disk i/o error",
    "unable to open database file",
    "could not extend file",
    "could not write",
    "database disk image is malformed",
)
FATAL_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.EDQUOT}


class Fault(Enum):
    UNAVAILABLE = "unavailable"
    FATAL = "fatal"
    BUG = "bug"


def classify(error: BaseException) -> Fault:
    """The kind of a failure met while handling an update."""
    if isinstance(error, TurnAbandoned | sa.TimeoutError):
        return Fault.UNAVAILABLE
    if isinstance(error, sa.OperationalError | sa.InterfaceError | sa.InternalError) or (
        isinstance(error, sa.DBAPIError) and error.connection_invalidated
    ):
        return Fault.FATAL if is_fatal_text(str(error.orig)) else Fault.UNAVAILABLE
    if isinstance(error, OSError) and error.errno in FATAL_ERRNOS:
        return Fault.FATAL
    return Fault.BUG


def is_fatal_text(message: str) -> bool:
    text = message.lower()
    return any(sign in text for sign in FATAL_SIGNS)


def cause(error: BaseException) -> str:
    """The first line of the database's own message (never a URL: it may hold a password)."""
    origin = getattr(error, "orig", None) or error
    first = (str(origin).strip().splitlines() or [""])[0]
    first = " ".join(word for word in first.split() if "://" not in word)[:200]
    return f"{type(origin).__name__}: {first}" if first else type(origin).__name__


def storage_problem(url: str) -> str | None:
    """Why a SQLite database cannot be written (its path and the cause), or None.

    Checked before start: SQLite maps the ``-shm`` file of WAL mode into memory, and a file it
    cannot write (read-only, immutable) makes later access die of SIGBUS without a word.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database or "").expanduser()
    folder = path.parent if path.parent.exists() else None
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate.exists() and not os.access(candidate, os.R_OK | os.W_OK):
            return f"database file {candidate} cannot be written: {_why(candidate)}"
    if folder is not None and not os.access(folder, os.W_OK | os.X_OK):
        return f"database folder {folder} cannot be written: {_why(folder)}"
    return None


def _why(path: Path) -> str:
    """The operating system's own reason for refusing to write ``path``."""
    try:
        if path.is_dir():
            probe = path / f".openip-bot-probe-{os.getpid()}"
            probe.touch()
            probe.unlink()
        else:
            with path.open("r+b"):
                pass
    except OSError as error:
        return f"{error.strerror} (errno {errno.errorcode.get(error.errno or 0, error.errno)})"
    return "permission denied"


def guard_storage(engine: Engine) -> None:
    """Refuse to open a SQLite connection or transaction on files that cannot be written.

    SQLite keeps WAL mode's ``-shm`` file mapped in memory and writes into it even to read; once
    that file cannot be written (immutable, read-only mount) the next access is killed by SIGBUS,
    with no Python frame to say why. Checking first (three ``access`` calls, microseconds)
    turns that into an :class:`OSError` naming the file: a fatal failure, said loudly.
    """
    parsed = engine.url
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database or "").expanduser()
    files = (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))

    def check(*_args: object) -> None:
        for candidate in files:
            if not os.access(candidate, os.W_OK) and candidate.exists():
                raise OSError(errno.EPERM, f"{candidate} cannot be written: {_why(candidate)}")

    event.listen(engine, "connect", check, insert=True)  # a new SQLite connection
    event.listen(engine, "engine_connect", check)  # every session or connection, before BEGIN
