"""What each machine transition does is logged only when debugging (it costs CPU per turn)."""

from __future__ import annotations

import io
import logging

import pytest

from bot.logs import configure_logging


@pytest.mark.parametrize(("level", "heard"), [("INFO", False), ("DEBUG", True)])
def test_transitions_info_lines_are_heard_only_when_debugging(level: str, heard: bool) -> None:
    root, transitions = logging.getLogger(), logging.getLogger("transitions")
    before = root.level, transitions.level
    stream = io.StringIO()
    handler = configure_logging(level, stream=stream)
    try:
        logging.getLogger("transitions.core").info("Executed callback")
        logging.getLogger("openip_bot.engine").info("turn")
    finally:
        root.removeHandler(handler)
        root.setLevel(before[0])
        transitions.setLevel(before[1])
    assert ("Executed callback" in stream.getvalue()) is heard
    assert "turn" in stream.getvalue()
