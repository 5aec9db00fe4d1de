"""Bot API faults, a locked database, forged and group updates, through the real PTB stack.

Each test checks the database (the change made once, the update in the ledger) and what the user
was shown, in order: exactly one outcome, never an error message, never a reply ahead of an
earlier one of the same chat.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time

import pytest

from bot.database import Database
from tests.e2e.conftest import Clock, Telegram, start_bot, stop_bot
from tests.e2e.fake_bot_api import FakeBotApi, Fault
from tests.e2e.people import Person
from tests.e2e.walks import DONE, cancellations, handled, to_the_summary

ERROR = "erreur"


def _told(api: FakeBotApi, person: Person, words: str) -> int:
    return sum(words in text for text in api.seen_by(person.chat_id))


async def test_500s_on_the_edit_that_tells_the_result_are_retried_and_it_is_told_once(
    api: FakeBotApi, any_linked_db: Database, clock: Clock, alpha: Person
) -> None:
    telegram = await start_bot(api, any_linked_db, clock)
    try:
        await to_the_summary(telegram, alpha)
        # Telegram made the first edit but its answer was lost; then a plain 500; then it works
        api.inject("editMessageText", Fault(500, applied=True), Fault(500))
        await telegram.press(alpha, "Confirmer")
    finally:
        await stop_bot(telegram)

    assert cancellations(any_linked_db) == 1
    assert _told(api, alpha, DONE) == 1
    assert _told(api, alpha, ERROR) == 0
    assert alpha.texts()[0].startswith("✅")  # the summary became the result, in place
    assert len(api.called("editMessageText")) == len(("mode", "client", "type", "qty", "ok")) + 3


async def test_a_failing_then_slow_reply_arrives_once_and_the_chat_s_next_replies_wait_for_it(
    telegram: Telegram, api: FakeBotApi, alpha: Person
) -> None:
    # 500 first, then an answer after 6 s (more than PTB's default 5 s time-out, which used to
    # add « erreur inattendue » to a message that had been delivered)
    api.inject("sendMessage", Fault(500), Fault(status=0, delay=6))
    await telegram.send(alpha.message("/start"), alpha.message("/aide"))

    welcome, help_text, question = api.seen_by(alpha.chat_id)
    assert welcome.startswith("Bonjour")
    assert "procédures" in help_text
    assert question.startswith("Que voulez-vous faire")
    assert _told(api, alpha, ERROR) == 0
    assert len(api.called("sendMessage")) == 4  # one retry, nothing sent twice


async def test_an_edit_that_can_no_longer_be_made_is_sent_as_a_new_message(
    telegram: Telegram, api: FakeBotApi, alpha: Person
) -> None:
    await telegram.say(alpha, "/start")
    menu = alpha.keyboard()
    del api.messages[(alpha.chat_id, menu["message_id"])]  # the user deleted it
    await telegram.send(alpha.press("Résilier des licences", menu))

    (question,) = alpha.texts()
    assert "Le faire pour moi" in alpha.labels()
    assert question == api.seen_by(alpha.chat_id)[-1]
    assert len(api.called("editMessageText")) == 1  # tried once, refused for good: not retried


async def test_updates_from_groups_and_channels_of_every_kind_are_ignored_without_a_word(
    telegram: Telegram, api: FakeBotApi, alpha: Person, caplog: pytest.LogCaptureFixture
) -> None:
    await telegram.say(alpha, "/start")
    menu = alpha.keyboard()
    group = {"id": -100123, "type": "supergroup", "title": "Forged"}
    in_group = alpha.message("/start")
    in_group["message"]["chat"] = group
    forged_press = alpha.press("Résilier des licences", {**menu, "chat": group})
    channel_post = alpha.message("résilie 2 licences full chez Cabinet Azur")
    channel_post["message"]["chat"] = {"id": -100456, "type": "channel", "title": "News"}
    sent = len(api.called("sendMessage"))

    await telegram.send(in_group, forged_press, channel_post)

    assert len(api.called("sendMessage")) == sent
    assert api.called("editMessageText") == []
    assert api.called("answerCallbackQuery") == []
    assert handled(telegram.db).isdisjoint(
        {u["update_id"] for u in (in_group, forged_press, channel_post)}
    )
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_callback_data_with_digits_that_are_not_ascii_is_an_expired_button(
    telegram: Telegram, api: FakeBotApi, alpha: Person, caplog: pytest.LogCaptureFixture
) -> None:
    await telegram.say(alpha, "/start")
    nonce = alpha.keyboard()["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    forged = alpha.press_data(nonce.split(":")[0] + ":²", alpha.keyboard())  # '²'.isdigit()
    await telegram.send(forged)

    assert "expiré" in alpha.texts()[-2]
    assert len(api.called("answerCallbackQuery")) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_database_locked_for_seven_seconds_delays_the_result_which_is_told_once(
    telegram: Telegram, api: FakeBotApi, alpha: Person
) -> None:
    await to_the_summary(telegram, alpha)
    path = telegram.db.engine.url.database
    assert path is not None
    locked, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(7)
        other.execute("ROLLBACK")
        other.close()

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    try:
        assert await asyncio.to_thread(locked.wait, 60)
        started = time.monotonic()
        press = alpha.press("Confirmer")
        await telegram.send(press)
        print(f"\nresult told {time.monotonic() - started:.1f} s after the press (lock held 7 s)")
    finally:
        release.set()
        holder.join()

    assert cancellations(telegram.db) == 1
    assert _told(api, alpha, DONE) == 1
    assert _told(api, alpha, ERROR) == 0
    assert press["update_id"] in handled(telegram.db)
    assert alpha.texts()[0].startswith("✅")


async def test_a_reply_queued_by_a_process_that_died_is_delivered_by_the_next_one(
    api: FakeBotApi, linked_db: Database, clock: Clock, alpha: Person
) -> None:
    from dialogs import outbox
    from dialogs.reply import Reply

    with linked_db.sessions.begin() as session:  # committed, never sent (the process died)
        outbox.enqueue(session, f"tg:{alpha.chat_id}", [Reply("premier"), Reply("second")])
    telegram = await start_bot(api, linked_db, clock)
    try:
        await api.wait_for(lambda: len(alpha.texts()) == 2, within=60)
        await telegram.say(alpha, "/start")
    finally:
        await stop_bot(telegram)

    first, second, welcome = api.seen_by(alpha.chat_id)
    assert (first, second) == ("premier", "second")
    assert welcome.startswith("Bonjour")


async def test_health_turns_failed_once_the_storage_cannot_be_written(
    telegram: Telegram,
) -> None:
    from bot.cli_telegram import health_of

    report = health_of(telegram.service, telegram.db)
    assert (await asyncio.to_thread(report))["status"] == "ok"
    telegram.service.fail("OperationalError: database or disk is full")

    after = await asyncio.to_thread(report)
    assert after["status"] == "failed"  # the health server answers 503
    assert (after["live"], after["ready"]) == (False, False)
    assert {"name": "storage", "status": "failed",
            "detail": "OperationalError: database or disk is full"} in after["checks"]
    assert telegram.service.stopped.is_set()
