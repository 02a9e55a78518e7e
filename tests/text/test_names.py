"""The known name a person probably meant (postctl.text.names)."""

from __future__ import annotations

from postctl.text.names import near_miss, unknown_name


def test_letters_swapped_win_over_a_letter_changed() -> None:
    assert near_miss("lnit", ["new", "init", "lint"]) == "lint"
    assert near_miss("lnit", ["lint", "init"]) == "lint"


def test_equally_near_names_keep_the_order_given() -> None:
    assert near_miss("tagz", ["tags", "tage"]) == "tags"
    assert near_miss("tagz", ["tage", "tags"]) == "tage"


def test_far_or_short_names_are_not_suggested() -> None:
    assert near_miss("zzzz", ["lint", "list"]) is None
    assert near_miss("nw", ["new"]) is None


def test_the_message_lists_the_valid_names() -> None:
    assert unknown_name("command", "lnit", ["lint", "init"]) == (
        "unknown command 'lnit': did you mean 'lint'? valid: lint, init")
