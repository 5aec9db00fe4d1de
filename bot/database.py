"""Opening the database for an edge: engine, sessions, schema up to date, demo data on demand."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from domain.demo import is_empty, load_demo
from domain.model import Base
from domain.persistence.database import make_engine, make_session_factory
from domain.persistence.migrate import has_schema, upgrade
from domain.persistence.uow import UnitOfWork


class NoDatabase(Exception):
    """A SQLite file that does not exist: reading commands never create one."""


class DemoRefused(Exception):
    """The database already holds data and ``--reset`` was not given."""


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    def is_empty(self) -> bool:
        with self.sessions() as session:
            return is_empty(session)

    def load_demo(self, *, reset: bool = False) -> None:
        """Load the demo data set; refuse a database that holds data unless ``reset``."""
        if reset:
            drop_everything(self.engine)
            upgrade(self.engine)
        elif not self.is_empty():
            raise DemoRefused(str(self.engine.url))
        with self.sessions.begin() as session:
            load_demo(session)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True, demo_if_new: bool = False) -> Database:
    """Connect and bring the schema up to date; ``demo_if_new`` (the embedded default database
    only) loads the demo data into it while it holds nothing."""
    engine = make_engine(url)
    if migrate:
        upgrade(engine)
    db = Database(engine, make_session_factory(engine))
    if demo_if_new and has_schema(engine) and db.is_empty():
        db.load_demo()
    return db


def open_existing(url: str) -> Database:
    """The database as it is (no migration, no demo); :class:`NoDatabase` for a missing file."""
    if sqlite_file_missing(url):
        raise NoDatabase(make_url(url).database or url)
    return open_database(url, migrate=False)


def sqlite_file_missing(url: str) -> bool:
    """True for a SQLite URL whose file does not exist (connecting would create it)."""
    parsed = make_url(url)
    path = parsed.database
    return (
        parsed.get_backend_name() == "sqlite"
        and bool(path)
        and path != ":memory:"
        and not Path(path or "").expanduser().is_file()
    )


def drop_everything(engine: Engine) -> None:
    """Drop every table of the project, and Alembic's own."""
    import dialogs.records  # noqa: F401  (registers the dialog layer's tables)
    import domain.persistence.records  # noqa: F401  (registers the domain's bookkeeping tables)

    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
