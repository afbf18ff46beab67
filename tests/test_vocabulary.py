"""The domain vocabulary as data: loaded from files, passed explicitly, and recorded in the index it built."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
from conftest import FakeEmbeddings

from assistant import Assistant
from assistant.answer.query import Planner
from assistant.config import Settings
from assistant.entities import default_registry
from assistant.errors import ConfigError
from assistant.facts import extract
from assistant.vocabulary import FILES, Vocabulary, shipped

# An article in the style of an English wire brief, with a metric word the shipped vocabulary does not know.
BRIEF = """---
title: Biren posts its 2024 figures
publisher: Test Wire
published: 2025-04-02
companies: [biren]
---
Biren Technology said its 2024 top line reached RMB 337 million, up from the year before.
"""


def _copy_shipped(folder: Path) -> Path:
    folder.mkdir()
    for name in FILES:
        (folder / name).write_text(resources.files("assistant.data").joinpath(name).read_text("utf-8"), "utf-8")
    return folder


def _with_revenue_word(folder: Path, word: str) -> Vocabulary:
    path = folder / "vocabulary.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  revenue: [", f"  revenue: [{word}, ", 1), encoding="utf-8")
    return Vocabulary.load(folder)


def test_the_shipped_vocabulary_holds_every_role() -> None:
    v = shipped()
    assert v is shipped() and len(v.digest) == 16
    assert "营收" in v.metrics["revenue"] and v.modifier_metrics == {"growth", "qoq"}
    assert v.label("revenue.growth") == "营收增长" and v.label("rd", "en") == "R&D spending"
    assert v.qualifiers("扣非净利润累计亏损") == {"recurring", "cumulative"}
    assert v.qualifier_conflict(v.qualifiers("计划募资多少"), v.qualifiers("实际募得55亿港元")) == "actual"
    assert "存货" in v.attributes["inventory"] and "出货量" in v.chinese_terms("shipments")


def test_a_word_added_to_the_data_changes_what_the_planner_and_ingest_read(tmp_path: Path) -> None:
    custom = _with_revenue_word(_copy_shipped(tmp_path / "vocab"), "top line")
    registry = default_registry()
    question = "What was Biren's top line in 2024?"
    assert Planner(registry, shipped()).analyse(question).metrics == ()
    assert Planner(registry, custom).analyse(question).metrics == ("revenue",)
    sentence = BRIEF.splitlines()[-1]
    assert extract(sentence, registry, shipped(), "biren") == []
    assert [(f.metric, f.period) for f in extract(sentence, registry, custom, "biren")] == [("revenue", "2024")]
    assert custom.digest != shipped().digest


def test_an_index_built_with_another_vocabulary_is_re_enriched(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "biren-2024.md").write_text(BRIEF, encoding="utf-8")
    settings = Settings(store=tmp_path / "store", embedder="fake")
    plain = Assistant(settings, embedder=FakeEmbeddings())
    assert plain.ingest([docs]).ok
    assert plain.store.with_facts(("biren",), ("revenue",)) == []  # no metric word: no fact was read

    custom = _with_revenue_word(_copy_shipped(tmp_path / "vocab"), "top line")
    again = Assistant(settings, embedder=FakeEmbeddings(), vocabulary=custom)
    stored = again.store.with_facts(("biren",), ("revenue",))
    assert again.store.stale == "" and stored, "the chunks were re-enriched with the new word"
    answer = again.ask("What was Biren's top line in 2024?")
    assert not answer.refused and "337" in answer.text


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda folder: (folder / "vocabulary.yaml").write_text("metrics: [unclosed", "utf-8"), "malformed"),
        (lambda folder: (folder / "vocabulary.yaml").write_text("metrics: {}\n", "utf-8"), "malformed"),
        (lambda folder: (folder / "glossary.yaml").unlink(), "has no glossary.yaml"),
    ],
)
def test_a_broken_vocabulary_is_a_clear_error(tmp_path: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    folder = _copy_shipped(tmp_path / "vocab")
    damage(folder)
    with pytest.raises(ConfigError, match=message):
        Vocabulary.load(folder)
    shutil.rmtree(folder)
