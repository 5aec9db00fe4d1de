"""Migrations take a PostgreSQL advisory lock: instances starting together all come up."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from domain.persistence.database import make_engine, normalise_url
from domain.persistence.migrate import HEAD, MIGRATION_LOCK, current_revision

WAIT_SECONDS = 60


def _waiting(connection: object) -> int:
    query = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    return int(connection.execute(query).scalar_one())  # type: ignore[attr-defined]


@pytest.mark.postgres
def test_two_db_upgrades_started_at_once_on_a_fresh_postgresql_both_succeed(
    empty_postgres: str,
) -> None:
    exe = Path(sys.executable).with_name("openip-bot")
    command = [str(exe), "db", "upgrade", "--db", empty_postgres]
    holder = create_engine(normalise_url(empty_postgres), isolation_level="AUTOCOMMIT")
    with holder.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        started = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)
        ]
        deadline = time.monotonic() + WAIT_SECONDS
        while _waiting(connection) < 2 and time.monotonic() < deadline:
            assert all(p.poll() is None for p in started), [p.communicate() for p in started]
            time.sleep(0.1)
        assert _waiting(connection) == 2  # both are at the lock, neither has migrated
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
    holder.dispose()
    outputs = [p.communicate(timeout=WAIT_SECONDS)[0] for p in started]
    assert [p.returncode for p in started] == [0, 0], outputs
    engine = make_engine(empty_postgres)
    assert current_revision(engine) == HEAD
    engine.dispose()
