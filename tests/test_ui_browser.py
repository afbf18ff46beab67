"""The chat UI as a person uses it: Debian's headless Chromium driven by Playwright against Gradio on loopback.

Screenshots are written to ``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant.ui import create_app
from tests.servers import free_port

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    ),
]
pytest.importorskip("gradio", reason="the [ui] extra is not installed")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the [dev] extra) is not installed")


@pytest.fixture
def url(assistant: Assistant) -> Iterator[str]:
    """The UI over the three small briefs, served on a free loopback port."""
    demo = create_app(assistant)
    demo.launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True)
    yield str(demo.local_url)
    demo.close()


@pytest.fixture
def page(url: str) -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        sync_api.expect.set_options(timeout=30_000)  # a loaded 2-core machine can take seconds per answer
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(url)
        yield page
        browser.close()
    elsewhere = [u for u in requested if not u.startswith((url, "data:", "blob:"))]
    assert elsewhere == [], "the page fetched from outside the app"


def test_ask_see_cited_answer_sources_and_expand_the_calculation(page: Any) -> None:
    expect = sync_api.expect
    expect(page.locator("#ga-footer")).to_contain_text("3 篇文档 documents")
    page.locator("#ga-question textarea").fill("壁仞研发支出是营收的几倍？")
    page.keyboard.press("Enter")

    chat = page.locator("#ga-chat")
    expect(chat).to_contain_text("8.27亿元 ÷ 3.37亿元 = 2.45倍")
    expect(chat).to_contain_text("[1]")
    sources = page.locator("#ga-sources")
    expect(sources.locator("li.ga-source")).to_have_count(1)  # one entry per document, both quotes under it
    expect(sources.locator("blockquote.ga-quote")).to_have_count(2)
    expect(sources.locator("mark").first).to_have_text("8.27亿元")
    expect(sources).to_contain_text("测试日报")
    expect(sources.locator('a[href="https://example.test/biren"]').first).to_be_visible()

    question = page.locator("#ga-question textarea")
    expect(question).to_be_editable()  # the turn is over: the chat will not be re-rendered under the click
    step = chat.get_by_text("∑ 计算过程：倍数 = 前者 ÷ 后者")
    working = chat.locator("strong", has_text="算式")
    expect(step).to_be_visible()
    expect(working).to_be_hidden()  # "done" steps start collapsed
    step.click()
    expect(working).to_be_visible()
    expect(chat).to_contain_text("壁仞科技 研发 2024年: 8.27亿元 [1]")
    page.wait_for_timeout(500)  # let the accordion finish opening before the picture

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui.png"), full_page=True)


def test_an_example_about_something_not_in_the_corpus(page: Any) -> None:
    expect = sync_api.expect
    page.get_by_text("登临科技估值（语料中没有）").click()
    expect(page.locator("#ga-chat")).to_contain_text("∅ 语料库中没有答案")
    expect(page.locator("#ga-sources")).to_contain_text("没有给出任何数字")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-refusal.png"), full_page=True)


@pytest.mark.parametrize("width", [1440, 390])
def test_the_facts_tab_charts_a_companys_figures_and_a_point_opens_its_quote(page: Any, width: int) -> None:
    """The Facts tab shows 壁仞科技's stated figures (the default company) as a chart; clicking a point lands on
    its table row, which holds the quoted sentence and its source."""
    expect = sync_api.expect
    page.set_viewport_size({"width": width, "height": 1000})
    page.get_by_role("tab", name="数据 · Facts").click()
    pane = page.locator("#ga-facts")
    expect(pane.locator("svg")).to_have_count(1)
    point = pane.locator('a[href="#fact-1"]')
    expect(point).to_have_count(1)
    point.dispatch_event("click")  # markers of equal values overlap: click this one, not the one drawn on top
    row = pane.locator("tr#fact-1")
    expect(row).to_contain_text("“")
    assert page.evaluate("location.hash") == "#fact-1"
    assert page.evaluate("getComputedStyle(document.getElementById('fact-1')).backgroundColor") == "rgb(255, 244, 194)"
    row.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ui-facts-{width}.png"), full_page=False)


AXE = Path(__file__).resolve().parent / ".node" / "node_modules" / "axe-core" / "axe.min.js"


def _axe_violations(page: Any, record: str = "") -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (every violation, of any impact, is
    written to ``tests/artifacts/axe-<record>.json`` when ``record`` names the view)."""
    if not AXE.exists():
        if os.environ.get("ASSISTANT_REQUIRE_AXE"):
            pytest.fail(f"axe-core is missing at {AXE}: npm install --prefix tests/.node axe-core@4")
        pytest.skip("axe-core not installed (npm install --prefix tests/.node axe-core@4)")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document)).violations.map(v => ({id: v.id, impact: v.impact, "
        "nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    if record:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"axe-{record}.json").write_text(json.dumps(found, indent=1, ensure_ascii=False), "utf-8")
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", [1440, 390])
def test_no_serious_accessibility_violations_after_an_answer_and_on_the_facts_tab(page: Any, width: int) -> None:
    """axe-core on the chat with an answer and its sources, then on the Facts tab: no serious or critical
    violation (contrast, unlabeled buttons …); the page says it is Chinese."""
    expect = sync_api.expect
    page.set_viewport_size({"width": width, "height": 1000})
    page.locator("#ga-question textarea").fill("壁仞科技2024年营收是多少？")
    page.keyboard.press("Enter")
    expect(page.locator("#ga-sources li.ga-source").first).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert _axe_violations(page, f"answer-{width}") == []
    expect(page.locator("#ga-question textarea")).to_be_editable()
    page.locator("#ga-question textarea").fill("壁仞研发支出是营收的几倍？")  # a calculation: its working, opened
    page.keyboard.press("Enter")
    page.locator("#ga-chat").get_by_text("∑ 计算过程：倍数 = 前者 ÷ 后者").click()
    expect(page.locator("#ga-chat details.ga-working strong", has_text="算式")).to_be_visible()
    assert _axe_violations(page, f"working-{width}") == []
    page.get_by_role("tab", name="数据 · Facts").click()
    expect(page.locator("#ga-facts svg")).to_have_count(1)
    assert _axe_violations(page, f"facts-{width}") == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ui-axe-facts-{width}.png"), full_page=False)


def test_bad_input_keeps_the_typed_text_and_html_is_shown_as_text(page: Any, url: str) -> None:
    """An empty question adds no bubble; an over-long one is not sent, its text stays in the box with a note; HTML
    typed into a question is shown as typed (the <img> fetches nothing, <b> bolds nothing) and still answered."""
    expect = sync_api.expect
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    box = page.locator("#ga-question textarea")
    box.fill("   ")
    page.keyboard.press("Enter")
    box.fill("壁仞")
    expect(page.locator("#ga-count")).to_have_text("2 / 2000")  # a live count under the box
    too_long = "壁" * 2001
    box.fill(too_long)
    expect(page.locator("#ga-count.ga-over")).to_contain_text("2001 / 2000")  # marked before it is sent
    page.keyboard.press("Enter")
    expect(page.locator("#ga-question")).to_contain_text("问题太长（2001字，上限2000字）")
    assert box.input_value() == too_long
    chat = page.locator("#ga-chat")
    expect(chat.locator(".message")).to_have_count(0)
    box.fill('<img src="/pixel.png"> 壁仞科技<b>2024年营收</b>是多少？')
    page.keyboard.press("Enter")
    expect(chat).to_contain_text("3.37亿元")  # answered as if typed plainly
    expect(page.locator("#ga-count")).to_have_text("0 / 2000")  # the sent question left the box
    expect(chat).to_contain_text('<img src="/pixel.png"> 壁仞科技<b>2024年营收</b>是多少？')
    expect(chat.locator("img[src$='pixel.png']")).to_have_count(0)
    assert not [u for u in requested if u.endswith("pixel.png")]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-input.png"), full_page=True)


def _ask_in_turn(page: Any, *questions: str) -> None:
    """Ask each question once the one before has its answer (its own sources block) and the box is free."""
    box, chat = page.locator("#ga-question textarea"), page.locator("#ga-chat")
    for asked, question in enumerate(questions, start=1):
        box.fill(question)
        page.keyboard.press("Enter")
        sync_api.expect(chat.locator("details.ga-cited")).to_have_count(asked)
        sync_api.expect(box).to_be_editable()


def test_each_answer_keeps_its_own_sources_under_it(page: Any) -> None:
    """After a second question, the first answer's collapsed sources still list its own quote (the side panel has
    moved on to the second answer's): an earlier [1] never points at a later answer's document."""
    expect = sync_api.expect
    chat = page.locator("#ga-chat")
    _ask_in_turn(page, "壁仞科技2024年营收是多少？", "壁仞科技2024年净亏损是多少？")
    cited = chat.locator("details.ga-cited")
    expect(page.locator("#ga-sources")).to_contain_text("净亏损为15.38亿元")
    first = cited.nth(0)
    first.locator("summary").click()
    expect(first).to_contain_text("营收为3.37亿元")
    expect(first).to_contain_text("测试日报")
    assert "15.38" not in first.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-sources-per-answer.png"), full_page=True)


@pytest.mark.parametrize("width", [1440, 390])
def test_a_citation_number_opens_its_answers_sources_at_the_quote(page: Any, width: int) -> None:
    """Ask, follow up, then click the first answer's [1]: that answer's collapsed sources open and the quote it
    cites is marked and scrolled into view (not the follow-up's quote, not a new tab)."""
    expect = sync_api.expect
    page.set_viewport_size({"width": width, "height": 900})
    chat = page.locator("#ga-chat")
    _ask_in_turn(page, "壁仞科技2024年营收是多少？", "那净亏损呢？")
    first = chat.locator("details.ga-cited").nth(0)
    expect(first).not_to_have_attribute("open", "")
    pages_before = len(page.context.pages)
    chat.locator("a.ga-ref").first.click()
    expect(first).to_have_attribute("open", "")
    quote = first.locator(".ga-q.ga-hit")
    expect(quote).to_have_count(1)
    expect(quote).to_contain_text("营收为3.37亿元")
    expect(quote).to_be_in_viewport()
    assert quote.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 229, 138)"  # marked on screen
    assert len(page.context.pages) == pages_before  # the link opened no tab
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ui-citation-{width}.png"), full_page=False)
