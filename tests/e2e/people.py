"""Telegram users as the fake Bot API sees them: they type text and press inline buttons."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from tests.e2e.fake_bot_api import FakeBotApi

Json = dict[str, Any]


@dataclass
class Person:
    api: FakeBotApi
    telegram_id: int
    first_name: str = "Alice"
    language_code: str = "fr"

    @property
    def chat_id(self) -> int:
        return self.telegram_id  # a private chat has the user's id

    def _user(self) -> Json:
        return {"id": self.telegram_id, "is_bot": False, "first_name": self.first_name,
                "language_code": self.language_code}

    def message(self, text: str, message_id: int | None = None) -> Json:
        """The update of a typed message (``/command`` gets its bot_command entity)."""
        body: Json = {"message_id": message_id or 10_000 + self.api.next_update_id(),
                      "date": int(time.time()), "text": text, "from": self._user(),
                      "chat": {"id": self.chat_id, "type": "private",
                               "first_name": self.first_name}}
        if text.startswith("/"):
            length = len(text.split(" ", 1)[0])
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"update_id": self.api.next_update_id(), "message": body}

    def press(self, pattern: str, message: Json | None = None) -> Json:
        """The update of a press on the button matching ``pattern`` (full match, regex)."""
        message = message or self.keyboard()
        for row in message["reply_markup"]["inline_keyboard"]:
            for button in row:
                if re.fullmatch(pattern, button["text"], re.IGNORECASE):
                    return self.press_data(button["callback_data"], message)
        labels = [b["text"] for r in message["reply_markup"]["inline_keyboard"] for b in r]
        raise LookupError(f"no button {pattern!r} in {labels}")

    def press_data(self, data: str, message: Json) -> Json:
        query = {"id": f"cq{self.api.next_update_id()}", "from": self._user(),
                 "chat_instance": f"ci{self.chat_id}", "data": data, "message": message}
        return {"update_id": self.api.next_update_id(), "callback_query": query}

    def keyboard(self) -> Json:
        """The latest message of the chat that shows buttons."""
        shown = [m for m in self.api.chat(self.chat_id) if m.get("reply_markup")]
        if not shown:
            raise LookupError("no keyboard in the chat")
        return shown[-1]

    def texts(self) -> list[str]:
        return [m["text"] for m in self.api.chat(self.chat_id)]

    def labels(self) -> list[str]:
        return [b["text"] for m in self.api.chat(self.chat_id) if m.get("reply_markup")
                for r in m["reply_markup"]["inline_keyboard"] for b in r]
