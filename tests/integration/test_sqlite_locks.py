"""SQLite: a transaction that writes takes the write lock at once; a look-up takes none."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from bot.database import Database
from domain.model import Client
from domain.persistence.database import reading


def write_without_waiting(db: Database) -> None:
    """A write in a connection of its own that gives up at once if the lock is held."""
    connection = sqlite3.connect(str(db.engine.url.database), timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE clients SET name = name WHERE id = 1")
        connection.execute("COMMIT")
    finally:
        connection.close()


def test_a_look_up_under_way_does_not_stop_a_writer(sqlite_db: Database) -> None:
    with reading(sqlite_db.sessions)() as session:
        assert session.scalar(select(func.count()).select_from(Client))
        write_without_waiting(sqlite_db)  # the look-up's transaction is still open


def test_a_transaction_that_may_write_holds_the_lock_from_its_start(sqlite_db: Database) -> None:
    with sqlite_db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Client))
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            write_without_waiting(sqlite_db)
