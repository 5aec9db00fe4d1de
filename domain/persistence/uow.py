"""The unit of work: one transaction that commits as a whole or not at all (rule 8)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from domain.errors import Conflict


class UnitOfWork:
    """Opens a session on enter; rolls back on exit unless :meth:`commit` succeeded.

    A concurrent change of the same rows (stale version, lock time-out, unique clash) becomes a
    :class:`Conflict` and nothing of this unit of work is kept.
    """

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    def __enter__(self) -> Self:
        self._session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None
        _raise_conflict_for(exc)

    def flush(self) -> None:
        """Send pending changes now, turning concurrency failures into :class:`Conflict`."""
        self._guard(self.session.flush)

    def commit(self) -> None:
        """Commit everything, or raise :class:`Conflict` and keep nothing."""
        self._guard(self.session.commit)

    def rollback(self) -> None:
        """Forget every change of this unit of work."""
        self.session.rollback()

    def _guard(self, action: Callable[[], object]) -> None:
        try:
            action()
        except (StaleDataError, IntegrityError) as exc:
            self.rollback()
            raise Conflict() from exc
        except OperationalError as exc:
            if not _is_lock_failure(exc):
                raise
            self.rollback()
            raise Conflict() from exc


class NestedUnitOfWork(UnitOfWork):
    """A unit of work inside a caller's transaction (a SAVEPOINT).

    Its :meth:`commit` only releases the savepoint: the caller's own commit makes the change
    durable together with whatever else the caller wrote (the dialog engine's conversation state),
    and a failure rolls back to the savepoint without touching the caller's work.
    """

    def __init__(self, session: Session) -> None:
        super().__init__(sessionmaker())
        self._outer = session
        self._savepoint: SessionTransaction | None = None

    def __enter__(self) -> Self:
        self._session = self._outer
        self._savepoint = self._outer.begin_nested()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        self._savepoint = None
        self._session = None
        _raise_conflict_for(exc)

    def commit(self) -> None:
        savepoint = self._savepoint
        if savepoint is None:
            raise RuntimeError("the unit of work is not open")
        self._guard(savepoint.commit)

    def rollback(self) -> None:
        """Back to the savepoint; one a failed flush left inactive is closed too, or the outer
        transaction could not go on (PostgreSQL: ``PendingRollbackError`` at the next query)."""
        savepoint = self._savepoint
        if savepoint is not None and (
            savepoint.is_active or savepoint is self._outer.get_nested_transaction()
        ):
            savepoint.rollback()


def _raise_conflict_for(exc: BaseException | None) -> None:
    """A concurrency failure met outside flush/commit (autoflush, lock wait) is a Conflict too."""
    if isinstance(exc, StaleDataError | IntegrityError) or (
        isinstance(exc, OperationalError) and _is_lock_failure(exc)
    ):
        raise Conflict() from exc


def _is_lock_failure(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return any(s in text for s in ("database is locked", "could not serialize", "deadlock"))


class ReadingUnitOfWork(UnitOfWork):
    """Read-only look-ups in a caller's open session (no transaction of its own)."""

    def __init__(self, session: Session) -> None:
        super().__init__(sessionmaker())
        self._session = session

    def commit(self) -> None:
        raise RuntimeError("a reading unit of work cannot commit")
