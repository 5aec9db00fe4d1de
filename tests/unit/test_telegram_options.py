"""How the Telegram edge is configured, and how it orders updates, without a network."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Chat, Update, User
from telegram import Message as TgMessage

from bot.telegram.app import SECRET_TOKEN, TelegramConfig, file_url, webhook_options
from bot.telegram.identity import lang_of
from bot.telegram.ordering import PerChatProcessor


def test_telegram_language_codes_become_the_assistant_languages() -> None:
    assert [lang_of(c) for c in ("fr", "fr-CA", "en-GB", "EN", "de", None)] == [
        "fr",
        "fr",
        "en",
        "en",
        None,
        None,
    ]


def test_the_webhook_listens_on_the_path_of_its_public_url_with_the_configured_secret() -> None:
    config = TelegramConfig(
        "t",
        webhook_url="https://bot.example.com/openip/hook",
        webhook_secret="s3cret",
        webhook_port=8443,
    )
    options = webhook_options(config)
    assert options["url_path"] == "openip/hook"
    assert options["secret_token"] == "s3cret"
    assert options["webhook_url"] == "https://bot.example.com/openip/hook"


def test_without_a_configured_secret_every_instance_derives_the_same_one_from_the_token() -> None:
    config = TelegramConfig("123:token", webhook_url="https://bot.example.com/hook")
    first, second = webhook_options(config), webhook_options(config)
    other = webhook_options(TelegramConfig("456:other", webhook_url="https://bot.example.com/h"))
    assert first["secret_token"] == second["secret_token"]  # two instances agree
    assert len(first["secret_token"]) >= 32
    assert SECRET_TOKEN.fullmatch(first["secret_token"])  # Telegram accepts it
    assert "token" not in first["secret_token"]
    assert other["secret_token"] != first["secret_token"]


def test_file_downloads_follow_the_bot_api_base_url() -> None:
    assert file_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"


def _update(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "u", False)
    message = TgMessage(
        update_id,
        None,
        Chat(chat_id, "private"),
        from_user=user,  # type: ignore[arg-type]
        text="x",
    )
    return Update(update_id, message=message)


async def test_one_chat_s_updates_run_in_order_while_another_chat_overtakes_them() -> None:
    processor = PerChatProcessor()
    held, overtaken = asyncio.Event(), asyncio.Event()
    log: list[str] = []

    async def work(name: str, wait: bool = False) -> None:
        if wait:
            await held.wait()
        log.append(name)
        if name == "b1":
            overtaken.set()

    tasks = [
        asyncio.create_task(processor.process_update(_update(1, 7), work("a1", True))),
        asyncio.create_task(processor.process_update(_update(2, 7), work("a2"))),
        asyncio.create_task(processor.process_update(_update(3, 8), work("b1"))),
    ]
    await asyncio.wait_for(overtaken.wait(), 5)  # chat 8 is not held up by chat 7
    held.set()
    await asyncio.gather(*tasks)
    assert log == ["b1", "a1", "a2"]
    assert processor.busy_chats == 0


def test_a_webhook_secret_telegram_would_refuse_is_refused_at_start() -> None:
    config = TelegramConfig(
        "t", webhook_url="https://bot.example.com/hook", webhook_secret="not valid!"
    )
    with pytest.raises(ValueError, match="OPENIP_BOT_WEBHOOK_SECRET"):
        webhook_options(config)


def test_the_flood_limit_follows_the_setting_and_refuses_a_negative_rate() -> None:
    import pytest

    from bot.telegram.app import limiter

    assert limiter(30) is not None
    assert limiter(0) is not None  # no overall limit; 429s are still waited out
    with pytest.raises(ValueError, match="messages per second"):
        limiter(-1)
