"""Alembic's ``upgrade head`` on an empty database gives exactly the tables of the model."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

import dialogs.records  # noqa: F401  (registers the dialog layer's tables)
import domain.persistence.records  # noqa: F401  (registers the domain's bookkeeping tables)
from domain.model import Base
from domain.persistence.database import make_engine
from domain.persistence.migrate import alembic_config, has_schema, upgrade


def differences(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, Base.metadata))


def test_upgrade_head_on_an_empty_database_gives_exactly_the_models_tables(empty_url: str) -> None:
    command.upgrade(alembic_config(empty_url), "head")
    engine = make_engine(empty_url)
    try:
        assert set(inspect(engine).get_table_names()) == {*Base.metadata.tables, "alembic_version"}
        assert differences(engine) == []
    finally:
        engine.dispose()


def test_upgrade_is_idempotent_and_marks_the_schema_as_migrated(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        assert not has_schema(engine)
        upgrade(engine)
        upgrade(engine)
        assert has_schema(engine)
        assert differences(engine) == []
    finally:
        engine.dispose()


def test_the_comparison_sees_every_table_missing_from_an_empty_database(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        added = {diff[1].name for diff in differences(engine) if diff[0] == "add_table"}
        assert added == set(Base.metadata.tables)
    finally:
        engine.dispose()


def test_the_head_constant_names_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    from domain.persistence.migrate import HEAD, alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert script.get_current_head() == HEAD
