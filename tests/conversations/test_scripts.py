"""Every conversation script in this folder, played through the engine on the demo data."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.database import Database
from bot.replay import ChatSession, parse_script, play, script_options
from dialogs.accounts import user_context
from dialogs.engine import DialogEngine

SCRIPTS = sorted(Path(__file__).parent.glob("*.jsonl"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_the_conversation_script_runs_to_its_end(script: Path, sqlite_db: Database) -> None:
    steps = parse_script(script.read_text(encoding="utf-8").splitlines())
    options = script_options(steps)
    user = user_context(
        sqlite_db.sessions, str(options.get("as", "operateur")), options.get("lang")
    )
    session = ChatSession(DialogEngine(sqlite_db.sessions), f"test:{script.stem}", user)
    play(session, steps)
