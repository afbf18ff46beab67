"""The chat UI served by Gradio on loopback and driven through its ``/chat`` API with ``gradio_client``."""

from __future__ import annotations

import ipaddress
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import make_assistant, write_two_page_pdf
from servers import free_port, wait_until_up

from assistant import Assistant, ConfigError
from assistant.cli import main
from assistant.embeddings import FakeEmbeddings
from assistant.ui import create_app, launch, read_auth
from assistant.ui.app import APOLOGY, ChatHandler, require_gradio

gradio = pytest.importorskip("gradio", reason="the [ui] extra is not installed")
from gradio_client import Client  # noqa: E402  (after the importorskip above)

pytestmark = pytest.mark.network_free


def serve(assistant: Assistant, **launch: Any) -> Any:
    demo = create_app(assistant)
    demo.launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True, **launch)
    return demo


@pytest.fixture
def app(assistant: Assistant) -> Iterator[Any]:
    """The UI over the three small briefs, served on a free loopback port."""
    demo = serve(assistant)
    yield demo
    demo.close()


def client(demo: Any, **kwargs: Any) -> Client:
    return Client(demo.local_url, analytics_enabled=False, verbose=False, **kwargs)


def ask_over(folder: Path, store: Path, question: str) -> Any:
    """Ingest ``folder`` into a fresh store, serve it, ask one question; returns (messages, sources HTML)."""
    fresh = make_assistant(store)
    assert fresh.ingest([folder]).ok
    demo = serve(fresh)
    try:
        return client(demo).predict(question, api_name="/chat")
    finally:
        demo.close()


def working(messages: Any) -> str:
    """The collapsed calculation block of the final answer message."""
    text = final_text(messages)
    start = text.index('<details class="ga-working">')
    return text[start : text.index("</details>", start) + len("</details>")]


def final_text(messages: Any) -> str:
    """The answer message of a final ``/chat`` output (a list of messages, inside its ``lang`` wrapper) or a
    partial one (a string)."""
    return messages if isinstance(messages, str) else unwrapped(messages[0]["content"])


def unwrapped(content: str) -> str:
    """A final message's content inside the ``<div lang=…>`` that carries the answer's language."""
    found = re.fullmatch(r'<div lang="(?:zh-CN|en)">\n\n(.*)\n\n</div>', content, re.DOTALL)
    assert found, content
    return found.group(1)


def visible(markup: str) -> str:
    """The text a reader sees of a chat message (tags dropped: the final one links its [n] and carries a lang)."""
    return re.sub(r"<[^>]+>", "", markup).strip()


def test_streams_the_answer_then_sources_and_a_calculator_step(app: Any) -> None:
    job = client(app).submit("壁仞研发支出是营收的几倍？", api_name="/chat")
    outputs = [out for out in job]
    messages, sources = job.result()
    partials = [out[0] for out in outputs if isinstance(out[0], str)]
    assert len(partials) >= 3, outputs  # the answer arrives line by line before the final messages
    assert all(len(a) < len(b) and b.startswith(a) for a, b in zip(partials, partials[1:], strict=False))
    assert visible(final_text(messages)).startswith(visible(partials[-1]))  # the final answer extends what streamed
    assert "2.45倍" in final_text(messages) and '<a class="ga-ref" href="#ga-a1-1">[1]</a>' in final_text(messages)
    step = working(messages)
    assert step.startswith('<details class="ga-working"><summary>∑')
    assert "8.27亿元 [1]" in step and "3.37亿元 [2]" in step and "**2.45倍**" in step
    assert (
        "<mark>8.27亿元</mark>" in sources and "测试日报" in sources and 'href="https://example.test/biren"' in sources
    )


def test_answers_leave_no_error_in_the_server_output(app: Any, capfd: pytest.CaptureFixture[str]) -> None:
    chat = client(app)
    for question in ("壁仞科技2024年营收是多少？", "登临科技最新一轮融资后估值多少？", ""):
        chat.predict(question, api_name="/chat")
    time.sleep(1)  # the queue finishes its bookkeeping after the answer is sent
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Warning" not in err


def test_follow_up_uses_the_chat_history(app: Any) -> None:
    chat = client(app)
    first, _ = chat.predict("寒武纪2024年营收是多少？", api_name="/chat")
    assert "11.74亿" in final_text(first)
    follow, sources = chat.predict("那净亏损呢？", api_name="/chat")
    assert "4.52亿" in final_text(follow) and "15.38" not in final_text(follow)
    assert "Test Wire" in sources
    alone, _ = client(app).predict("那净亏损呢？", api_name="/chat")  # a new session has no history
    assert "4.52亿" not in final_text(alone)


def test_refuses_what_the_corpus_does_not_hold(app: Any) -> None:
    messages, sources = client(app).predict("登临科技最新一轮融资后估值多少？", api_name="/chat")
    text = final_text(messages)
    assert text.startswith("**∅ 语料库中没有答案**") and "登临科技" in text
    assert "语料库中没有答案" in sources and "没有给出任何数字" in sources and "<mark>" not in sources


@pytest.mark.parametrize("question", ["", "   \n "])
def test_empty_input_gets_a_friendly_message(app: Any, question: str) -> None:
    messages, sources = client(app).predict(question, api_name="/chat")
    assert final_text(messages) == "✎ Please type a question (in Chinese or English)."
    assert "Please type a question" in sources


def test_over_long_input_gets_a_friendly_message(app: Any) -> None:
    messages, _ = client(app).predict("壁仞" * 1001, api_name="/chat")
    assert final_text(messages) == "✎ 问题太长（2002字，上限2000字），请缩短后再问。"


def test_a_failure_shows_an_apology_not_a_traceback(tmp_path: Path, docs: Path) -> None:
    class BrokenQueries(FakeEmbeddings):
        def embed_query(self, text: str) -> list[float]:
            raise RuntimeError("embedding engine crashed")

    make_assistant(tmp_path / "store").ingest([docs])
    demo = serve(make_assistant(tmp_path / "store", embedder=BrokenQueries()))
    try:
        messages, sources = client(demo).predict("壁仞科技2024年营收是多少？", api_name="/chat")
    finally:
        demo.close()
    assert messages == APOLOGY and "Traceback" not in sources and "crashed" not in sources


def test_footer_and_examples_are_on_the_page(app: Any, assistant: Assistant) -> None:
    config = httpx.get(app.local_url + "config", timeout=10).text
    info = assistant.index_info()
    assert f"{info['documents']} 篇文档 documents · {info['chunks']} 个片段 chunks" in config
    assert "登临科技最新一轮融资后估值多少？" in config and "How much did Cambricon" in config


def test_eight_users_at_once_all_get_answers(app: Any) -> None:
    questions = ["壁仞科技2024年营收是多少？", "What was Cambricon's revenue in 2024?"] * 4

    def ask(question: str) -> str:
        return final_text(client(app).predict(question, api_name="/chat")[0])

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, questions))
    assert all("[1]" in a for a in answers) and "3.37亿元" in answers[0] and "11.74亿" in answers[1]


def test_login_is_required_when_auth_is_set(assistant: Assistant) -> None:
    demo = serve(assistant, auth=read_auth("ana:s3cret"))
    try:
        assert httpx.get(demo.local_url + "config", timeout=10).status_code in (401, 403)
        messages, _ = client(demo, auth=("ana", "s3cret")).predict("壁仞科技2024年营收是多少？", api_name="/chat")
    finally:
        demo.close()
    assert "3.37亿元" in final_text(messages)


def test_start_up_and_an_answer_touch_only_loopback(assistant: Assistant) -> None:
    hosts: list[str] = []
    recording = [True]

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if not recording[0]:
            return
        if event == "socket.getaddrinfo":
            hosts.append(str(args[0]))
        elif event == "socket.connect" and isinstance(args[1], tuple):
            hosts.append(str(args[1][0]))

    sys.addaudithook(hook)  # cannot be removed: it stops recording when the test ends
    try:
        demo = serve(assistant)
        client(demo).predict("壁仞科技2024年营收是多少？", api_name="/chat")
        demo.close()
    finally:
        recording[0] = False
    assert hosts, "the audit hook saw no connection at all"
    outside = [h for h in hosts if h != "localhost" and not ipaddress.ip_address(h.split("%")[0]).is_loopback]
    assert outside == []


def test_read_auth(tmp_path: Path) -> None:
    assert read_auth() is None
    assert read_auth("ana:pa:ss") == [("ana", "pa:ss")]
    logins = tmp_path / "logins"
    logins.write_text("# who may log in\nana:one\n\nbo:two\n", encoding="utf-8")
    assert read_auth(path=logins) == [("ana", "one"), ("bo", "two")]
    for bad in ("ana", ":x", "ana:"):
        with pytest.raises(ConfigError, match="expected user:pass"):
            read_auth(bad)
    with pytest.raises(ConfigError, match="not both"):
        read_auth("a:b", logins)
    with pytest.raises(ConfigError, match="Cannot read the auth file"):
        read_auth(path=tmp_path / "missing")


def test_cli_ui_rejects_a_bad_login_before_indexing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "never-built"
    assert main(["ui", "--store", str(store), "--embedder", "fake", "--auth", "nopassword"]) == 2
    assert "expected user:pass" in capsys.readouterr().err and not store.exists()


def test_missing_gradio_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gradio", None)  # what an environment without the [ui] extra looks like
    with pytest.raises(ConfigError, match=r"gpu-assistant\[ui\]"):
        require_gradio()


HOSTILE = """---
title: "<b>Biren</b> & <script>alert('t')</script>"
publisher: "<img src=x onerror=alert(1)>"
published: 2025-12-22
url: "javascript:alert(1)"
language: zh
companies: [biren]
reliability: news
source_id: t09
kind: brief
---
# 壁仞

壁仞科技2024年营收为3.37亿元，见<a href="https://evil.test">链接</a>*重点*。
"""


def test_everything_from_the_corpus_is_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    messages, sources = ask_over(folder, tmp_path / "store", "壁仞科技2024年营收是多少？")
    assert "&lt;b&gt;Biren&lt;/b&gt; &amp; &lt;script&gt;" in sources and "&lt;img src=x" in sources
    assert "<script" not in sources and "<img" not in sources and "<a " not in sources
    assert 'href="javascript' not in sources and "<mark>3.37亿元</mark>" in sources
    assert r"\<a href" in final_text(messages) and r"\*重点\*" in final_text(messages)  # shown, not rendered


def test_real_corpus_conflict_and_runway(corpus_assistant: Assistant) -> None:
    demo = serve(corpus_assistant)
    try:
        chat = client(demo)
        conflict, conflict_sources = chat.predict("摩尔线程2024年净亏损是多少？", api_name="/chat")
        runway, runway_sources = chat.predict(
            "按2025年上半年的亏损速度，壁仞这次IPO募资能撑多久？按1港元兑0.92元人民币计算", api_name="/chat"
        )
    finally:
        demo.close()
    assert "16.18亿元" in final_text(conflict) and "14.92亿元" in final_text(conflict)
    assert "来源数字不一致" in conflict_sources and conflict_sources.count('class="ga-value') == 2
    assert '<div class="ga-value ga-preferred"><strong>16.18亿元</strong>' in conflict_sources
    assert "2026-02-28" in conflict_sources and "2025-11-25" in conflict_sources and "✓ 采用" in conflict_sources
    assert "19.24个月" in final_text(runway)
    step = working(runway)
    assert "<summary>∑ 计算过程：资金可支撑月数 = 现金 ÷ 每月亏损</summary>" in step
    assert "**19.24个月**" in step and "[1]" in step and "[2]" in step
    assert "汇率按问题给出的1 HKD = 0.92 CNY" in step
    assert "<mark>HK$5.58 billion</mark>" in runway_sources and "<mark>16.01亿元</mark>" in runway_sources


def test_launch_serves_what_the_cli_starts(assistant: Assistant) -> None:
    demo = launch(assistant, host="127.0.0.1", port=free_port(), block=False)
    try:
        messages, _ = client(demo).predict("沐曦股份2024年营收是多少？", api_name="/chat")
    finally:
        demo.close()
    assert "7.43亿元" in final_text(messages)


def _ctrl_c_stops() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_gpu_assistant_ui_builds_the_index_then_serves(tmp_path: Path, docs: Path) -> None:
    port = free_port()
    env = os.environ | {"ASSISTANT_CORPUS": str(docs), "GRADIO_ANALYTICS_ENABLED": "False"}
    command = [sys.executable, "-m", "assistant.cli", "ui", "--store", str(tmp_path / "store"), "--embedder", "fake"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ctrl_c_stops,  # a test run started in the background would otherwise pass on SIGINT ignored
    )
    try:
        page = wait_until_up(f"http://127.0.0.1:{port}/config", process, 120)
        assert "3 篇文档 documents" in page.text
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert "built the index from the corpus: " in err and f"chat UI on http://127.0.0.1:{port}" in err
    assert "Traceback" not in err


def test_importing_the_package_does_not_import_gradio() -> None:
    code = "import sys, assistant, assistant.cli, assistant.ui; sys.exit('gradio' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_pdf_source_shows_its_page(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_two_page_pdf(folder / "hygon.pdf")
    messages, sources = ask_over(folder, tmp_path / "store", "What was Hygon's gross margin in 2024?")
    assert "63.72%" in final_text(messages) and "[1]" in final_text(messages)
    assert '<div class="ga-meta">p. 2</div>' in sources and "<mark>63.72%</mark>" in sources


def test_an_answer_written_by_a_model_says_so_beside_its_check(tmp_path: Path, docs: Path) -> None:
    from langchain_core.messages import AIMessage

    from assistant import Settings
    from assistant.testing import ScriptedChatModel

    model = ScriptedChatModel(responses=[AIMessage("壁仞科技2024年营收为3.37亿元[1]。其毛利率为55%[1]。")])
    llm = Assistant(Settings(store=tmp_path / "s", embedder="fake"), embedder=FakeEmbeddings(), chat_model=model)
    assert llm.ingest([docs]).ok
    demo = serve(llm)
    try:
        messages, sources = client(demo).predict("壁仞科技2024年营收是多少？", api_name="/chat")
    finally:
        demo.close()
    assert "3.37亿元[1]" in visible(final_text(messages)) and "55%" not in final_text(messages)
    assert "由语言模型撰写，已逐句核查（删除了1句无法核实的内容）" in sources


def test_an_answer_message_carries_its_own_sources_one_entry_per_document(assistant: Assistant) -> None:
    """Two quotes from one brief: one source entry (numbers [1][2]) in the panel and in the answer's own collapsed
    sources block, each quote under it."""
    handler = ChatHandler(assistant)
    answer = assistant.ask("壁仞研发支出是营收的几倍？")
    assert len({c.doc_id for c in answer.citations}) == 1 and len(answer.citations) == 2
    panel = handler.sources(answer, "壁仞研发支出是营收的几倍？")
    assert panel.count('<li class="ga-source">') == 1 and panel.count('class="ga-quote"') == 2
    text = handler.messages(answer, "壁仞研发支出是营收的几倍？")[0]["content"]
    block = text[text.index("<details") :]
    assert "<summary>来源 · 1篇</summary>" in block and "**[1][2]**" in block
    assert all(c.quote in block for c in answer.citations)


def test_the_answers_figure_leads_in_bold(assistant: Assistant) -> None:
    handler = ChatHandler(assistant)
    answer = assistant.ask("壁仞科技2024年营收是多少？")
    text = unwrapped(handler.messages(answer, "壁仞科技2024年营收是多少？")[0]["content"])
    assert visible(text).startswith("**壁仞科技2024年营收：3.37亿元 [1]**\n"), text
