"""The real PTB application, polling the fake Bot API in the test's event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.database import Database
from bot.telegram.app import App, TelegramConfig
from bot.telegram.handlers import Handlers, TurnEngine
from bot.telegram.runtime import Service, build_service
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
    service: Service
    db: Database
    clock: Clock

    @property
    def app(self) -> App:
        return self.service.app

    @property
    def handlers(self) -> Handlers:
        return self.service.handlers

    async def send(self, *updates: dict[str, Any]) -> None:
        """Deliver updates in one ``getUpdates`` batch and wait until they are all handled."""
        await self.api.push(*updates)
        await self.settle(max(u["update_id"] for u in updates))

    async def settle(self, last_update_id: int) -> None:
        """Wait until the updates are acknowledged and every reply is delivered."""
        await self.api.polled_past(last_update_id)
        await asyncio.wait_for(self.service.sender.settled(), 60)

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


def _linked(db: Database) -> Database:
    with db.uow() as uow:
        link_telegram(uow, OPERATOR, "revendeur-alpha", ALPHA_TELEGRAM_ID)
    return db


@pytest.fixture
def linked_db(sqlite_db: Database) -> Database:
    """The demo database where revendeur-alpha has linked Telegram account 1001."""
    return _linked(sqlite_db)


@pytest.fixture
def any_linked_db(db: Database) -> Database:
    """The same, once on SQLite and once on PostgreSQL."""
    return _linked(db)


async def start_bot(
    api: FakeBotApi, db: Database, clock: Clock, engine: TurnEngine | None = None
) -> Telegram:
    """What ``openip-bot run`` does (long polling, the outbox sender), in the test's loop."""
    config = TelegramConfig(token=TOKEN, api_url=api.base_url)
    service = build_service(config, db, clock=clock, engine=engine)
    await service.start(poll_timeout=5)
    return Telegram(api, service, db, clock)


async def stop_bot(bot: Telegram) -> None:
    await bot.service.stop()


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
