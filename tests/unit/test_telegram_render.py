"""Replies as Telegram messages: escaped, split under 4096 characters, keyboard on the last part."""

from __future__ import annotations

import pytest

from bot.telegram.render import MAX_TEXT, keyboard, messages, split_text, to_html, utf16_length
from dialogs.reply import Button, Reply

MENU = Reply("Que voulez-vous faire ?", ((Button("Résilier des licences", "n0nce:0"),),
                                        (Button("Aide", "n0nce:1"), Button("Menu", "n0nce:2"))))


def test_text_is_escaped_for_telegram_html() -> None:
    assert to_html("<b>Cabinet & Fils</b> > 2") == "&lt;b&gt;Cabinet &amp; Fils&lt;/b&gt; &gt; 2"


def test_quotes_and_markdown_characters_are_left_as_they_are() -> None:
    text = "Le site « Agence d'Aix » (*_[x]_*) — \"ok\""
    assert to_html(text) == text


def test_buttons_become_an_inline_keyboard_whose_data_are_the_engine_tokens() -> None:
    markup = keyboard(MENU)
    assert markup is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert rows == [[("Résilier des licences", "n0nce:0")], [("Aide", "n0nce:1"),
                                                            ("Menu", "n0nce:2")]]


def test_a_reply_without_buttons_has_no_keyboard() -> None:
    assert keyboard(Reply("Procédure arrêtée.")) is None


def test_a_token_longer_than_telegram_allows_is_refused() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        keyboard(Reply("x", ((Button("b", "é" * 33),),)))


def test_multi_select_marks_are_kept_in_the_labels() -> None:
    reply = Reply("Quelles licences ?", ((Button("✅ FPC367105", "n:0"),),
                                         (Button("▫️ FPC367106", "n:1"),)), multi_select=True)
    markup = keyboard(reply)
    assert markup is not None
    assert [row[0].text for row in markup.inline_keyboard] == ["✅ FPC367105", "▫️ FPC367106"]


def test_a_short_text_is_one_part() -> None:
    text = "Bonjour !\nQue voulez-vous faire ?"
    assert split_text(text) == [text]


def test_a_long_text_is_cut_at_line_ends_under_the_limit() -> None:
    lines = [f"• FPC{367000 + i} · Licence full · Siège Social" for i in range(300)]
    parts = split_text("\n".join(lines))
    assert len(parts) > 1
    assert all(utf16_length(p) <= MAX_TEXT for p in parts)
    assert "\n".join(parts).split("\n") == lines  # no line cut, none lost


def test_a_paragraph_break_is_preferred_to_a_line_end() -> None:
    text = "a" * 50 + "\n\n" + "b" * 30 + "\n" + "c" * 30
    assert split_text(text, limit=90) == ["a" * 50, "b" * 30 + "\n" + "c" * 30]


def test_a_text_without_spaces_is_cut_hard_at_the_limit() -> None:
    assert split_text("x" * 250, limit=100) == ["x" * 100, "x" * 100, "x" * 50]


def test_the_limit_counts_utf16_units_so_an_emoji_counts_twice() -> None:
    parts = split_text("🤖" * 60, limit=100)
    assert [len(p) for p in parts] == [50, 10]


def test_an_empty_text_still_makes_a_message() -> None:
    assert split_text("  ") == ["…"]


def test_the_keyboard_goes_under_the_last_part_only() -> None:
    long = Reply("ligne\n" * 1500, MENU.buttons)
    parts = messages(long)
    assert len(parts) == 3
    assert [p.markup is not None for p in parts] == [False, False, True]
    assert parts[-1].tokens == {"n0nce:0", "n0nce:1", "n0nce:2"}
