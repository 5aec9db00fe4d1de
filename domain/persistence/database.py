"""Engines and session factories for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 5000
READ_ONLY = "openip_read_only"  # execution option of the engine behind :func:`reading` sessions
_WRITING = "openip_writing"  # connection info: holds this process's SQLite writer lock
# PostgreSQL connections kept open: one per worker thread (asyncio's default executor: cores + 4)
# and a few for the outbox sender, health checks and the CLI, so that none is opened per turn.
POOL_SIZE = min(32, (os.cpu_count() or 1) + 4) + 4
POOL_OVERFLOW = 8
POOL_RECYCLE_SECONDS = 1800  # older connections are replaced when next checked out


def normalise_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs (SQLAlchemy's default driver is psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; a SQLite file's folder is created and WAL + foreign keys are enabled."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # No ping per checkout (a round trip for each transaction): a connection the server
        # dropped fails its statement, SQLAlchemy then discards every pooled connection opened
        # before the failure, and the edge offers the update again (nothing of it was kept).
        options = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW,
                   "pool_recycle": POOL_RECYCLE_SECONDS, **kwargs}
        return create_engine(url, **options)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)
    writers = Writers()
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", writers.begin)
    event.listen(engine, "checkin", writers.checkin)
    return engine


class Writers:
    """SQLite has one writer at a time: a transaction that may write takes the write lock when it
    starts (``BEGIN IMMEDIATE``), so that a turn never reads a snapshot that a concurrent writer
    makes stale. Look-ups only (:func:`reading`) start a deferred ``BEGIN``: in WAL mode they
    read a snapshot and neither wait for writers nor make them wait.

    This process's writers queue on a lock of their own first, held until the connection goes
    back to the pool: a writer is woken as soon as the previous one is done, instead of polling
    in SQLite's busy handler, which sleeps 1, 2, 5… up to 100 ms between tries. Other processes
    meet SQLite's lock as before. The wait is bounded (the busy time-out): past it the writer
    goes on to SQLite's own wait, so a connection that never came back cannot stop the others.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def begin(self, connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY, False):
            connection.exec_driver_sql("BEGIN")
            return
        info = connection.connection.info
        if not info.get(_WRITING):
            info[_WRITING] = self._lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self._let_go(info)
            raise

    def checkin(self, _dbapi_connection: Any, record: Any) -> None:
        self._let_go(record.info)

    def _let_go(self, info: dict[Any, Any]) -> None:
        if info.pop(_WRITING, False):
            self._lock.release()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself (pysqlite's implicit transactions break SAVEPOINT).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded attributes readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def reading(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions for look-ups that write nothing, on the same engine and pool as ``sessions``.

    On SQLite they take no write lock (a deferred ``BEGIN``); on PostgreSQL they are the same
    as ``sessions``. A write in one of them is not prevented, but may fail with "database is
    locked" when another transaction wrote meanwhile: use ``sessions`` for anything that writes.
    """
    bind = sessions.kw["bind"]
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        return sessions
    return sessionmaker(bind.execution_options(**{READ_ONLY: True}), expire_on_commit=False)


def create_database(server_url: str, name: str) -> str | None:
    """A new, empty PostgreSQL database ``name`` on the server of ``server_url`` (one of that
    name is dropped first); its URL, or None when no server answers."""
    admin = create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except OperationalError:
        return None
    finally:
        admin.dispose()
    return (
        make_url(normalise_url(server_url)).set(database=name).render_as_string(hide_password=False)
    )


def drop_database(server_url: str, name: str) -> None:
    """Drop the PostgreSQL database ``name``, even with sessions still open on it."""
    admin = create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()
