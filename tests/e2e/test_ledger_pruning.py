"""The update-id ledger is pruned while the bot runs, not only when it starts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.database import Database
from bot.telegram.app import TelegramConfig
from bot.telegram.runtime import build_service
from dialogs.records import ProcessedUpdate
from domain.model import utcnow
from tests.e2e.fake_bot_api import TOKEN, FakeBotApi
from tests.e2e.instances import eventually


def _ids(db: Database) -> set[int]:
    with db.sessions() as session:
        return set(session.scalars(select(ProcessedUpdate.update_id)))


async def test_old_update_ids_are_forgotten_while_the_bot_runs(
    api: FakeBotApi, sqlite_db: Database
) -> None:
    service = build_service(TelegramConfig(token=TOKEN, api_url=api.base_url), sqlite_db)
    service.prune_every = 0.05
    await service.start(poll_timeout=1)
    try:
        with sqlite_db.sessions.begin() as session:  # after the pruning done at start
            session.add(ProcessedUpdate(update_id=1, at=utcnow() - timedelta(days=8)))
            session.add(ProcessedUpdate(update_id=2, at=utcnow()))
        await eventually(lambda: _ids(sqlite_db) == {2}, "the old update id forgotten")
    finally:
        await service.stop()
