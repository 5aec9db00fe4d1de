"""Real traffic: re-delivered updates, double taps, flood limits, many chats, restarts."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.database import Database
from dialogs.engine import Arrival, DialogEngine
from dialogs.events import Text
from dialogs.reply import Reply
from tests.e2e.conftest import Clock, Telegram, start_bot, stop_bot
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.people import Person
from tests.e2e.walks import TO_THE_SUMMARY, cancellations, to_the_summary


async def test_an_update_delivered_twice_is_handled_once(telegram: Telegram, alpha: Person) -> None:
    await to_the_summary(telegram, alpha)
    confirm = alpha.press("Confirmer")
    await telegram.send(confirm, confirm)

    query_id = confirm["callback_query"]["id"]
    assert len(telegram.api.called("answerCallbackQuery", callback_query_id=query_id)) == 1
    assert cancellations(telegram.db) == 1
    assert sum("C'est fait" in text for text in alpha.texts()) == 1
    assert not any("expiré" in text for text in alpha.texts())  # the engine never saw it again


async def test_a_double_tap_on_confirm_cancels_once_and_keeps_the_result_on_screen(
    telegram: Telegram, alpha: Person
) -> None:
    await to_the_summary(telegram, alpha)
    summary = alpha.keyboard()
    await telegram.send(alpha.press("Confirmer", summary), alpha.press("Confirmer", summary))

    assert cancellations(telegram.db) == 1
    assert len(telegram.api.called("answerCallbackQuery")) == len(TO_THE_SUMMARY) + 2
    result, *rest = alpha.texts()
    assert result.startswith("✅")
    assert "FPC367106, FPC367105" in result
    assert any("expiré" in text for text in rest)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB internal
async def test_a_429_from_telegram_is_waited_out_and_the_message_still_arrives(
    telegram: Telegram, alpha: Person
) -> None:
    telegram.api.throttle["sendMessage"] = 1
    await telegram.say(alpha, "/start")

    assert len(telegram.api.called("sendMessage")) == 2  # refused once, then sent
    assert len(alpha.texts()) == 1
    assert alpha.texts()[0].startswith("Bonjour")


class GatedEngine:
    """The real engine, but a chat's turn can be held at a gate (before any database work)."""

    def __init__(self, engine: DialogEngine) -> None:
        self.engine = engine
        self.gates: dict[str, threading.Event] = {}
        self.seen: list[tuple[str, str]] = []

    def process(self, arrival: Arrival) -> list[Reply] | None:
        event, chat_key = arrival.event, arrival.chat_key
        self.seen.append((chat_key, event.text if isinstance(event, Text) else "press"))
        gate = self.gates.pop(chat_key, None)
        if gate is not None:
            assert gate.wait(10), "the gate was never opened"
        return self.engine.process(arrival)


async def test_two_chats_progress_concurrently_while_each_chat_keeps_its_order(
    api: FakeBotApi, linked_db: Database, clock: Clock, alpha: Person
) -> None:
    engine = GatedEngine(DialogEngine(linked_db.sessions))
    telegram = await start_bot(api, linked_db, clock, engine)
    bob = Person(api, 4004, "Bob")
    gate = engine.gates["tg:1001"] = threading.Event()
    try:
        updates = (
            alpha.message("/start"),
            alpha.message("/aide"),
            alpha.message("/annuler"),
            bob.message("/start"),
            bob.message("/aide"),
        )
        await api.push(*updates)
        for _ in range(500):  # Alpha's first update reaches the engine, and is held there...
            if ("tg:1001", "/start") in engine.seen:
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("Alpha's first update never reached the engine")
        await api.wait_for(lambda: len(bob.texts()) >= 3)  # ...while Bob is served

        assert alpha.texts() == []
        assert [text for chat, text in engine.seen if chat == "tg:1001"] == ["/start"]
        gate.set()
        await telegram.settle(max(u["update_id"] for u in updates))
        assert [text for chat, text in engine.seen if chat == "tg:1001"] == [
            "/start",
            "/aide",
            "/annuler",
        ]
        welcome, help_text, _, stopped = alpha.texts()
        assert welcome.startswith("Bonjour")
        assert "procédures" in help_text
        assert stopped.startswith("Aucune procédure n'est en cours")  # /annuler, answered in order
    finally:
        gate.set()
        await stop_bot(telegram)


async def test_a_conversation_survives_a_restart_and_older_buttons_get_the_expired_answer(
    api: FakeBotApi, linked_db: Database, clock: Clock, alpha: Person
) -> None:
    telegram = await start_bot(api, linked_db, clock)
    await telegram.say(alpha, "/start")
    old_menu = dict(alpha.keyboard())
    await telegram.press(alpha, "Résilier des licences")
    await stop_bot(telegram)

    telegram = await start_bot(api, linked_db, clock)
    try:
        await telegram.send(alpha.press("Ajouter un site .*", old_menu))
        assert "expiré" in alpha.texts()[1]
        assert "Le faire pour moi" in alpha.labels()  # the question under way, shown again
        await telegram.press(alpha, "Le faire pour moi")
        assert "Pour quel client" in alpha.texts()[-1]
    finally:
        await stop_bot(telegram)
