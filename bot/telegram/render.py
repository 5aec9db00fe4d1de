"""From a channel-neutral reply to Telegram messages: escaped HTML, 4096-character parts."""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from dialogs.reply import Reply

MAX_TEXT = 4096  # Telegram's limit, counted in UTF-16 code units after entity parsing
MAX_CALLBACK_DATA = 64  # bytes
_BREAKS = ("\n\n", "\n", " ")


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message: HTML text, and the keyboard (only on a reply's last part)."""

    html: str
    markup: InlineKeyboardMarkup | None = None
    tokens: frozenset[str] = frozenset()


def messages(reply: Reply) -> list[Outgoing]:
    """The messages that show a reply; its keyboard goes under the last one."""
    parts = split_text(reply.text)
    markup = keyboard(reply)
    tokens = frozenset(b.token for row in reply.buttons for b in row)
    last = len(parts) - 1
    return [
        Outgoing(to_html(part), markup, tokens) if i == last else Outgoing(to_html(part))
        for i, part in enumerate(parts)
    ]


def to_html(text: str) -> str:
    """Plain text made safe for ``parse_mode=HTML`` (``<``, ``>`` and ``&`` escaped)."""
    return html.escape(text, quote=False)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """An inline keyboard whose callback data are the engine's opaque tokens."""
    rows = []
    for row in reply.buttons:
        cells = []
        for button in row:
            if len(button.token.encode()) > MAX_CALLBACK_DATA:
                raise ValueError(f"button token longer than {MAX_CALLBACK_DATA} bytes")
            cells.append(InlineKeyboardButton(button.label, callback_data=button.token))
        if cells:
            rows.append(cells)
    return InlineKeyboardMarkup(rows) if rows else None


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Parts of at most ``limit`` UTF-16 units, cut at a blank line, a line end or a space."""
    text = text.strip() or "…"
    parts: list[str] = []
    while utf16_length(text) > limit:
        fits = _fitting_prefix(text, limit)
        cut = next((i for sep in _BREAKS if (i := text.rfind(sep, 0, fits)) > 0), fits)
        head = text[:cut].rstrip()
        if not head:
            head, cut = text[:fits], fits
        parts.append(head)
        text = text[cut:].lstrip()
    parts.append(text)
    return parts


def _fitting_prefix(text: str, limit: int) -> int:
    """How many characters of ``text`` fit in ``limit`` UTF-16 units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)
