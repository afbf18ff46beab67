"""English words as Chinese text writes them, from the bundled CC-CEDICT read in reverse."""

from __future__ import annotations

import pytest

from assistant.bilingual import renderings


@pytest.mark.parametrize(
    ("word", "chinese"),
    [
        ("transistors", "晶体管"),  # plural
        ("joining", "加入"),  # -ing
        ("families", "家族"),  # -ies
        ("founded", "创立"),  # -ed
        ("equipment", "设备"),
        ("rendering", "渲染"),
    ],
)
def test_an_english_word_is_rendered_through_its_base_form(word: str, chinese: str) -> None:
    assert chinese in renderings(word)


def test_renderings_are_words_never_single_characters_and_at_most_a_dozen() -> None:
    """A single character would match inside unrelated words; the commonest renderings come first."""
    found = renderings("work")
    assert found[0] == "工作"
    assert all(len(w) >= 2 for w in found) and len(found) <= 12
    assert renderings("xqzt") == ()
