"""The Gradio chat: :func:`create_app` builds the Blocks around an :class:`~assistant.Assistant`; :func:`launch`
serves it. Gradio is imported only inside these functions (the ``[ui]`` extra), never by ``import assistant``.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import explorer
from assistant.core import Assistant
from assistant.errors import ConfigError, missing_extra
from assistant.types import Answer
from assistant.ui import facts, render
from assistant.view import view_of

if TYPE_CHECKING:
    import gradio as gr

log = logging.getLogger(__name__)

CONCURRENCY = 2  # one answer per core; more only queues up threads that contend for the same two cores
MAX_QUEUE = 64
TITLE = "gpu-assistant · 国产GPU问答"
EXAMPLES = [
    "按2025年上半年的亏损速度，壁仞这次IPO募资能撑多久？按1港元兑0.92元人民币计算",
    "摩尔线程2024年净亏损是多少？",
    "2024年壁仞和沐曦谁的收入更多？各是多少？",
    "壁仞研发支出是营收的几倍？",
    "How much did Cambricon's revenue grow in 2024?",
    "What was Moore Threads' net loss in 2024?",
    "登临科技最新一轮融资后估值多少？",
]
EXAMPLE_LABELS = [
    "壁仞募资能撑多久（计算）",
    "摩尔线程净亏损（来源不一致）",
    "壁仞 vs 沐曦 营收（比较）",
    "研发是营收的几倍（计算）",
    "Cambricon revenue growth (English)",
    "Moore Threads net loss (English)",
    "登临科技估值（语料中没有）",
]
APOLOGY = "抱歉，处理这个问题时出错了，请稍后再试。Sorry, something went wrong while answering; please try again."
INTRO = (
    f"# {TITLE}\n"
    "用中文或英文提问壁仞、摩尔线程、沐曦、寒武纪、海光、昇腾、燧原、天数智芯的财务与上市数据。每句回答都引用语料原文 "
    "[n]，点 [n] 即可看到所引原文；来源附在每个回答下方（宽屏时也列在右侧）；语料里没有的，会直说没有。 · Ask in "
    "Chinese or English; every sentence quotes a source [n] (click it to see the quote). Sources sit under each answer "
    "(and on the right on wide screens). When the corpus does not know, the answer says so."
)


# A click on an answer's [n] opens that answer's sources block and marks the quote it cites (Gradio's chat would
# otherwise open the link in a new tab; a closed <details> hides its target).
_CITATION_LINKS = """
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a.ga-ref');
  if (!link) return;
  const target = document.getElementById(link.getAttribute('href').slice(1));
  event.preventDefault();
  event.stopPropagation();
  if (!target) return;
  const block = target.closest('details');
  if (block) block.open = true;
  document.querySelectorAll('.ga-hit').forEach((e) => e.classList.remove('ga-hit'));
  target.classList.add('ga-hit');
  target.scrollIntoView({block: 'center'});
}, true);
"""
# A live count of the question's characters under the box, marked once over the limit (the box keeps the text).
_COUNTER = """
const updateCount = () => {
  const field = document.getElementById('ga-question');
  const box = field && field.querySelector('textarea');
  if (!box) return;
  let counter = document.getElementById('ga-count');
  if (!counter) {
    counter = document.createElement('div');
    counter.id = 'ga-count';
    counter.setAttribute('aria-live', 'polite');
    field.appendChild(counter);
  }
  const n = box.value.trim().length;
  const over = n > LIMIT;
  const text = over ? `${n} / ${LIMIT} · 问题太长，请缩短 · too long` : `${n} / ${LIMIT}`;
  if (counter.textContent !== text) counter.textContent = text;
  counter.className = over ? 'ga-over' : '';
};
document.addEventListener('input', updateCount, true);
setInterval(updateCount, 500);
"""


def page_script(max_chars: int) -> str:
    """The page's script: html lang (the page is Chinese first; Gradio writes lang="en", and an English answer
    carries its own lang), [n] links to quotes, the question's character counter."""
    counter = _COUNTER.replace("LIMIT", str(int(max_chars)))
    return f"() => {{ document.documentElement.lang = 'zh-CN'; {_CITATION_LINKS} {counter} }}"


def require_gradio() -> Any:
    """Import gradio with its analytics off (no call leaves the machine), or say which extra to install."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    # After every event Gradio's queue rebuilds a pandas summary of all past events for its monitoring dashboard,
    # which this app leaves off: CPU spent per answer on two cores, and a pandas 3 deprecation warning each time.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", str(10**9))
    try:
        import gradio
    except ImportError as exc:
        raise missing_extra("gradio", "ui") from exc
    return gradio


class ChatHandler:
    """The chat function behind the UI and its ``/chat`` API: streams an answer, then its sources and working.

    Args:
        assistant: answers the questions.
    """

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.max_chars = assistant.settings.max_question_chars
        companies = assistant.registry.companies.items()
        self.names = assistant.vocabulary.labels("zh") | {cid: c.name_zh for cid, c in companies}
        self.names_en = assistant.vocabulary.labels("en") | {cid: c.name_en for cid, c in companies}
        # The bundled C embedder and the lazily loaded BM25 index are not documented as thread-safe; answering takes
        # tens of milliseconds of CPU, so one answer at a time costs little on two cores and rules out a data race.
        self._lock = threading.Lock()
        self._answers = itertools.count(1)  # numbers each answer's anchors (its [n] links to its own quotes)

    def validate(self, message: str) -> Any:
        """Checked before the question joins the chat: an empty or over-long one is not sent, and the text typed
        stays in the box with a note under it (the answer API still answers such a question with the same note)."""
        gr = require_gradio()
        text = html.unescape(message if isinstance(message, str) else str(message or "")).strip()
        if not text:
            return gr.validate(False, "请输入一个问题。Please type a question.")
        if len(text) > self.max_chars:
            note = f"问题太长（{len(text)}字，上限{self.max_chars}字），请缩短后再问。"
            return gr.validate(False, f"{note} The question is too long ({len(text)}/{self.max_chars} characters).")
        return gr.validate(True, "")

    def respond(self, message: str, history: Sequence[Any]) -> Iterator[tuple[Any, Any]]:
        """Yield ``(chat message(s), sources panel update)`` pairs; never raises to Gradio."""
        gr = require_gradio()
        question = html.unescape(message if isinstance(message, str) else str(message or ""))
        history = [_unescaped(turn) for turn in history or []]
        try:
            answer: Answer | None = None
            for item in self._items(question, list(history or [])):
                if isinstance(item, Answer):
                    answer = item
                else:
                    yield render.answer_markdown(item), gr.skip()
            if answer is None:  # pragma: no cover - Assistant.stream always ends with an Answer
                raise RuntimeError("the assistant returned no answer")
            yield self.messages(answer, question), self.sources(answer, question)
        except Exception:  # a user sees an apology, never a traceback; the log keeps the details
            log.exception("answering %r failed", question[:200])
            yield APOLOGY, render.error_html()

    def _items(self, question: str, history: list[Any]) -> Iterator[str | Answer]:
        """``Assistant.stream`` with each step taken under the lock (released between yields)."""
        stream = self.assistant.stream(question, history)
        while True:
            with self._lock:
                item = next(stream, None)
            if item is None:
                return
            yield item

    def messages(self, answer: Answer, question: str) -> list[dict[str, Any]]:
        """The final chat message, in the answer's language (``lang``): the answer, whose [n] link to its quotes,
        then a collapsed block per calculation (its working) and one with the answer's own sources (plain
        <details>: Gradio's collapsible "thought" messages nest a button in a button and carry an unlabeled one)."""
        names = self.names if answer.language == "zh" else self.names_en
        anchor = f"ga-a{next(self._answers)}" if answer.citations else ""
        parts = [render.answer_markdown(answer, anchor)]
        parts += [render.calculation_details(work) for work in view_of(answer, names).workings]
        if answer.citations:  # this answer's own sources, under it (the side panel shows the latest answer's)
            parts.append(render.sources_details(answer, anchor))
        lang = "zh-CN" if answer.language == "zh" else "en"
        content = "\n\n".join(parts)
        return [{"role": "assistant", "content": f'<div lang="{lang}">\n\n{content}\n\n</div>'}]

    def sources(self, answer: Answer, question: str) -> str:
        """The sources panel HTML for the final answer."""
        names = self.names if answer.language == "zh" else self.names_en
        return render.sources_html(answer, names)


def create_app(assistant: Assistant) -> gr.Blocks:
    """Build the chat UI (not launched): a chat with examples, a sources panel beside it and a footer.

    The chat is also the ``/chat`` API endpoint (``gradio_client``: ``client.submit(question, api_name="/chat")``),
    which returns the chat message(s) and the sources panel HTML. The queue runs :data:`CONCURRENCY` answers at once.

    Args:
        assistant: an assistant whose index is ready (see :meth:`Assistant.ensure_index`).
    """
    gr = require_gradio()
    handler = ChatHandler(assistant)
    footer = render.footer_html(assistant.index_info(), index_date(assistant))
    with gr.Blocks(title=TITLE, fill_height=True, analytics_enabled=False) as demo:
        gr.Markdown(INTRO)
        sources = gr.HTML(
            render.placeholder_html(),
            css_template=render.CSS,
            js_on_load=None,
            elem_id="ga-sources",
            render=False,
        )
        with gr.Tab("问答 · Chat", id="chat"), gr.Row(equal_height=False):
            with gr.Column(scale=3):
                gr.ChatInterface(
                    handler.respond,
                    chatbot=gr.Chatbot(
                        label="gpu-assistant",
                        elem_id="ga-chat",
                        height=560,
                        latex_delimiters=[],
                        placeholder="问一个问题，或点下面的例子。Ask a question or pick an example below.",
                        buttons=["copy", "copy_all"],  # no "share" (it posts to an outside site, and has no label)
                    ),
                    textbox=_question_box(
                        gr,
                        placeholder="例如：壁仞研发支出是营收的几倍？ · e.g. How much did Cambricon's revenue grow?",
                        label="问题 · Question",
                        show_label=False,
                        lines=1,
                        max_lines=6,
                        submit_btn=True,
                        stop_btn=True,
                        elem_id="ga-question",
                    ),
                    additional_outputs=[sources],
                    validator=handler.validate,
                    examples=list(EXAMPLES),
                    example_labels=list(EXAMPLE_LABELS),
                    cache_examples=False,
                    api_name="chat",
                    flagging_mode="never",
                    analytics_enabled=False,
                    fill_height=False,
                )
            with gr.Column(scale=2, min_width=320):
                sources.render()
        with gr.Tab("数据 · Facts", id="facts"):
            _facts_tab(gr, FactsHandler(assistant))
        gr.HTML(footer, css_template=render.CSS, js_on_load=None, elem_id="ga-footer")
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=MAX_QUEUE)
    # Gradio 6 takes theme and js at launch(); whoever launches this app (launch() below, tests, a host app) gets
    # them as the defaults launch() falls back to, the values Blocks(theme=…, js=…) used to set.
    demo._deprecated_theme = (
        gr.themes.Default().set(  # WCAG AA: subdued text at 7:1 (the default grey is 1.9:1), accent 5:1
            body_text_color_subdued="#595959", body_text_color_subdued_dark="#c4c4c4", color_accent="#c2410c"
        )
    )
    demo._deprecated_js = page_script(handler.max_chars)
    demo._deprecated_css = render.CHAT_CSS  # page-wide: the chat's messages are outside the HTML panels' scope
    return demo


def _unescaped(turn: Any) -> Any:
    """A user turn of the chat history as typed (the chat keeps it HTML-escaped, see :func:`_question_box`)."""
    if isinstance(turn, dict) and turn.get("role") == "user" and isinstance(turn.get("content"), str):
        return {**turn, "content": html.unescape(turn["content"])}
    return turn


def _question_box(gr: Any, **options: Any) -> Any:
    """The question textbox, whose text reaches the chat as text: HTML typed into a question is shown, never rendered
    (an ``<img>`` fetches nothing). The chat shows the escaped text; :meth:`ChatHandler.respond` reads it back.
    (The instance's preprocess is wrapped rather than the class subclassed: Gradio writes a .pyi file beside the
    module of every Component subclass.)"""
    box = gr.Textbox(**options)
    plain = box.preprocess

    def escaped(payload: str | None) -> str | None:
        value = plain(payload)
        return None if value is None else html.escape(value, quote=False)

    box.preprocess = escaped
    return box


class FactsHandler:
    """The facts explorer tab: a company's stated figures as a chart and a table, or one metric across companies."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.companies = [(f"{c.name_zh} · {c.name_en}", cid) for cid, c in assistant.registry.companies.items()]
        labels = assistant.vocabulary.labels("zh")
        self.metrics = [(f"{labels.get(m, m)} · {m}", m) for m in explorer.METRICS]

    def company(self, company: str, metrics: Sequence[str]) -> str:
        """The chart and table of one company's figures for the chosen metrics."""
        try:
            with_names = dict(self.companies)
            name = next((label for label, cid in with_names.items() if cid == company), company)
            rows = explorer.fact_rows(self.assistant.store, company, metrics or explorer.METRICS)
            return facts.facts_html(rows, name, zh=True)
        except Exception:
            log.exception("facts for %r failed", company)
            return render.error_html()

    def compare(self, metric: str, period: str) -> str:
        """One metric for one period across the companies (the preferred value where sources disagree)."""
        try:
            rows = explorer.comparison_rows(self.assistant.store, self.assistant.registry, metric, period.strip())
            return facts.comparison_html(rows, self.assistant.registry, zh=True)
        except Exception:
            log.exception("comparison of %r %r failed", metric, period)
            return render.error_html()


def _facts_tab(gr: Any, handler: FactsHandler) -> None:
    first = handler.companies[0][1]
    with gr.Row():
        company = gr.Dropdown(handler.companies, value=first, label="公司 · Company", elem_id="ga-facts-company")
        metrics = gr.CheckboxGroup(
            handler.metrics, value=list(explorer.METRICS), label="指标 · Metrics", elem_id="ga-facts-metrics"
        )
    pane = gr.HTML(
        handler.company(first, explorer.METRICS), css_template=facts.CSS, js_on_load=None, elem_id="ga-facts"
    )
    company.change(handler.company, [company, metrics], pane, api_name="facts")
    metrics.change(handler.company, [company, metrics], pane, api_name=False)
    gr.Markdown("## 跨公司对比 · Compare companies")
    with gr.Row():
        metric = gr.Dropdown(handler.metrics, value="revenue", label="指标 · Metric", elem_id="ga-compare-metric")
        period = gr.Textbox(value="2024", label="期间 · Period (2024, 2025H1, 2025-9M)", elem_id="ga-compare-period")
    compared = gr.HTML(
        handler.compare("revenue", "2024"), css_template=facts.CSS, js_on_load=None, elem_id="ga-compare"
    )
    metric.change(handler.compare, [metric, period], compared, api_name="compare")
    period.submit(handler.compare, [metric, period], compared, api_name=False)


def index_date(assistant: Assistant) -> str:
    """When the on-disk index was last written (``YYYY-MM-DD``), or ``""`` for an index elsewhere."""
    database = Path(assistant.settings.store) / "chroma" / "chroma.sqlite3"
    try:
        stamp = database.stat().st_mtime
    except OSError:
        return ""
    return dt.datetime.fromtimestamp(stamp).date().isoformat()


def read_auth(spec: str | None = None, path: Path | None = None) -> list[tuple[str, str]] | None:
    """Login pairs from ``user:pass`` or a file of such lines (``#`` comments allowed); ``None`` = no login.

    Raises:
        ConfigError: both given, an unreadable file, or a line without ``user:pass``.
    """
    if spec and path:
        raise ConfigError("Give either --auth user:pass or --auth-file FILE, not both.")
    if path is not None:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"Cannot read the auth file {path}: {exc.strerror}. Write one user:pass a line.") from exc
        source = str(path)
    elif spec:
        lines, source = [spec], "--auth"
    else:
        return None
    pairs = []
    for line in (raw.strip() for raw in lines):
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user or not password:
            raise ConfigError(f"{source}: expected user:pass, got {line.split(':')[0]!r}…")
        pairs.append((user, password))
    if not pairs:
        raise ConfigError(f"{source} holds no user:pass line.")
    return pairs


def launch(
    assistant: Assistant,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: list[tuple[str, str]] | None = None,
    block: bool = True,
) -> gr.Blocks:
    """Build and serve the UI; with ``block`` it returns only when the server stops (Ctrl-C)."""
    demo = create_app(assistant)
    demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        auth_message="gpu-assistant: 请登录 / please log in" if auth else None,
        share=False,
        quiet=True,  # the CLI says where the chat is; Gradio's share=True hint does not apply (nothing leaves here)
        prevent_thread_lock=not block,
        show_error=False,
        footer_links=["api"],
        run_history=False,
        enable_monitoring=False,
        mcp_server=False,
        pwa=False,
        ssr_mode=False,
    )
    return demo
