"""One list of procedures, and everything a procedure needs besides its module is there.

The registry (``dialogs.procedures.PROCEDURES``) is the only list: the menu shows what it holds,
in its order. A procedure also needs its texts in both languages, labelled utterances the
understanding learned from, and its diagram in the README (the README's « Adding a procedure »):
:func:`missing_pieces` says which of them are missing, by name, so a forgotten one fails loudly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import pytest

from bot.diagram import draw
from dialogs.conversation import Conversation
from dialogs.procedures import PROCEDURES, RegistryError, registry
from dialogs.questions.common import ClientQuestion
from dialogs.render import render_menu
from dialogs.spec import Ask, Branch, Outcome, Procedure, Step
from dialogs.texts import LANGS, catalogue
from dialogs.turn import Turn, UserContext
from dialogs.understanding.model import shipped
from dialogs.understanding.recogniser import CONVERSATION, OUT_OF_SCOPE
from domain.model import Role
from domain.persistence.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
UTTERANCES = ROOT / "dialogs" / "understanding" / "data" / "utterances.jsonl"
ROLES = (*(role.value for role in Role), "unlinked")  # the per-role variants of a step's text


def _texts_needed(procedure: Procedure) -> list[tuple[str, ...]]:
    """The texts the procedure's screens ask for; each entry is satisfied by any of its keys."""
    pid = procedure.id
    needed: list[tuple[str, ...]] = [(f"{pid}.title",)]
    steps = [("guide", s) for s in (*procedure.guide, *procedure.guide_extra)]
    steps += [("act", s) for s in procedure.act_extra]
    for mode, step in steps:
        base = f"{pid}.{mode}.{step.name}"
        needed += [(base, f"{base}_{role}") for role in ROLES]
    branches = [b for _, s in steps for b in s.branches]
    branches += [b for a in procedure.act for b in a.branches]
    needed += [(f"{pid}.branch.{b.key}",) for b in branches]
    needed += [(a.question.prompt_key,) for a in procedure.act if a.question.prompt_key]
    return needed


def _labelled() -> dict[str, set[str]]:
    """The splits (train, test) each intent has labelled utterances in."""
    found: dict[str, set[str]] = {}
    for line in UTTERANCES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            found.setdefault(str(record.get("intent")), set()).add(str(record["split"]))
    return found


def missing_pieces(procedure: Procedure) -> list[str]:
    """What the procedure lacks besides its module, one line per piece, naming it."""
    missing: list[str] = []
    for lang in LANGS:
        texts = catalogue(lang)
        absent = {keys[0] for keys in _texts_needed(procedure) if not set(keys) & set(texts)}
        if absent:
            missing.append(f"texts ({lang}, dialogs/texts/{lang}/): {', '.join(sorted(absent))}")
    splits = _labelled().get(procedure.id, set())
    for split in ("train", "test"):
        if split not in splits:
            missing.append(f"utterances: none labelled {procedure.id!r} in the {split} split")
    if procedure.id not in shipped()[0].labels:
        missing.append(
            f"understanding: {procedure.id!r} is not a label of the model "
            "(python -m dialogs.understanding.training)"
        )
    if str(draw(procedure.id)).strip() not in README.read_text(encoding="utf-8"):
        missing.append(f"README: no current diagram (openip-bot diagram {procedure.id})")
    return missing


@pytest.mark.parametrize("procedure_id", list(PROCEDURES))
def test_every_procedure_has_its_texts_utterances_and_diagram(procedure_id: str) -> None:
    assert missing_pieces(PROCEDURES[procedure_id]) == []


def test_every_procedure_the_understanding_learned_is_registered() -> None:
    labels = set(shipped()[0].labels) - {OUT_OF_SCOPE, *CONVERSATION}
    assert labels == set(PROCEDURES)


def test_the_registry_is_in_menu_order() -> None:
    assert [p.menu for p in PROCEDURES.values()] == sorted(p.menu for p in PROCEDURES.values())
    assert list(PROCEDURES)[:2] == ["cancel_licences", "cancel_starter_pack"]


def _sixth(menu: int = 7) -> Procedure:
    return Procedure(
        id="rename_site",
        menu=menu,
        guide=(Step("sites", branches=(Branch("no_site", to="g_no_site"),)), Step("rename")),
        guide_extra=(Step("no_site", back_to="g_sites"),),
        act=(Ask("client", ClientQuestion()),),
        summary=lambda turn: "",
        perform=lambda turn: Outcome(""),
    )


def test_a_sixth_procedure_registered_without_its_pieces_fails_naming_each_of_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(PROCEDURES, "rename_site", _sixth())
    missing = missing_pieces(PROCEDURES["rename_site"])
    texts = (
        "rename_site.branch.no_site, rename_site.guide.no_site, rename_site.guide.rename, "
        "rename_site.guide.sites, rename_site.title"
    )
    assert missing == [
        f"texts (fr, dialogs/texts/fr/): {texts}",
        f"texts (en, dialogs/texts/en/): {texts}",
        "utterances: none labelled 'rename_site' in the train split",
        "utterances: none labelled 'rename_site' in the test split",
        "understanding: 'rename_site' is not a label of the model "
        "(python -m dialogs.understanding.training)",
        "README: no current diagram (openip-bot diagram rename_site)",
    ]


def test_a_text_missing_in_one_language_only_is_named_with_that_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(catalogue("en"), "add_site.title")
    assert missing_pieces(PROCEDURES["add_site"]) == [
        "texts (en, dialogs/texts/en/): add_site.title"
    ]


def test_a_sixth_procedure_shows_in_the_menu_at_its_place_without_any_other_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(PROCEDURES, "rename_site", _sixth(menu=0))  # before the others
    monkeypatch.setitem(catalogue("fr"), "rename_site.title", "Renommer un site")
    conversation = Conversation()
    turn = Turn(conversation, UserContext(lang_hint="fr"), cast(UnitOfWork, None), PROCEDURES)
    labels = [row[0].label for row in render_menu(turn).buttons]
    titles = [catalogue("fr")[f"{pid}.title"] for pid in PROCEDURES if pid != "rename_site"]
    assert labels[:-1] == ["Renommer un site", *titles]


def test_two_procedures_in_one_place_of_the_menu_are_refused_at_start() -> None:
    with pytest.raises(RegistryError, match="'rename_site' and 'add_site' both take place 5"):
        registry([*PROCEDURES.values(), _sixth(menu=5)])

