"""The terminal edge: an interactive chat, and the replay of conversation scripts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.database import open_database
from bot.replay import ChatSession, ScriptFailure, parse_script, play, script_options
from dialogs.accounts import UnknownUser, user_context
from dialogs.engine import DialogEngine
from dialogs.reply import Reply
from dialogs.texts import Lang


def _session(url: str, handle: str, lang: Lang | None, chat_key: str, *, demo: bool) -> ChatSession:
    database = open_database(url, demo_if_new=demo)
    try:
        user = user_context(database.sessions, handle, lang)
    except UnknownUser:
        print(
            f"unknown user: {handle} (add it with `openip-bot users add`, "
            "or load the demo data with `openip-bot demo`)",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
    return ChatSession(DialogEngine(database.sessions), chat_key, user)


def show(reply: Reply) -> None:
    """Print a reply with its buttons numbered."""
    print(f"\n🤖 {reply.text}")
    number = 1
    for row in reply.buttons:
        cells = []
        for button in row:
            cells.append(f"[{number}] {button.label}")
            number += 1
        print("   " + "   ".join(cells))


def run_chat(url: str, handle: str, lang: Lang | None, *, demo: bool = False) -> None:
    """Read lines from the terminal; a number or a label presses a button of the last keyboard.

    ``demo``: the embedded default database, loaded with the demo data while it is empty."""
    session = _session(url, handle, lang, f"cli:{handle}", demo=demo)
    commands = "/menu, /help, /cancel" if lang == "en" else "/menu, /aide, /annuler"
    print(f"openip-bot — {handle}. {commands}; Ctrl-D to quit.")
    for reply in session.say("/start"):
        show(reply)
    while True:
        try:
            line = input("\n> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if not line:
            continue
        replies = _press_or_say(session, line)
        for reply in replies:
            show(reply)


def _press_or_say(session: ChatSession, line: str) -> list[Reply]:
    """A button's label presses it; so does its number, unless the keyboard's own labels are
    numbers (« 1 », « 2 » at a quantity question): then « 4 » is four, typed, not the 4th button."""
    keyboard = session.last_keyboard()
    buttons = [b for row in keyboard.buttons for b in row] if keyboard else []
    exact = next((b for b in buttons if b.label.casefold() == line.casefold()), None)
    if exact is not None:
        return session.press_token(exact.token, exact.label)
    numbered = not any(b.label.strip().isdigit() for b in buttons)
    if numbered and line.isdigit() and 1 <= int(line) <= len(buttons):
        button = buttons[int(line) - 1]
        return session.press_token(button.token, button.label)
    return session.say(line)


def run_replay(
    script: Path, url: str, handle: str | None, lang: Lang | None, *, demo: bool = False
) -> int:
    """Play a script, printing one JSON object per message; 0 when every line held."""
    try:
        steps = parse_script(script.read_text(encoding="utf-8").splitlines())
    except (OSError, ScriptFailure) as error:
        print(f"{script}: {error}", file=sys.stderr)
        return 2
    options = script_options(steps)
    who = handle or str(options.get("as", "operateur"))
    key = f"replay:{who}:{script.stem}"
    session = _session(url, who, lang or options.get("lang"), key, demo=demo)
    session.on_message = lambda m: print(json.dumps(m, ensure_ascii=False))
    try:
        play(session, steps)
    except ScriptFailure as failure:
        print(f"{script}: {failure}", file=sys.stderr)
        return 1
    return 0
