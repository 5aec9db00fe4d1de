"""A bare python-telegram-bot echo bot: the yardstick of the turns benchmark.

``python -m benchmarks.echo_bot`` reads the same ``OPENIP_BOT_*`` variables as ``openip-bot run``
(token, Bot API URL, webhook URL, port and secret) and serves its webhook with PTB's defaults
(no rate limiter, updates handled one after another). Every update gets the same kind of reply as
the assistant's: a typed message gets a new message with an inline keyboard of six buttons (the
size of the assistant's menu); a pressed button is answered, then its message is edited in place
with a new text and a keyboard of the same size.
"""

from __future__ import annotations

import html
import itertools
import os
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

BUTTONS = 6
FILLER = "Voici ce que vous avez envoyé ; choisissez la suite parmi les boutons ci-dessous."
_replies = itertools.count(1)


def keyboard(reply: int) -> InlineKeyboardMarkup:
    """Six buttons, one a row, whose data look like the assistant's tokens (nonce:index)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"Option {i + 1}", callback_data=f"e{reply:08d}:{i}")]
         for i in range(BUTTONS)])


def text(reply: int, received: str) -> str:
    return html.escape(f"Écho n° {reply} : « {received} ».\n{FILLER}", quote=False)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A typed message: a new message with a keyboard."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    reply = next(_replies)
    await message.reply_text(text(reply, message.text), parse_mode=ParseMode.HTML,
                             reply_markup=keyboard(reply))


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A pressed button: answered first, then its message edited in place."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    reply = next(_replies)
    await query.edit_message_text(text(reply, query.data or ""), parse_mode=ParseMode.HTML,
                                  reply_markup=keyboard(reply))


def main() -> None:
    webhook_url = os.environ["OPENIP_BOT_WEBHOOK_URL"]
    app = (Application.builder().token(os.environ["OPENIP_BOT_TOKEN"])
           .base_url(os.environ["OPENIP_BOT_API_URL"]).build())
    app.add_handler(MessageHandler(filters.TEXT, on_text))
    app.add_handler(CallbackQueryHandler(on_press))
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
