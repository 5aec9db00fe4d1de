"""The procedures of the fiches, one module each; every module exposes ``PROCEDURE``.

:data:`PROCEDURES` is the one list of procedures, in menu order: the menu, the engine, the
diagrams and the tests read it. A module added here is found on its own; what else a procedure
needs (its texts, its labelled utterances, its diagram in the README) is listed in the README's
« Adding a procedure » and checked by ``tests/unit/test_procedure_registry.py``.
"""

from __future__ import annotations

import importlib
import pkgutil

from dialogs.spec import Procedure


class RegistryError(Exception):
    """Two procedures share an id or a place in the menu."""


def registry(procedures: list[Procedure]) -> dict[str, Procedure]:
    """The procedures by id, in menu order; :class:`RegistryError` when ids or places clash."""
    by_id: dict[str, Procedure] = {}
    places: dict[int, str] = {}
    for procedure in procedures:
        if procedure.id in by_id:
            raise RegistryError(f"two procedures are named {procedure.id!r}")
        if procedure.menu in places:
            raise RegistryError(
                f"{procedure.id!r} and {places[procedure.menu]!r} both take place "
                f"{procedure.menu} of the menu"
            )
        by_id[procedure.id], places[procedure.menu] = procedure, procedure.id
    return dict(sorted(by_id.items(), key=lambda item: item[1].menu))


def _discover() -> list[Procedure]:
    found: list[Procedure] = []
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_"):
            continue
        procedure = getattr(importlib.import_module(f"{__name__}.{module.name}"), "PROCEDURE", None)
        if isinstance(procedure, Procedure):
            found.append(procedure)
    return found


PROCEDURES: dict[str, Procedure] = registry(_discover())
