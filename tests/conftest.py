"""Shared fixtures: demo databases on SQLite (always) and PostgreSQL (when a server answers)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.database import Database, drop_everything, open_database
from domain.access import OPERATOR, Actor
from domain.model import Role

POSTGRES_URL = os.environ.get(
    "OPENIP_BOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ALPHA = Actor("revendeur-alpha", Role.RESELLER, 1)
BETA = Actor("revendeur-beta", Role.RESELLER, 2)
HELPDESK = Actor("helpdesk", Role.HELPDESK)
OPERATOR_ACTOR = OPERATOR


def _postgres_worker_url(worker: str) -> str | None:
    """A database of its own for this xdist worker on the test server, or None if unreachable."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"openip_bot_test_{worker}"
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        return None
    finally:
        admin.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> str:
    url = _postgres_worker_url(worker_id)
    if url is None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and did not answer at {POSTGRES_URL}")
        pytest.skip(f"no PostgreSQL server answers at {POSTGRES_URL}: PostgreSQL tests skipped")
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file holding the demo data, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    db = open_database(f"sqlite:///{path}")
    db.load_demo()
    db.dispose()
    return path


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "test.sqlite3"
    shutil.copy(sqlite_template, path)
    db = open_database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture
def postgres_db(postgres_url: str) -> Iterator[Database]:
    engine = create_engine(postgres_url)
    drop_everything(engine)
    engine.dispose()
    db = open_database(postgres_url)
    db.load_demo()
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Database:
    """The demo database, once on SQLite and once on PostgreSQL."""
    name = "sqlite_db" if request.param == "sqlite" else "postgres_db"
    database: Database = request.getfixturevalue(name)
    return database
