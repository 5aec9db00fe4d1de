"""What a failed turn means: wait for the database, stop loudly, or a bug."""

from __future__ import annotations

import errno

import pytest
from sqlalchemy.exc import InternalError, OperationalError

from bot.telegram.faults import Fault, cause, classify
from dialogs.engine import TurnAbandoned


def _operational(message: str) -> OperationalError:
    return OperationalError("INSERT …", {}, Exception(message))


@pytest.mark.parametrize(
    "message",
    [
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused',
        "server closed the connection unexpectedly",
        "terminating connection due to administrator command",
        "database is locked",
    ],
)
def test_a_database_that_does_not_answer_is_waited_for(message: str) -> None:
    assert classify(_operational(message)) is Fault.UNAVAILABLE


@pytest.mark.parametrize(
    "error",
    [
        _operational("attempt to write a readonly database"),
        _operational("database or disk is full"),
        _operational("disk I/O error"),
        _operational('could not extend file "base/16384/2619": No space left on device'),
        InternalError("…", {}, Exception("cannot execute INSERT in a read-only transaction")),
        PermissionError(errno.EPERM, "/var/lib/bot.sqlite3 cannot be written"),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
)
def test_a_database_that_cannot_be_written_is_fatal(error: Exception) -> None:
    assert classify(error) is Fault.FATAL


def test_every_attempt_lost_to_a_lock_is_waited_for_and_a_bug_is_a_bug() -> None:
    assert classify(TurnAbandoned("tg:1")) is Fault.UNAVAILABLE
    assert classify(ValueError("invalid literal for int()")) is Fault.BUG
    assert classify(KeyError("state")) is Fault.BUG


def test_the_cause_names_the_driver_s_error_and_never_a_url() -> None:
    error = _operational("could not connect to postgresql://bot:secret@db/openip: refused")
    assert cause(error) == "Exception: could not connect to refused"
