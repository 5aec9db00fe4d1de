"""Schema migrations with Alembic, driven from code (``openip-bot db upgrade``).

Alembic is imported only when the schema is behind: a database already at :data:`HEAD` opens
without it (it weighs about 0.1 s of start-up).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from domain.persistence.database import normalise_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0004"  # the newest revision in migrations/versions (a test checks it)
MIGRATION_LOCK = 0x6F70656E6970  # PostgreSQL advisory lock key of migrations ("openip")


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the database at ``url``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None before its first migration."""
    if not has_schema(engine):
        return None
    with engine.connect() as connection:
        revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    return str(revision) if revision is not None else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema of the engine's database to ``revision`` (the latest by default).

    On PostgreSQL the migration holds an advisory lock for its transaction, so that instances
    starting together migrate one after the other: the next ones find the schema at head.
    """
    if revision == "head" and current_revision(engine) == HEAD:
        return
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            if revision == "head" and _revision_of(connection) == HEAD:
                return  # another instance migrated while this one waited
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _revision_of(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    return str(revision) if revision is not None else None


def has_schema(engine: Engine) -> bool:
    """True when the database has been migrated at least once."""
    return inspect(engine).has_table("alembic_version")
