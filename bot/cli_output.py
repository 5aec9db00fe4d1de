"""What every command does on a refusal: one line on standard error, a non-zero exit code."""

from __future__ import annotations

from typing import NoReturn

import typer


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``message`` to standard error and end the command with exit ``code``."""
    typer.echo(message, err=True)
    raise typer.Exit(code)
