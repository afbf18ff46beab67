"""The answer's parts (``assistant/view.py``) and the three front ends that format them: the CLI, Slack's blocks
and the chat UI show the same heading, lines, sources and check, in the same order."""

from __future__ import annotations

import html
import json
import re

import pytest

from assistant import Assistant
from assistant.cli import format_answer
from assistant.slack.blocks import answer_message
from assistant.view import INPUT_PROBLEM, NOT_IN_CORPUS, View, view_of

QUESTIONS = [
    "壁仞科技2024年营收是多少？",  # a figure lead, one quote
    "壁仞研发支出是营收的几倍？",  # a calculation: two quotes of one document, a working
    "What was Cambricon's 2024 revenue?",  # English
    "登临科技最新一轮融资后估值多少？",  # a refusal
]


def in_order(text: str, pieces: list[str]) -> bool:
    """Every piece occurs in ``text``, each after the one before."""
    at = 0
    for piece in pieces:
        found = text.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def shown_pieces(view: View) -> list[str]:
    """What every front end must show of an answer, in order (sources: each document's title and quotes)."""
    pieces = [view.heading] if view.heading else []
    pieces += [line for line in view.lines if line]
    for source in view.sources:
        pieces.append(source.title)
        pieces += [q.text for q in source.quotes]
    return pieces


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_cli_shows_every_part_in_order(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    view, text = view_of(answer), format_answer(answer)
    assert in_order(text, shown_pieces(view)), text
    if view.check is not None:
        assert view.check.text in text


def slack_text(blocks: list[dict[str, object]]) -> str:
    """The mrkdwn a reader of the blocks sees, Slack's escapes and bold marks undone."""
    texts = re.findall(r'"text": "((?:[^"\\]|\\.)*)"', json.dumps(blocks, ensure_ascii=False))
    joined = "\n".join(json.loads(f'"{t}"') for t in texts)
    return html.unescape(joined).replace("*", "")


@pytest.mark.parametrize("question", QUESTIONS)
def test_slack_shows_the_same_parts_as_the_cli(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    view = view_of(answer)
    message = answer_message(answer)
    pieces = [
        p.replace("*", "") for p in shown_pieces(view) if not any(q.text == p for s in view.sources for q in s.quotes)
    ]
    assert in_order(slack_text(message.blocks), pieces), message.blocks  # Slack links titles, quotes stay in the CLI
    if view.check is not None:
        assert view.check.text in slack_text(message.blocks)


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_chat_ui_shows_the_same_parts_as_the_cli(assistant: Assistant, question: str) -> None:
    from assistant.ui.app import ChatHandler

    answer = assistant.ask(question)
    view = view_of(answer)
    content = ChatHandler(assistant).messages(answer, question)[0]["content"]
    seen = html.unescape(re.sub(r"<[^>]+>", "", content)).replace("\\", "").replace("**", "")
    assert in_order(seen, [p.replace("**", "") for p in shown_pieces(view)]), content


def test_headings_say_what_kind_of_answer_it_is(assistant: Assistant) -> None:
    lead = view_of(assistant.ask("壁仞科技2024年营收是多少？"))
    assert lead.lead and lead.heading.startswith("壁仞科技2024年营收：3.37亿元") and lead.heading not in lead.lines
    refusal = view_of(assistant.ask("登临科技最新一轮融资后估值多少？"))
    assert refusal.refused and refusal.heading == NOT_IN_CORPUS[0] and not refusal.lead
    empty = view_of(assistant.ask("   "))
    assert empty.heading == INPUT_PROBLEM and empty.refused


def test_one_source_entry_per_document_with_every_quote(assistant: Assistant) -> None:
    answer = assistant.ask("壁仞研发支出是营收的几倍？")
    view = view_of(answer)
    assert len(view.sources) == 1 and view.sources[0].numbers == (1, 2)
    assert [q.text for q in view.sources[0].quotes] == [c.quote for c in answer.citations]
    assert view.workings and view.workings[0].result == "2.45倍"
    assert [o.origin for o in view.workings[0].operands] == ["[1]", "[2]"]


@pytest.mark.parametrize(
    ("question", "lang"), [("壁仞科技2024年营收是多少？", "zh-CN"), ("What was Cambricon's 2024 revenue?", "en")]
)
def test_each_answer_message_carries_its_language(assistant: Assistant, question: str, lang: str) -> None:
    from assistant.ui.app import ChatHandler

    content = ChatHandler(assistant).messages(assistant.ask(question), question)[0]["content"]
    assert content.startswith(f'<div lang="{lang}">')


def test_each_citation_links_to_its_own_answers_quote(assistant: Assistant) -> None:
    """Two answers in one chat: each [n] links to a quote anchor of its own answer, never the other's."""
    from assistant.ui.app import ChatHandler

    handler = ChatHandler(assistant)
    first = handler.messages(assistant.ask("壁仞研发支出是营收的几倍？"), "")[0]["content"]
    second = handler.messages(assistant.ask("壁仞科技2024年营收是多少？"), "")[0]["content"]
    for content in (first, second):
        targets = re.findall(r'<a class="ga-ref" href="#([\w-]+)">', content)
        anchors = re.findall(r'<span class="ga-q" id="([\w-]+)">', content)
        assert targets and set(targets) <= set(anchors), content
    assert not set(re.findall(r'id="([\w-]+)"', first)) & set(re.findall(r'id="([\w-]+)"', second))
