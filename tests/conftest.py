"""Shared fixtures: demo databases on SQLite (always) and PostgreSQL (when a server answers)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from bot.database import Database, drop_everything, open_database
from domain.access import OPERATOR, Actor
from domain.model import Role
from domain.persistence.database import create_database, drop_database

POSTGRES_URL = os.environ.get(
    "OPENIP_BOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ALPHA = Actor("revendeur-alpha", Role.RESELLER, 1)
BETA = Actor("revendeur-beta", Role.RESELLER, 2)
HELPDESK = Actor("helpdesk", Role.HELPDESK)
OPERATOR_ACTOR = OPERATOR


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    """A database of this test run's own (per process and xdist worker), dropped at the end."""
    name = f"openip_bot_test_{worker_id}_{os.getpid()}"
    url = create_database(POSTGRES_URL, name)
    if url is None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and did not answer at {POSTGRES_URL}")
        pytest.skip(f"no PostgreSQL server answers at {POSTGRES_URL}: PostgreSQL tests skipped")
    yield url
    drop_database(POSTGRES_URL, name)


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


@pytest.fixture
def empty_sqlite(tmp_path: Path) -> str:
    """The URL of a SQLite file that does not exist yet."""
    return f"sqlite:///{tmp_path / 'empty.sqlite3'}"


@pytest.fixture
def empty_postgres(postgres_url: str) -> Iterator[str]:
    """A PostgreSQL database of its own, created empty for the test and dropped after it."""
    name = f"{make_url(postgres_url).database}_empty"
    url = create_database(POSTGRES_URL, name)
    assert url is not None
    yield url
    drop_database(POSTGRES_URL, name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest) -> str:
    """An empty database (no schema), once on SQLite and once on PostgreSQL."""
    url: str = request.getfixturevalue(f"empty_{request.param}")
    return url
