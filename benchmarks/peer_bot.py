"""A peer of the assistant: a plain python-telegram-bot bot walking the same guide.

``python -m benchmarks.peer_bot`` reads the same ``OPENIP_BOT_*`` variables as ``openip-bot run``
(token, Bot API URL, webhook URL, port and secret) and ``PEER_BOT_SCREENS``, a JSON file of the
screens the assistant shows in the cancel-licences guide walk (each a text and rows of button
labels: the menu, the mode question, the nine steps, then "Procédure terminée" and the menu),
recorded from the assistant itself by the turns benchmark, so that both send the same bytes.

It is what a developer would write with PTB's own tools: a ``ConversationHandler`` with one state
per screen, kept by ``PicklePersistence`` (conversation states and chat data survive a restart;
PTB writes them every ``update_interval`` seconds and at shutdown), PTB's defaults otherwise (no
rate limiter, updates handled one after another). /start shows the menu; a press on one of a
screen's buttons is answered, then its message is edited in place with the next screen.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    PicklePersistence,
)

Context = ContextTypes.DEFAULT_TYPE


def load_screens(path: Path) -> list[tuple[str, list[list[str]]]]:
    """The recorded screens: (text, rows of labels)."""
    return [(screen["text"], screen["buttons"]) for screen in json.loads(path.read_text())]


class Walk:
    """The guide walk as states: state ``i`` shows screen ``i``; any of its buttons leads on."""

    def __init__(self, screens: list[tuple[str, list[list[str]]]]) -> None:
        self.screens = screens
        self.last = len(screens) - 1  # the menu again, shown with "Procédure terminée"

    def markup(self, index: int) -> InlineKeyboardMarkup:
        """Screen ``index``'s keyboard; callback data name the screen and the button."""
        rows = self.screens[index][1]
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=f"s{index:02d}:{r}.{c}")
              for c, label in enumerate(row)] for r, row in enumerate(rows)])

    def html(self, index: int) -> str:
        return html.escape(self.screens[index][0], quote=False)

    def following(self, index: int) -> int:
        """The screen after ``index``: the last one (the menu) leads where the first one does."""
        return 1 if index in (0, self.last) else index + 1

    async def start(self, update: Update, context: Context) -> int:
        message = update.effective_message
        if message is None:
            return ConversationHandler.END
        if context.chat_data is not None:
            context.chat_data["walks"] = context.chat_data.get("walks", 0) + 1
        await message.reply_text(self.html(0), parse_mode=ParseMode.HTML,
                                 reply_markup=self.markup(0))
        return 0

    def press(self, index: int) -> Any:
        async def on_press(update: Update, context: Context) -> int:
            query = update.callback_query
            if query is None:
                return index
            await query.answer()
            shown = self.following(index)
            if context.chat_data is not None:
                context.chat_data["step"] = shown
            await query.edit_message_text(self.html(shown), parse_mode=ParseMode.HTML,
                                          reply_markup=self.markup(shown))
            return shown

        return on_press

    def handler(self) -> ConversationHandler[Any]:
        return ConversationHandler(
            entry_points=[CommandHandler("start", self.start)],
            states={index: [CallbackQueryHandler(self.press(index), pattern=f"^s{index:02d}:")]
                    for index in range(len(self.screens))},
            fallbacks=[CommandHandler("start", self.start)],
            allow_reentry=True,
            name="cancel_licences_guide",
            persistent=True,
        )


def main() -> None:
    webhook_url = os.environ["OPENIP_BOT_WEBHOOK_URL"]
    walk = Walk(load_screens(Path(os.environ["PEER_BOT_SCREENS"])))
    persistence = PicklePersistence(Path(os.environ.get("PEER_BOT_STATE", "peer_bot.pickle")))
    app = (Application.builder().token(os.environ["OPENIP_BOT_TOKEN"])
           .base_url(os.environ["OPENIP_BOT_API_URL"]).persistence(persistence).build())
    app.add_handler(walk.handler())
    app.run_webhook(
        listen=os.environ.get("OPENIP_BOT_WEBHOOK_LISTEN", "127.0.0.1"),
        port=int(os.environ["OPENIP_BOT_WEBHOOK_PORT"]),
        url_path=urlsplit(webhook_url).path.strip("/"),
        webhook_url=webhook_url,
        secret_token=os.environ["OPENIP_BOT_WEBHOOK_SECRET"],
        allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY],
    )


if __name__ == "__main__":
    main()
