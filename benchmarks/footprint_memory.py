"""Footprint benchmark, memory side, in a fresh process: does a turn leave anything behind?

``python -m benchmarks.footprint_memory URL TURNS TRACED`` loads an engine on a database filled by
``benchmarks.footprint``, handles one turn (a button of the saved keyboard) for each of TURNS
distinct stored chats and compares the resident memory before and after; then TRACED more chats
under ``tracemalloc``. Prints one JSON object.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.database import open_database
from dialogs.accounts import user_context
from dialogs.conversation import Conversation
from dialogs.engine import DialogEngine
from dialogs.events import Event, Press
from dialogs.records import ConversationRecord

WARM_UP = 200


def rss_bytes() -> int:
    """The process's resident set size now (Linux), else its peak."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def plan(url: str, count: int) -> list[tuple[str, Event]]:
    """``count`` stored chats mid-procedure, each with a press of its saved keyboard."""
    database = open_database(url, migrate=False)
    with database.sessions() as session:
        rows = session.execute(
            select(ConversationRecord.chat_key, ConversationRecord.data)
            .where(ConversationRecord.chat_key.startswith("tg:"))
            .order_by(ConversationRecord.chat_key)
            .limit(count)
        ).all()
    database.dispose()
    return [(key, Press(_token(data))) for key, data in rows]


def _token(data: dict[str, Any]) -> str:
    actions = data.get("actions", [])
    repeat = {"k": "nav", "v": "repeat"}
    index = actions.index(repeat) if repeat in actions else 0
    return f"{data.get('nonce', '')}:{index}"


def measure(url: str, turns: int, traced: int) -> dict[str, Any]:
    figures: dict[str, Any] = {"rss_after_imports": rss_bytes()}
    database = open_database(url, migrate=False)
    engine = DialogEngine(database.sessions)
    user = user_context(database.sessions, "operateur", None)
    figures["rss_after_engine"] = rss_bytes()
    chats = plan(url, WARM_UP + turns + traced)
    if len(chats) < WARM_UP + turns + traced:
        raise SystemExit(f"only {len(chats)} stored chats, {WARM_UP + turns + traced} needed")
    for key, event in chats[:WARM_UP]:
        engine.handle(key, user, event)
    gc.collect()
    figures["rss_before_turns"] = rss_bytes()
    started = time.perf_counter()
    for key, event in chats[WARM_UP : WARM_UP + turns]:
        engine.handle(key, user, event)
    figures["ms_per_turn"] = (time.perf_counter() - started) * 1000 / turns
    gc.collect()
    figures["rss_after_turns"] = rss_bytes()
    figures["turns"] = turns

    tracemalloc.start(1)
    gc.collect()
    before = tracemalloc.take_snapshot()
    traced_before = tracemalloc.get_traced_memory()[0]
    for key, event in chats[WARM_UP + turns :]:
        engine.handle(key, user, event)
    gc.collect()
    figures["traced_growth"] = tracemalloc.get_traced_memory()[0] - traced_before
    figures["traced_turns"] = traced
    growth = tracemalloc.take_snapshot().compare_to(before, "lineno")
    figures["traced_top"] = [str(stat) for stat in growth[:3]]
    tracemalloc.stop()
    figures["conversations_alive"] = sum(isinstance(o, Conversation) for o in gc.get_objects())
    database.dispose()
    return figures


if __name__ == "__main__":
    url, turns, traced = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(measure(url, turns, traced)))
