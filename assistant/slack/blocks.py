"""Slack text in and out: questions from message text, answers as Block Kit with a plain ``text`` fallback.

Pure functions with no Slack dependency, so they are tested without a server. Every piece of corpus or user
text is escaped (``&``, ``<``, ``>``) before it enters mrkdwn; sections stay under Slack's 3,000-character limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from assistant.types import Answer
from assistant.view import View, view_of

SECTION_LIMIT = 3000
"""Most characters Slack accepts in one section's text (and in one context element)."""
MAX_BLOCKS = 50
"""Most blocks Slack accepts in one message."""
MAX_TEXT = 39_000
"""The ``text`` fallback is cut here (Slack truncates messages past 40,000 characters)."""
CONTEXT_ELEMENTS = 10
"""Most elements in one context block."""

_BREAKS = ("\n\n", "\n", "。", "！", "？", ". ", "! ", "? ", "；", "; ", "，", ", ", " ")
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
_SPECIAL = re.compile(r"<!(?:subteam\^)?[^>|]*(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_LINK = re.compile(r"<([^>|]+)(?:\|([^>]*))?>")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Message:
    """A Slack message: Block Kit ``blocks`` and the plain ``text`` shown in notifications and screen readers."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn reserves: ``&``, ``<`` and ``>``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def question_from(text: str) -> str:
    """The question in a Slack message's text: mentions dropped, links and channels as words, entities decoded."""
    text = _MENTION.sub(" ", text or "")
    text = _SPECIAL.sub(lambda m: m.group(1) or " ", text)
    text = _CHANNEL.sub(lambda m: f"#{m.group(1)}" if m.group(1) else " ", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def is_chinese(text: str) -> bool:
    """True when the text has any CJK ideograph (the language of the bot's own short messages)."""
    return bool(_CJK.search(text))


def searching(question: str) -> Message:
    """The placeholder posted at once, replaced by the answer."""
    return Message("正在检索资料…" if is_chinese(question) else "Searching the sources…")


def draft(text: str, question: str) -> Message:
    """The placeholder while a model writes: its draft so far, marked as not yet checked."""
    if is_chinese(question):
        note = "_（草稿：数字核查后才会给出最终回答）_"
    else:
        note = "_(draft: the final answer follows once its figures are checked)_"
    return Message(_clip(escape(text), SECTION_LIMIT - len(note) - 2) + "\n" + note)


def apology(question: str) -> Message:
    """What the thread gets when answering failed: short, and never a traceback."""
    if is_chinese(question):
        return Message("抱歉，回答这个问题时出了错。请稍后再试。")
    return Message("Sorry, something went wrong while answering. Please try again in a moment.")


def usage(question: str = "") -> Message:
    """The reply to a mention with no question in it."""
    if is_chinese(question):
        return Message("请在提及我时附上问题，例如：壁仞科技2024年营收是多少？")
    return Message("Ask me a question when you mention me, e.g. “What was Biren's 2024 revenue?”")


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split (already escaped) text into pieces of at most ``limit`` characters.

    Breaks at the last paragraph, line, sentence, clause or word break in the second half of the window, else cuts
    hard, but never inside an ``&amp;``-style entity.
    """
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _break_at(rest, limit)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _break_at(text: str, limit: int) -> int:
    window = text[:limit]
    for mark in _BREAKS:
        at = window.rfind(mark)
        if at >= limit // 2:
            return at + len(mark)
    amp = window.rfind("&", max(1, limit - 5))
    if amp != -1 and ";" not in window[amp:]:
        return amp
    return limit


def answer_message(answer: Answer) -> Message:
    """The whole reply from the answer's parts (:mod:`assistant.view`, as the CLI and the chat UI show them):
    heading and lines, each calculation's working, one source entry per document, the grounding check; and the
    plain text fallback."""
    shown = view_of(answer)
    extras = _working_blocks(shown) + _source_blocks(shown) + _check_blocks(shown)
    text = "\n".join(escape(line) for line in shown.lines)
    if shown.heading:  # the answer's figure (or the refusal label) first, in bold
        text = f"*{escape(shown.heading)}*\n{text}"
    sections = [_section(piece) for piece in split_text(text)] or [_section("…")]
    room = MAX_BLOCKS - len(extras)
    if len(sections) > room:
        sections = sections[: room - 1] + [_section("…（回答过长，已截断）" if shown.zh else "… (answer truncated)")]
    return Message(_fallback(shown), sections + extras)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(texts: list[str]) -> list[dict[str, Any]]:
    """Context blocks of at most 10 mrkdwn elements each, every element within the length limit."""
    elements = [{"type": "mrkdwn", "text": _clip(t, SECTION_LIMIT)} for t in texts if t]
    return [
        {"type": "context", "elements": elements[i : i + CONTEXT_ELEMENTS]}
        for i in range(0, len(elements), CONTEXT_ELEMENTS)
    ]


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return split_text(text, limit - 1)[0] + "…"


def _working_blocks(shown: View) -> list[dict[str, Any]]:
    lines = []
    for work in shown.workings:
        line = f"*{escape(work.title)}*\n{escape(work.expression)} = *{escape(work.result)}*"
        line += "".join(f"\n{escape(name)}: {escape(value)}" for name, value in work.steps)
        line += "".join(f"\n· {escape(o.name)}: {escape(o.shown)} {escape(o.origin)}" for o in work.operands)
        if work.assumptions:
            line += "\n" + ("假设：" if shown.zh else "Assumptions: ") + escape("; ".join(work.assumptions))
        lines.append(line)
    if len(lines) > CONTEXT_ELEMENTS:
        lines = lines[: CONTEXT_ELEMENTS - 1] + ["\n".join(lines[CONTEXT_ELEMENTS - 1 :])]
    return _context(lines)


def _source_blocks(shown: View) -> list[dict[str, Any]]:
    if not shown.sources:
        return []
    label = "*来源*" if shown.zh else "*Sources*"
    entries = []
    for source in shown.sources:
        numbers = "".join(f"[{n}]" for n in source.numbers)
        byline = f" — {escape(source.byline)}" if source.byline else ""
        entries.append(f"*{numbers}* {_link(source.link, source.title)}{byline}")
    return _context([label, *entries])


def _link(url: str, title: str) -> str:
    """``<url|title>`` for an http(s) URL, else the escaped title alone (Slack links nothing else safely)."""
    label = escape(title or url).replace("|", "¦")
    if urlsplit(url).scheme not in ("http", "https"):
        return label
    safe = escape(quote(url, safe=":/?#[]@!$&'()*+,;=%~-._"))
    return f"<{safe}|{label}>"


def _check_blocks(shown: View) -> list[dict[str, Any]]:
    if shown.check is None:
        return []
    mark = ":white_check_mark: " if shown.check.ok else ":warning: "
    return _context([mark + escape(shown.check.text)] + ([escape(shown.author)] if shown.author else []))


def _fallback(shown: View) -> str:
    lines = ([escape(shown.heading)] if shown.heading else []) + [escape(line) for line in shown.lines]
    if shown.sources:
        lines += ["", "来源：" if shown.zh else "Sources:"]
        for source in shown.sources:
            numbers = "".join(f"[{n}]" for n in source.numbers)
            lines.append(f"{numbers} {escape(source.title)} — {escape(source.byline)} {escape(source.link)}".rstrip())
    return _clip("\n".join(lines), MAX_TEXT)
