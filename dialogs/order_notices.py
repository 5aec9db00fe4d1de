"""The Telegram message the reseller who placed an order gets when it ends (final, withdrawn,
expired), queued in the outbox in the transaction that ends the order.

It is written in the language of the reseller's chat with the assistant (French by default).
A reseller with no linked Telegram account is not told (the follow-up still shows the order).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dialogs.order_text import notice_text
from dialogs.outbox import enqueue
from dialogs.records import ConversationRecord
from dialogs.reply import Reply
from dialogs.texts import Lang
from domain.views import OrderNotice


def chat_key(telegram_id: int) -> str:
    """A linked user's private chat with the bot (its id is the user's Telegram id)."""
    return f"tg:{telegram_id}"


class TelegramNotices:
    """``domain.services.order_life.OrderNotifier`` through the outbox."""

    def order_ended(self, session: Session, notice: OrderNotice) -> None:
        if notice.telegram_id is None:
            return
        key = chat_key(notice.telegram_id)
        lang = _chat_lang(session, key)
        enqueue(session, key, [Reply(notice_text(lang, notice.order))])


def _chat_lang(session: Session, key: str) -> Lang:
    data = session.scalar(select(ConversationRecord.data).where(ConversationRecord.chat_key == key))
    return "en" if (data or {}).get("lang") == "en" else "fr"


NOTICES = TelegramNotices()
