"""Prints how much of each procedure's machine the conversation tests went through."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from dialogs.coverage import FIRED, report
    from dialogs.procedures import PROCEDURES

    if not FIRED:
        return
    terminalreporter.section("transition coverage of the procedures (this test run)")
    for pid, fired, declared, missing in report(PROCEDURES):
        terminalreporter.write_line(f"{pid:<22} {fired:>3}/{declared:<3} transitions fired")
        for move in missing:
            terminalreporter.write_line(f"    never fired: {move}")
