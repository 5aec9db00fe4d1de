"""Conversation scripts: ``{"say"}``, ``{"press"}``, ``{"expect"}`` lines played against the engine.

A first line ``{"as": HANDLE, "lang": "fr"|"en"}`` may set who speaks (the command line's
``--as``/``--lang`` win over it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dialogs.engine import DialogEngine
from dialogs.events import Press, Text
from dialogs.reply import Button, Reply
from dialogs.turn import UserContext


class ScriptFailure(Exception):
    """A line could not run, or an expectation did not hold."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass
class ChatSession:
    """A chat with the engine as a person would have it: type text, press buttons by label."""

    engine: DialogEngine
    chat_key: str
    user: UserContext
    transcript: list[dict[str, Any]] = field(default_factory=list)
    on_message: Callable[[dict[str, Any]], None] | None = None

    def say(self, text: str) -> list[Reply]:
        self._log({"from": "user", "text": text})
        return self._show(self.engine.handle(self.chat_key, self.user, Text(text)))

    def press(self, pattern: str) -> list[Reply]:
        button = self.find(pattern)
        if button is None:
            raise LookupError(f"no button matches {pattern!r}")
        self._log({"from": "user", "text": f"[{button.label}]"})
        return self._show(self.engine.handle(self.chat_key, self.user, Press(button.token)))

    def press_token(self, token: str, label: str = "?") -> list[Reply]:
        self._log({"from": "user", "text": f"[{label}]"})
        return self._show(self.engine.handle(self.chat_key, self.user, Press(token)))

    def last_keyboard(self) -> Reply | None:
        return next((m for m in reversed(self._replies) if m.buttons), None)

    def last_text(self) -> str:
        return self._replies[-1].text if self._replies else ""

    def find(self, pattern: str) -> Button | None:
        """The button of the last keyboard whose label matches (case-insensitive regex)."""
        keyboard = self.last_keyboard()
        if keyboard is None:
            return None
        regex = re.compile(pattern, re.IGNORECASE)
        buttons = [b for row in keyboard.buttons for b in row]
        exact = [b for b in buttons if b.label.casefold() == pattern.casefold()]
        return exact[0] if exact else next((b for b in buttons if regex.search(b.label)), None)

    def __post_init__(self) -> None:
        self._replies: list[Reply] = []

    def _show(self, replies: list[Reply]) -> list[Reply]:
        for reply in replies:
            self._replies.append(reply)
            self._log({"from": "bot", "text": reply.text, "buttons": reply.labels()})
        return replies

    def _log(self, message: dict[str, Any]) -> None:
        self.transcript.append(message)
        if self.on_message:
            self.on_message(message)


def parse_script(lines: Iterable[str]) -> list[tuple[int, dict[str, Any]]]:
    """The script's steps with their line numbers; blank lines and ``#`` comments are skipped."""
    steps = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        try:
            step = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScriptFailure(number, f"not JSON: {exc.msg}") from exc
        if not isinstance(step, dict):
            raise ScriptFailure(number, "each line must be a JSON object")
        steps.append((number, step))
    return steps


def play(session: ChatSession, steps: list[tuple[int, dict[str, Any]]]) -> None:
    """Run every step; raise :class:`ScriptFailure` at the first that fails."""
    for number, step in steps:
        if "say" in step:
            session.say(str(step["say"]))
        elif "press" in step:
            if session.find(str(step["press"])) is None:
                raise ScriptFailure(number, f"no button matches {step['press']!r}")
            session.press(str(step["press"]))
        elif "expect" in step:
            text = session.last_text()
            if not re.search(str(step["expect"]), text, re.IGNORECASE | re.DOTALL):
                raise ScriptFailure(number, f"expected /{step['expect']}/ in: {text!r}")
        elif "as" in step or "lang" in step:
            continue
        else:
            raise ScriptFailure(number, f"unknown step {step!r}")


def script_options(steps: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    """The ``as``/``lang`` header of a script, if it has one."""
    for _, step in steps[:1]:
        if "as" in step or "lang" in step:
            return step
    return {}
