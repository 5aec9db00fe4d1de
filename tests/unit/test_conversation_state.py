"""A conversation's state as it is stored between turns: typed button actions, read back from JSON
exactly as they were written; a layout this release does not know starts anew."""

from __future__ import annotations

import json
from typing import get_args

import pytest

from dialogs import actions
from dialogs.actions import (
    Action,
    Answer,
    ChooseMode,
    Clarify,
    Confirm,
    Handoff,
    Help,
    Menu,
    Navigate,
    Page,
    Skip,
    Start,
    Switch,
    TakeBranch,
    Toggle,
    UnknownAction,
    Validate,
)
from dialogs.conversation import SCHEMA, Conversation, Frame, PendingSwitch, Unresolved

EVERY_KIND: list[Action] = [
    Start("cancel_licences"),
    Menu(),
    Help(),
    Switch(leave=True),
    Switch(leave=False),
    ChooseMode("guide"),
    ChooseMode("act"),
    Navigate("back"),
    Navigate("repeat"),
    Navigate("next"),
    Navigate("stop"),
    TakeBranch("dissociate_first"),
    Confirm(),
    Answer("CA-1001"),
    Answer(3),
    Answer(None),
    Toggle("FPC367101"),
    Page(2),
    Validate(),
    Skip(),
    Clarify("je veux résilier", ("cancel_licences", "handoff"), "fr", "cancel_licences"),
    Clarify("hmm", ("data_question",), "en", None),
    Handoff(send=True, text="parler à un humain"),
    Handoff(send=False),
]


def _through_json(data: object) -> object:
    return json.loads(json.dumps(data))


@pytest.mark.parametrize("action", EVERY_KIND, ids=repr)
def test_every_kind_of_button_action_reads_back_from_json_as_it_was(action: Action) -> None:
    stored = _through_json(actions.dump(action))
    assert isinstance(stored, dict)

    assert actions.load(stored) == action


def test_every_kind_of_action_of_the_union_is_stored_by_the_tests() -> None:
    assert {type(a) for a in EVERY_KIND} == set(get_args(Action))


@pytest.mark.parametrize(
    "stored",
    [
        {"k": "teleport"},
        {"k": "nav", "v": "sideways"},
        {"k": "start"},
        {"k": "answer", "v": ["CA-1001"]},
        {"k": "page", "v": "2"},
        {"k": "clarify", "t": "hmm", "o": [], "l": "de", "i": None},
        {},
    ],
    ids=["unknown-kind", "unknown-move", "no-field", "list-value", "text-page", "lang", "empty"],
)
def test_a_stored_action_this_release_does_not_know_is_refused(stored: dict[str, object]) -> None:
    with pytest.raises(UnknownAction):
        actions.load(stored)


def _under_way() -> Conversation:
    caller = Frame(
        "cancel_licences",
        "confirm",
        "act",
        {"client": "CA-1001", "service": "SRV-1001", "licences": ["FPC367101"], "quantity": 1},
        auto=["client", "service"],
        ask_anyway=["licence_type"],
        done=["Le numéro 04 91 00 00 01 a été dissocié de FPC367101"],
        commitment={
            "service": "SRV-1001",
            "licences": {"FPC367101": {"state": "active", "site": "Siège", "sda": None, "v": 3}},
            "extra": {},
        },
        commitment_note="Depuis le récapitulatif précédent : …",
    )
    callee = Frame(
        "dissociate_number",
        "a_number",
        "act",
        {"number": "+33491000001"},
        "dissociate_first",
        selected={"licences": ["FPC367101", "FPC367102"]},
        pages={"number": 1, "licences": 0},
        error={"code": "number_in_use", "number": "04 91 00 00 01"},
        summary_version=0,
    )
    return Conversation(
        lang="en",
        frame=callee,
        stack=[caller],
        actions=EVERY_KIND,
        nonce="n0nce",
        switch=PendingSwitch(
            "add_site",
            "act",
            {"client": "CA-1001"},
            Unresolved("Je ne trouve pas « SRV-9999 » parmi vos services.", ("service",)),
        ),
        outdated=True,
        turn=7,
    )


def test_a_conversation_reads_back_from_json_as_it_was() -> None:
    conversation = _under_way()

    stored = _through_json(conversation.to_dict())
    assert isinstance(stored, dict)

    assert Conversation.from_dict(stored) == conversation
    assert stored["schema"] == SCHEMA


def test_a_frame_stores_only_the_screen_state_it_has() -> None:
    stored = Frame("add_site", "a_name", "act", {"client": "CA-1001"}).to_dict()

    assert stored == {
        "procedure": "add_site",
        "state": "a_name",
        "mode": "act",
        "answers": {"client": "CA-1001"},
        "origin": "",
    }


def test_a_new_chat_has_an_idle_conversation_in_french() -> None:
    stored = _through_json(Conversation().to_dict())
    assert isinstance(stored, dict)

    assert Conversation.from_dict({}) == Conversation(lang="fr")
    assert Conversation.from_dict(stored) == Conversation()


@pytest.mark.parametrize("schema", [None, *range(1, SCHEMA), SCHEMA + 1])
def test_a_conversation_stored_with_another_layout_starts_anew_in_its_language(
    schema: int | None,
) -> None:
    stored = _through_json(_under_way().to_dict())
    assert isinstance(stored, dict)
    stored["schema"] = schema

    assert Conversation.from_dict(stored) == Conversation(lang="en")
