"""« Parler à un humain »: OpenIP's contact, and, when the helpdesk's chat is configured
(``OPENIP_BOT_HELPDESK_CHAT``, see :func:`configure_handoff`) and the user agrees, a summary of
the conversation forwarded to that Telegram chat (through the outbox, in the turn's
transaction: delivered after it commits, at least once)."""

from __future__ import annotations

from dialogs import flow, outbox
from dialogs.actions import Handoff
from dialogs.render import Keyboard, render_menu
from dialogs.reply import Reply
from dialogs.turn import Turn

MAX_TEXT = 500
_helpdesk: list[int | None] = [None]


def helpdesk_chat() -> int | None:
    """Where summaries go; None when forwarding is off."""
    return _helpdesk[0]


def configure_handoff(chat: int | None) -> None:
    """Set the helpdesk's chat, once at start-up, by the edge (``openip-bot run`` reads the
    setting ``OPENIP_BOT_HELPDESK_CHAT`` like every other: environment, ``*_FILE``, ``.env``,
    secrets folder)."""
    _helpdesk[0] = chat


def _back(turn: Turn, lead: str) -> Reply:
    """``lead``, then the question under way, or the menu."""
    if turn.conv.frame is not None:
        return flow.show(turn, prefix=lead + "\n\n")
    return render_menu(turn, "common.menu_after", lead=lead)


def offer(turn: Turn, text: str) -> Reply:
    """The contact; and, if forwarding is on, the question whether to forward a summary."""
    contact = turn.say("talk.handoff.contact")
    telegram = turn.chat_key.startswith(outbox.TELEGRAM)  # a sender runs: `openip-bot run`
    if helpdesk_chat() is None or turn.user.handle is None or not telegram:
        return _back(turn, contact)
    turn.conv.rotate_nonce()
    kb = Keyboard(turn)
    kb.row((turn.say("talk.handoff.send"), Handoff(send=True, text=text[:MAX_TEXT])))
    kb.row((turn.say("talk.handoff.keep"), Handoff(send=False)))
    return kb.reply(contact + "\n\n" + turn.say("talk.handoff.consent"))


def summary(turn: Turn, text: str) -> str:
    """What the helpdesk receives: who, where in which procedure, and what was asked."""
    lines = [
        turn.say(
            "talk.handoff.summary",
            user=turn.user.handle or "—",
            role=turn.user.role.value if turn.user.role else "—",
            chat=turn.chat_key or "—",
            text=text,
        )
    ]
    frames = [f for f in (*turn.conv.stack, turn.conv.frame) if f is not None]
    for frame in frames:
        lines.append(
            turn.say(
                "talk.handoff.procedure",
                procedure=turn.say(f"{frame.procedure}.title"),
                mode=frame.mode or "—",
                step=frame.state,
                answers=", ".join(f"{k} = {v}" for k, v in frame.answers.items()) or "—",
            )
        )
    return "\n".join(lines)


def consented(turn: Turn, action: Handoff) -> list[Reply]:
    """Forward the summary (if the user said yes and forwarding is still on)."""
    from dialogs.reply import Reply as Message

    chat = helpdesk_chat()
    if not action.send or chat is None:
        return [_back(turn, turn.say("talk.handoff.kept"))]
    outbox.enqueue(turn.domain.session, f"tg:{chat}", [Message(summary(turn, action.text))])
    return [_back(turn, turn.say("talk.handoff.sent"))]
