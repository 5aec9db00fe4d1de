"""From a conversation's state to the reply that shows it, with a token for every button."""

from __future__ import annotations

from dialogs.actions import (
    Action,
    Answer,
    ChooseMode,
    Confirm,
    Help,
    Navigate,
    Page,
    Skip,
    Start,
    TakeBranch,
    Toggle,
    Validate,
)
from dialogs.reply import Button, Reply
from dialogs.spec import Branch
from dialogs.turn import Turn

PAGE_SIZE = 8


class Keyboard:
    """Collects buttons and the action each one stands for (kept server-side, by index)."""

    def __init__(self, turn: Turn) -> None:
        self.turn = turn
        self.rows: list[list[Button]] = []
        self.actions: list[Action] = []

    def button(self, label: str, action: Action) -> Button:
        self.actions.append(action)
        return Button(label, f"{self.turn.conv.nonce}:{len(self.actions) - 1}")

    def row(self, *items: tuple[str, Action]) -> None:
        if items:
            self.rows.append([self.button(label, action) for label, action in items])

    def reply(self, text: str, *, multi: bool = False) -> Reply:
        self.turn.conv.actions = self.actions
        return Reply(text, tuple(tuple(r) for r in self.rows), multi_select=multi)


def menu_keyboard(turn: Turn, kb: Keyboard) -> None:
    """The procedures, one per row, in their menu order."""
    for procedure in sorted(turn.procedures.values(), key=lambda p: p.menu):
        kb.row((turn.say(f"{procedure.id}.title"), Start(procedure.id)))


def render_menu(
    turn: Turn, intro_key: str = "common.menu", *, lead: str = "", **params: object
) -> Reply:
    """The procedures as buttons, under ``lead`` (if any) and the text of ``intro_key``."""
    turn.conv.rotate_nonce()
    kb = Keyboard(turn)
    menu_keyboard(turn, kb)
    kb.row((turn.say("common.buttons.help"), Help()))
    intro = turn.say(intro_key, **params)
    return kb.reply(f"{lead}\n\n{intro}" if lead else intro)


def render(turn: Turn, *, prefix: str = "", keep_nonce: bool = False) -> Reply:
    """The current question, step or summary of the procedure under way (or the menu)."""
    prefix = prefix.lstrip() if prefix.strip() else ""
    if turn.conv.frame is None:
        reply = render_menu(turn)
        return Reply(f"{prefix}{reply.text}", reply.buttons) if prefix else reply
    if not keep_nonce or not turn.conv.nonce:
        turn.conv.rotate_nonce()
    kb = Keyboard(turn)
    state = turn.frame.state
    if state == "mode":
        text = _mode(turn, kb)
    elif state == "confirm":
        text = _confirm(turn, kb)
    elif turn.procedure.ask(state) is not None:
        return _ask(turn, kb, prefix)
    else:
        text = _step(turn, kb)
    return kb.reply(prefix + text)


def _mode(turn: Turn, kb: Keyboard) -> str:
    kb.row(
        (turn.say("common.buttons.guide_me"), ChooseMode("guide")),
        (turn.say("common.buttons.do_it"), ChooseMode("act")),
    )
    kb.row((turn.say("common.buttons.stop"), Navigate("stop")))
    title = turn.say(f"{turn.procedure.id}.title")
    return turn.say("common.ask.mode", procedure=title)


def _branches(turn: Turn, kb: Keyboard, branches: tuple[Branch, ...]) -> None:
    for branch in branches:
        if branch.act_only and not turn.user.may_act:
            continue
        label = turn.say(f"{turn.procedure.id}.branch.{branch.key}")
        kb.row((label, TakeBranch(branch.key)))


def _step(turn: Turn, kb: Keyboard) -> str:
    procedure, state = turn.procedure, turn.frame.state
    step = procedure.step(state)
    if step is None:
        raise RuntimeError(f"{procedure.id} has no step {state}")
    mode = "guide" if state.startswith("g_") else "act"
    text = _step_text(turn, mode, step.name)
    _branches(turn, kb, step.branches)
    back = turn.say("common.buttons.back")
    if mode == "guide":
        main = [f"g_{s.name}" for s in procedure.guide]
        if state in main:
            position = main.index(state) + 1
            text = turn.say("common.step_header", n=position, total=len(main)) + "\n" + text
        nav: list[tuple[str, Action]] = []
        if state != main[0]:
            nav.append((back, Navigate("back")))
        nav.append((turn.say("common.buttons.repeat"), Navigate("repeat")))
        if state in main:
            nav.append((turn.say("common.buttons.next"), Navigate("next")))
        kb.row(*nav)
    else:
        kb.row((back, Navigate("back")))
    kb.row((turn.say("common.buttons.stop"), Navigate("stop")))
    return text


def _step_text(turn: Turn, mode: str, name: str) -> str:
    return turn.say_for_role(f"{turn.procedure.id}.{mode}.{name}", **turn.frame.error)


def _ask(turn: Turn, kb: Keyboard, prefix: str) -> Reply:
    ask = turn.procedure.ask(turn.frame.state)
    assert ask is not None
    question = ask.question
    options = question.choices(turn)
    selected = set(turn.frame.selected.get(ask.name, []))
    page = turn.frame.pages.get(ask.name, 0)
    pages = max(1, -(-len(options) // PAGE_SIZE))
    page = min(page, pages - 1)
    for choice in options[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        if question.multi:
            mark = "✅ " if choice.value in selected else "▫️ "
            kb.row((mark + choice.label, Toggle(choice.value)))
        else:
            kb.row((choice.label, Answer(choice.value)))
    if pages > 1:
        paging: list[tuple[str, Action]] = []
        if page > 0:
            paging.append((turn.say("common.buttons.previous_page"), Page(page - 1)))
        if page < pages - 1:
            paging.append((turn.say("common.buttons.next_page"), Page(page + 1)))
        kb.row(*paging)
    if question.multi:
        kb.row((turn.say("common.buttons.validate"), Validate()))
    if question.optional:
        kb.row((turn.say("common.buttons.skip"), Skip()))
    _branches(turn, kb, ask.branches)
    kb.row(
        (turn.say("common.buttons.back"), Navigate("back")),
        (turn.say("common.buttons.cancel"), Navigate("stop")),
    )
    text = question.prompt(turn)
    if pages > 1:
        text += "\n" + turn.say("common.page", n=page + 1, total=pages)
    return kb.reply(prefix + text, multi=question.multi)


def _confirm(turn: Turn, kb: Keyboard) -> str:
    text = turn.procedure.summary(turn)
    kb.row((turn.say("common.buttons.confirm"), Confirm()))
    kb.row(
        (turn.say("common.buttons.back"), Navigate("back")),
        (turn.say("common.buttons.cancel"), Navigate("stop")),
    )
    return text
