"""The facts explorer over three invented results articles (``tests/fixtures/explorer/``): one company's stated
figures by metric and period, disagreements marked, a comparison across companies, the CSV, and the chart page
whose points link to their table rows. Also how a source's author and descriptive title are shown."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from assistant import Assistant, explorer, sources
from assistant.cli import main
from assistant.ui import facts
from tests.conftest import ingested

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "explorer"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return ingested(FIXTURES, tmp_path_factory.mktemp("explorer") / "store")


def test_a_companys_figures_come_by_metric_then_period_each_with_its_sentence(assistant: Assistant) -> None:
    rows = explorer.fact_rows(assistant.store, "enflame")
    revenue = [(r.period, r.stated, r.source_id) for r in rows if r.metric == "revenue"]
    assert revenue == [
        ("2022", "1.90亿元", "ex01"),
        ("2023", "3.10亿元", "ex01"),
        ("2024", "7.20亿元", "ex01"),
        ("2024", "7.20亿元", "ex02"),
    ]
    assert [r.metric for r in rows].index("net_loss") > [r.metric for r in rows].index("revenue")
    first = rows[0]
    assert first.quote == "据该文，燧原科技2022年营收为1.90亿元。" and first.english() == "RMB 190 million"
    assert all(r.company == "enflame" for r in rows)  # Moore Threads' article never leaks in


def test_values_the_sources_disagree_on_are_marked_and_one_is_preferred(assistant: Assistant) -> None:
    """15.10亿 (news) and 16.30亿 (digest) for the same 2024 net loss: both marked, the news report preferred;
    the two agreeing 2024 revenues are not a conflict."""
    loss = [r for r in explorer.fact_rows(assistant.store, "enflame", ("net_loss",))]
    assert {(r.stated, r.conflict, r.preferred) for r in loss} == {
        ("15.10亿元", True, True),
        ("16.30亿元", True, False),
    }
    revenue = [r for r in explorer.fact_rows(assistant.store, "enflame", ("revenue",)) if r.period == "2024"]
    assert revenue and not any(r.conflict for r in revenue)


def test_the_comparison_gives_each_company_its_figure_for_the_period(assistant: Assistant) -> None:
    rows = explorer.comparison_rows(assistant.store, assistant.registry, "revenue", "2024")
    assert {(r.company, r.stated) for r in rows} == {("enflame", "7.20亿元"), ("moore-threads", "4.40亿元")}
    html = facts.comparison_html(rows, assistant.registry, zh=True)
    assert "燧原科技" in html and "摩尔线程" in html and "据该文，摩尔线程2024年营收为4.40亿元。" in html


def test_the_csv_holds_plain_values_the_figure_as_stated_and_the_quote(assistant: Assistant) -> None:
    table = list(csv.DictReader(io.StringIO(explorer.as_csv(explorer.fact_rows(assistant.store, "enflame")))))
    first = table[0]
    assert (first["period"], first["value"], first["unit"], first["stated"]) == ("2022", "190000000", "CNY", "1.90亿元")
    assert first["quote"] == "据该文，燧原科技2022年营收为1.90亿元。" and first["source_id"] == "ex01"
    assert {row["conflict"] for row in table if row["metric"] == "net_loss"} == {"✓", "≠"}


def test_every_chart_point_links_to_its_table_row(assistant: Assistant) -> None:
    rows = explorer.fact_rows(assistant.store, "enflame")
    page = facts.facts_html(rows, "燧原科技", zh=True)
    assert page.count("<svg") == 1 and 'target="_blank"' not in page.split("<table>")[0]
    for n in range(1, len(rows) + 1):
        assert f'href="#fact-{n}"' in page and f'<tr id="fact-{n}">' in page
    assert "（不一致）" in page or "(不一致)" in page


def test_a_descriptive_title_is_marked_and_an_author_follows_the_publisher(assistant: Assistant) -> None:
    answer = assistant.ask("燧原科技2024年净亏损是多少？")
    by_source = {c.source_id: c for c in answer.citations}
    assert by_source, answer.text
    for c in by_source.values():
        if c.source_id == "ex02":
            assert sources.title_of(c, True) == "燧原科技业绩摘要（描述性标题）" and sources.link_of(c) == ""
            assert c.to_json()["title_kind"] == "descriptive"
        if c.source_id == "ex01":
            assert sources.byline_parts(c, True)[0] == "芯片财经（作者 林晓）"
            assert sources.byline_parts(c, False)[0] == "芯片财经 (by 林晓)"


def test_the_facts_command_prints_the_table_or_the_csv(
    assistant: Assistant, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(assistant.settings.store)
    assert main(["facts", "燧原", "--store", store, "--embedder", "fake", "--metric", "net_loss"]) == 0
    head, columns, *table = capsys.readouterr().out.splitlines()
    assert head.startswith("燧原科技：2个来源数字，来自2个来源") and columns.split()[:3] == ["指标", "期间", "数字"]
    assert len(table) == 2 and all("2024年" in line for line in table)
    assert "15.10亿元" in table[0] and "✓" in table[0] and "16.30亿元" in table[1] and "≠" in table[1]
    assert main(["facts", "enflame", "--store", store, "--embedder", "fake", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(explorer.fact_rows(assistant.store, "enflame"))
    assert main(["facts", "acme", "--store", store, "--embedder", "fake"]) == 2
    assert "Unknown company 'acme'" in capsys.readouterr().err
