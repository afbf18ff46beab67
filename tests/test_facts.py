"""Facts read from sentences, conflicts between sources, and the grounding check."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.calculator import ops
from assistant.conflicts import SourcedFact, consistent, find_conflicts
from assistant.entities import default_registry
from assistant.facts import decode, encode, extract
from assistant.numbers import parse_quantities
from assistant.types import Citation, Hit
from assistant.verify import verify
from assistant.vocabulary import shipped
from tests.conftest import make_assistant

VOCABULARY = shipped()


def one(text: str):  # type: ignore[no-untyped-def]
    found = parse_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "default", "expected"),
    [
        ("据该文，壁仞科技2025年上半年净亏损为16.01亿元。", "", ("biren", "net_loss", "2025H1", "16.01亿元")),
        ("寒武纪2024年营业收入同比增长65.56%。", "", ("cambricon", "revenue.growth", "2024", "65.56%")),
        (
            "摩尔线程2022年至2025年前三季度的累计营收为13.93亿元。",
            "",
            ("moore-threads", "revenue", "2022–2025-9M", "13.93亿元"),
        ),
        ("Cambricon's 2024 net profit was -4.52亿 yuan.", "", ("cambricon", "net_loss", "2024", "-4.52亿 yuan")),
        ("公司2024年研发开支为8.27亿元。", "biren", ("biren", "rd", "2024", "8.27亿元")),
        ("沐曦股份的发行价为104.66元/股。", "", ("metax", "offer_price", "", "104.66元/股")),
        ("BR100 delivers 1,024 TFLOPS of BF16 performance.", "biren", ("biren", "performance", "", "1,024 TFLOPS")),
    ],
)
def test_a_figure_is_attached_to_its_company_metric_and_period(
    sentence: str, default: str, expected: tuple[str, str, str, str]
) -> None:
    facts = extract(sentence, default_registry(), VOCABULARY, default)
    found = [(f.company, f.metric, f.period, f.quantity.text) for f in facts]
    assert expected in found


def test_a_percentage_is_not_read_as_revenue_and_model_and_format_tell_figures_apart() -> None:
    facts = extract("壁仞科技2022年研发开支为10.18亿元，占当年经营开支的79.8%。", default_registry(), VOCABULARY)
    assert [(f.metric, f.quantity.text) for f in facts] == [("rd", "10.18亿元")]
    chip = extract("据快科技，壁仞科技BR100芯片的BF16算力为512 TFLOPS。", default_registry(), VOCABULARY)
    assert chip[0].detail == "br100 bf16"
    assert extract("扣非净亏损为8.65亿元。", default_registry(), VOCABULARY, "cambricon")[0].detail == "扣非"


def test_facts_survive_the_stored_form() -> None:
    facts = extract("壁仞科技此次港股发行预计募资42.1亿至48.5亿港元。", default_registry(), VOCABULARY)

    def shape(f):  # type: ignore[no-untyped-def]
        return f.key, f.start, f.end, f.quantity.value, f.quantity.high, f.quantity.text

    assert [shape(f) for f in decode(encode(facts))] == [shape(f) for f in facts]
    assert facts[0].quantity.is_range and facts[0].quantity.high == Decimal("4.85e9")


def _sourced(sentence: str, source: str, published: str, reliability: str = "news") -> SourcedFact:
    meta = {"source_id": source, "published": published, "reliability": reliability, "publisher": source, "start": 0}
    fact = extract(sentence, default_registry(), VOCABULARY)[0]
    return SourcedFact(fact, Hit(f"{source}:0", source, sentence, meta))


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("2,822.52亿元", "2,823亿元", True),
        ("425.26%", "425.46%", False),
        ("超过63亿元", "63.57亿元", True),
        ("超过63亿元", "60亿元", False),
        ("42.1亿-48.5亿港元", "45亿港元", True),
        ("14.92亿元", "16.18亿元", False),
        ("约80亿元", "79.996亿元", True),
    ],
)
def test_figures_agree_when_rounding_ranges_or_qualifiers_allow(a: str, b: str, agree: bool) -> None:
    assert consistent(one(a), one(b)) is agree


def test_conflicting_sources_are_grouped_with_the_primary_source_preferred() -> None:
    facts = [
        _sourced("摩尔线程2024年净亏损为14.92亿元。", "s1", "2025-11-25"),
        _sourced("摩尔线程2024年净亏损为16.18亿元。", "s2", "2025-12-03", "digest"),
        _sourced("摩尔线程2024年净亏损为16.18亿元。", "s3", "2026-02-28"),
        _sourced("摩尔线程2024年营收为4.38亿元。", "s1", "2025-11-25"),
    ]
    [conflict] = find_conflicts(facts)
    assert (conflict.company, conflict.metric, conflict.period) == ("moore-threads", "net_loss", "2024")
    assert [v.source_id for v in conflict.values] == ["s3", "s1"]
    assert conflict.reason == "recent" and conflict.agreeing == (("s3", "s2"), ("s1",))
    primary = find_conflicts([*facts[:2], _sourced("摩尔线程2024年净亏损为15.00亿元。", "p", "2025-01-01", "primary")])
    assert primary[0].preferred.source_id == "p" and primary[0].reason == "primary"


def test_a_republished_copy_is_not_newer_and_not_a_second_source() -> None:
    """A later 转载 copy does not outrank the original it copies, and agreeing with it adds no second source."""
    original = _sourced("摩尔线程2024年净亏损为14.92亿元。", "orig", "2025-11-25")
    copy = _sourced("摩尔线程2024年净亏损为14.92亿元。", "copy", "2026-03-01")
    copy.hit.metadata["publisher"] = "某网站（转载）"
    other = _sourced("摩尔线程2024年净亏损为16.18亿元。", "other", "2025-12-01")
    [conflict] = find_conflicts([copy, original, other])
    assert conflict.agreeing[[v.source_id for v in conflict.values].index("orig")] == ("orig",)
    assert [v.source_id for v in conflict.values] == ["other", "orig"]  # the copy's later date does not count


def _citation(n: int, quote: str) -> Citation:
    return Citation(n, "d", "d:0", "title", "publisher", "", "2025-01-01", None, quote)


def test_the_grounding_check_accepts_cited_figures_in_any_notation() -> None:
    quote = "壁仞科技此次港股发行预计募资42.1亿至48.5亿港元。"
    text = "Biren planned to raise HK$4.21–4.85 billion (4,210,000,000–4,850,000,000 HKD) [1]"
    result = verify(text, [_citation(1, quote)])
    assert result.ok and result.checked == 2


def test_the_grounding_check_flags_a_figure_no_cited_source_states() -> None:
    quote = "壁仞科技2024年营收为3.37亿元。"
    result = verify("壁仞科技2024年营收为3.37亿元，净亏损15.38亿元[1]\n另有5亿元订单", [_citation(1, quote)])
    assert result.unsupported == ["15.38亿元", "5亿元"]
    assert not verify("营收为3.37亿元[2]", [_citation(1, quote)]).ok  # cited, but by a citation that is not there


def test_the_grounding_check_accepts_this_turns_working_and_the_questions_figures() -> None:
    calc = ops.proceeds(one("7000万股"), one("114.28元/股"))
    text = "7000万股 × 114.28元 = 79.996亿元\n约80.0亿元\n约81亿元"
    assert verify(text, [], [calc]).unsupported == ["约81亿元"]  # 80.0 is 79.996 written to one decimal
    assert verify("按0.92的汇率", [], [], question="按1港元兑0.92元").ok


def test_every_answer_over_the_test_briefs_passes_the_grounding_check(assistant) -> None:  # type: ignore[no-untyped-def]
    for question in ("壁仞科技2024年营收是多少？", "壁仞研发是营收的几倍？", "What was Cambricon's 2024 net loss?"):
        answer = assistant.ask(question)
        assert answer.verification is not None and answer.verification.ok, (question, answer.text)
        assert answer.to_json()["verification"]["figures_checked"] >= 1


def test_an_older_index_without_facts_is_rebuilt_with_them(tmp_path: Path, docs: Path) -> None:
    """An index an older schema built is re-ingested on open (its facts and tokens would be stale), not used."""
    from assistant.store import SCHEMA

    a = make_assistant(tmp_path / "s")
    a.ingest([docs])
    count = a.store.count()
    a.store._set_meta(schema="1")
    reopened = make_assistant(tmp_path / "s")
    assert reopened.store.count() == count and (reopened.store._collection.metadata or {})["schema"] == SCHEMA
    assert any(m.get("facts") for m in reopened.store._collection.get()["metadatas"])
    from assistant import Assistant, Settings
    from assistant.embeddings import FakeEmbeddings

    rebuilt = Assistant(Settings(store=tmp_path / "s", embedder="fake"), embedder=FakeEmbeddings(), rebuild=True)
    assert rebuilt.store.count() == 0
