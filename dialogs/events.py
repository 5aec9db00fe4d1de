"""What an edge hands to the engine: a typed message or a pressed button."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Press:
    token: str


Event = Text | Press
