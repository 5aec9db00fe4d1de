"""Alembic environment: uses the connection handed over by ``migrate.upgrade`` when there is one.

The schema is one metadata, gathered here from every layer that owns tables: the domain's model
and bookkeeping tables, and the dialog layer's (conversations, dialog events, the outbox, the
update ledger). The one place in ``domain/`` that reads ``dialogs/``: it describes the whole
application's database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import dialogs.records  # noqa: F401  (registers the dialog layer's tables)
import domain.persistence.records  # noqa: F401  (registers the domain's bookkeeping tables)
from domain.model import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
