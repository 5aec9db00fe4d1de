"""Channel-neutral replies: text, rows of buttons, multi-select state; each edge renders them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    """A button: its label and the opaque token the edge sends back when it is pressed."""

    label: str
    token: str


@dataclass(frozen=True)
class Reply:
    """One message of the assistant."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    multi_select: bool = False
    edit: bool = False  # the edge may edit the message that carried the pressed button
    changed: bool = field(default=False, compare=False)  # a change was made: "typing…" is apt

    def labels(self) -> list[list[str]]:
        return [[b.label for b in row] for row in self.buttons]

    def find(self, label: str) -> Button | None:
        """The button whose label is ``label`` (case-insensitive), if any."""
        wanted = label.strip().casefold()
        for row in self.buttons:
            for button in row:
                if button.label.casefold() == wanted:
                    return button
        return None
