"""The settings of one ``openip-bot`` invocation: read once (environment, ``.env``, ``*_FILE``)
and shared by everything the command does."""

from __future__ import annotations

from bot.settings import Settings

_current: list[Settings] = []  # this invocation's settings, once read


def begin_invocation(settings: Settings | None) -> None:
    """A new invocation starts (the command line's callback): ``settings`` if
    :func:`bot.cli.main` read them already, else read when first asked for."""
    _current[:] = [settings] if settings is not None else []


def cli_settings() -> Settings:
    """This invocation's settings, read the first time they are asked for."""
    if not _current:
        _current.append(Settings())
    return _current[0]
