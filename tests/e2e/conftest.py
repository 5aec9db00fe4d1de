"""The real PTB application, polling the fake Bot API in the test's event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.database import Database
from bot.telegram.app import App, TelegramConfig, build_application, polling_options
from bot.telegram.handlers import Handlers, TurnEngine
from domain.access import OPERATOR
from domain.services.users import link_telegram
from tests.e2e.fake_bot_api import TOKEN, FakeBotApi
from tests.e2e.people import Person

ALPHA_TELEGRAM_ID = 1001


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2025, 3, 3, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@dataclass
class Telegram:
    """A running bot and the fake Telegram around it."""

    api: FakeBotApi
    app: App
    handlers: Handlers
    db: Database
    clock: Clock

    async def send(self, *updates: dict[str, Any]) -> None:
        """Deliver updates in one ``getUpdates`` batch and wait until they are all handled."""
        await self.api.push(*updates)
        await self.settle(max(u["update_id"] for u in updates))

    async def settle(self, last_update_id: int) -> None:
        await self.api.polled_past(last_update_id)
        await self.app.update_queue.join()

    async def say(self, person: Person, text: str) -> None:
        await self.send(person.message(text))

    async def press(self, person: Person, pattern: str) -> None:
        await self.send(person.press(pattern))


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def linked_db(sqlite_db: Database) -> Database:
    """The demo database where revendeur-alpha has linked Telegram account 1001."""
    with sqlite_db.uow() as uow:
        link_telegram(uow, OPERATOR, "revendeur-alpha", ALPHA_TELEGRAM_ID)
    return sqlite_db


async def start_bot(
    api: FakeBotApi, db: Database, clock: Clock, engine: TurnEngine | None = None
) -> Telegram:
    """What ``run_polling`` does, step by step, so that the test keeps the event loop."""
    config = TelegramConfig(token=TOKEN, api_url=api.base_url)
    app, handlers = build_application(config, db, clock=clock, engine=engine)
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=5, **polling_options())
    await app.start()
    return Telegram(api, app, handlers, db, clock)


async def stop_bot(bot: Telegram) -> None:
    assert bot.app.updater is not None
    await bot.app.updater.stop()
    await bot.app.stop()
    await bot.app.shutdown()


@pytest.fixture
async def telegram(
    api: FakeBotApi, linked_db: Database, clock: Clock
) -> AsyncIterator[Telegram]:
    bot = await start_bot(api, linked_db, clock)
    yield bot
    await stop_bot(bot)


@pytest.fixture
def alpha(api: FakeBotApi) -> Person:
    return Person(api, ALPHA_TELEGRAM_ID, "Alpha")


@pytest.fixture
def stranger(api: FakeBotApi) -> Person:
    return Person(api, 3003, "Stranger")
