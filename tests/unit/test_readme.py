"""The README stays true: its diagrams are the machines as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.diagram import draw
from dialogs.procedures import PROCEDURES

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("procedure", sorted(PROCEDURES))
def test_the_readme_shows_the_current_diagram_of_each_procedure(procedure: str) -> None:
    assert str(draw(procedure)).strip() in README.read_text(encoding="utf-8")
