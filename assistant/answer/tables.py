"""Table rows as answers: a list or "which" question over a table (a notice's list of rated products, a spec
sheet) is answered by the rows the question's words pick out, each row cited as written.

A row is read with its section: the headings above its table back to the first one naming a period or a numbered
item (安全可靠测评结果公告（2024年第1号）, then 附表一、中央处理器（CPU）) and the dates stated under that heading.
A numbered item or period the question names must be its section's; each other question word that some candidate
rows have and others lack (龙芯, Ⅱ级, CPU) must be the row's own or its section's. Rows are gathered from the whole
document, since a long table spans chunks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answer import extractive
from assistant.answer.extractive import Candidate
from assistant.answer.frame import sentence_periods
from assistant.answer.gate import document_year
from assistant.answer.lexicon import ENGLISH_FUNCTION_WORDS
from assistant.answer.query import Query
from assistant.text import has_cjk, normalise_for_match
from assistant.tokenize import tokenize
from assistant.types import Answer, Hit

if TYPE_CHECKING:
    from assistant.answer.strategies import Context

MAX_ROWS = 12
_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
_RULE = re.compile(r"^[\s|:\-\\_]*$")  # | --- | --- | and | \_ | | | separator rows
_HEADING = re.compile(r"^\s*(?:#{1,6}\s+.+|\*\*[^*]+\*\*.*)$")
_BOLD = re.compile(r"^\s*\*\*([^*]+)\*\*")
_NUMBERED = re.compile(r"第\s*\d+\s*[号期批次]")


Span = tuple[Hit, int, int]  # a line (or its bold part) of a chunk: the chunk and offsets in it


@dataclass
class Row:
    """One table row: where it is (its chunk and offsets there), its cells, and its section's text."""

    hit: Hit
    start: int
    end: int
    cells: tuple[str, ...]
    section: str  # the headings the row's table sits in, as written (公告（2024年第1号） / 附表一、中央处理器（CPU）)
    dated: str  # the text under the top heading (where its date is)
    periods: tuple[str, ...]  # the periods and dates its section and its date line state
    top: Span | None  # the top heading (cited with the rows: it names what the table is of)

    @property
    def text(self) -> str:
        """The row's cells and its section, normalised for matching."""
        return normalise_for_match(" ".join([*self.cells, self.section, self.dated]))


def table_rows(query: Query, hits: list[Hit], context: Context) -> Answer | None:
    """The rows of one document's tables that a list or which-question picks out, each cited; None when the
    evidence holds no table, or the question's words pick out no rows (or every row)."""
    if not (query.asks_list or query.asks_product) or query.wants_number:
        return None
    for doc_id in dict.fromkeys(h.doc_id for h in hits if _ROW.search(h.text.split("\n", 1)[0]) or "\n|" in h.text):
        rows = document_rows(context.store.chunks_of(doc_id))
        chosen = _picked(query, rows, context)
        if chosen and (not query.asks_product or query.asks_count < 2 or len(chosen) == query.asks_count):
            return _answer(query, chosen)
    return None


def document_rows(chunks: list[Hit]) -> list[Row]:
    """Every data row of a document's tables, in order, each with its section (chunks overlap: a line is read
    once, from the first chunk that holds it whole)."""
    lines: dict[int, tuple[Hit, int, int]] = {}
    for hit in chunks:
        base = int(hit.metadata.get("start", 0))
        at = 0
        for line in hit.text.split("\n"):
            end = at + len(line)
            kept = lines.get(base + at)
            if line.strip() and (kept is None or kept[2] - kept[1] < end - at):  # a line cut at a chunk's end
                lines[base + at] = (hit, at, end)  # is read whole from the next chunk
            at = end + 1
    reach = -1
    for position in sorted(lines):  # a chunk's first line, cut, lies inside a whole line of the chunk before
        hit, start, end = lines[position]
        if position < reach:
            del lines[position]
        reach = max(reach, position + end - start)
    rows: list[Row] = []
    headings: list[Span] = []  # the open headings, outermost first
    dated = ""  # the text under the top heading (where its date is)
    added = False  # the line before was read as a row
    for position in sorted(lines):
        hit, start, end = lines[position]
        line = hit.text[start:end]
        match = _ROW.match(line)
        if match is None:
            added = False
            if _HEADING.match(line):
                bold = _BOLD.match(line)
                heading = (hit, start + bold.start(1), start + bold.end(1)) if bold else (hit, start, end)
                opened = _opened(headings, heading)
                dated = "" if not headings or opened[0] != headings[0] else dated
                headings = opened
            elif len(headings) == 1 and len(dated) < 200:
                dated += " " + line.strip()
            continue
        cells = tuple(c.strip().strip("*").strip() for c in match.group(1).split("|"))
        if "---" in line and added:
            rows.pop()  # the row right above a | --- | rule is the table's header
        added = False
        if _RULE.match(line) or not any(cells) or line.count("**") >= 2 or not cells[-1]:
            continue  # separators, empty rows and bold header rows
        titles = " / ".join(_said(h).strip("# ") for h in headings)
        periods = sentence_periods(f"{titles} {dated}", document_year(hit))
        rows.append(Row(hit, start, end, cells, titles, dated.strip(), periods, headings[0] if headings else None))
        added = True
    return rows


def _opened(headings: list[Span], heading: Span) -> list[Span]:
    """The open headings after ``heading``: a heading naming a period or numbered item starts a new top section;
    another one is added under the top one (replacing earlier sub-headings of the same level: 附表一 → 附表二)."""
    if _tops(heading) or not headings or not _tops(headings[0]):
        return [heading]
    level = _level(_said(heading))
    return [headings[0], *[s for s in headings[1:] if _level(_said(s)) < level], heading]


def _said(span: Span) -> str:
    hit, start, end = span
    return hit.text[start:end]


def _tops(span: Span) -> bool:
    """A heading that names a numbered item or a period (公告（2024年第1号）) opens a top section."""
    text = _said(span)
    return bool(_NUMBERED.search(text) or sentence_periods(text, document_year(span[0])))


def _level(heading: str) -> int:
    """1 for a table's caption (附表一), 2 for a part of it ((一) 集中式数据库), else 1."""
    return 2 if re.match(r"^\**\s*[（(][一二三四五六七八九十\d]+[）)]", heading) else 1


def _picked(query: Query, rows: list[Row], context: Context) -> list[Row]:
    """The rows in the asked section whose own or section words include every discriminating question word."""
    asked = [normalise_for_match(r) for r in query.required]
    rows = [r for r in rows if all(a.replace(" ", "") in r.text.replace(" ", "") for a in asked)]
    rows = [r for r in rows if _in_period(query, r)]
    if not rows:
        return []
    terms = _terms(query, context)
    picked = rows
    discriminating = 0
    for forms in terms:
        if any(forms[0] in r.text for r in rows):  # a word the rows write as asked (CPU) is not widened to its
            forms = forms[:1]  # renderings (处理器 is in a GPU table's caption too)
        having = [r for r in picked if any(f in r.text for f in forms)]
        if having and len(having) < len(picked):
            picked, discriminating = having, discriminating + 1
    whole = bool(asked) and query.asks_product and len(picked) == query.asks_count  # 第2号…哪两款: its two rows
    if not (discriminating or whole) or len(picked) > MAX_ROWS or len({r.section for r in picked}) > 1:
        return []  # rows of one table only
    found = " ".join(normalise_for_match(f"{r.hit.metadata.get('title', '')} {r.text}") for r in picked)
    covered = sum(1 for forms in terms if any(f in found for f in forms))
    if covered * 2 <= len(terms) or not all(normalise_for_match(p) in found for p in query.products):
        return []  # the rows and their sections name most of the question's words, and every asked product
    return picked


def _in_period(query: Query, row: Row) -> bool:
    """The row's section is of the asked year or month (2024年第1号 is of 2024; a notice dated 2024-05-20 is of
    May 2024)."""
    labels = query.period.labels
    months = query.period.months
    if not labels and not months:
        return True
    years = {p[:4] for p in row.periods}
    if labels and not all(label[:4] in years for label in labels):
        return False
    return all(any(p.startswith(m) for p in row.periods) for m in months)


def _terms(query: Query, context: Context) -> list[tuple[str, ...]]:
    """The question's words as the rows may write them: companies and organisations by their Chinese names,
    English words by their renderings, Chinese words as written (the longest first)."""
    vocabulary = context.planner.vocabulary
    terms: list[tuple[str, ...]] = []
    for company in query.companies:
        terms.append(tuple(normalise_for_match(n) for n in context.registry[company].names))
    for name in query.organisations:
        terms.append((normalise_for_match(name),))
    skip = {normalise_for_match(r) for r in query.required}
    for word in sorted(set(tokenize(query.text)), key=len, reverse=True):
        if word in skip or word in ENGLISH_FUNCTION_WORDS or context.gate.question_word(word):
            continue
        if not _content(word):
            continue
        forms = (word,) if has_cjk(word) or not word.isalpha() else (word, *vocabulary.renderings(word))
        terms.append(tuple(normalise_for_match(f) for f in forms if f))
    return terms


def _content(word: str) -> bool:
    """A word that can tell rows apart: not a lone Chinese character or digit run, not a year."""
    if word.isdigit():
        return False
    return len(word) >= 2 or not (has_cjk(word) or word.isascii())


def _answer(query: Query, rows: list[Row]) -> Answer:
    """The top heading quoted and cited, the table's caption, then every row as written, each cited."""
    top = rows[0].top
    heads = [Candidate(*top, _said(top))] if top else []
    chosen = heads + [Candidate(r.hit, r.start, r.end, r.hit.text[r.start : r.end]) for r in rows]
    text, citations = extractive.compose(query, chosen)
    lines = text.split("\n")
    caption = rows[0].section.split(" / ")[-1] if " / " in rows[0].section else ""
    label = "来源的表格：" if query.language == "zh" else "The source's table: "
    head = f"{label}{lines[0]}" + (f" · {caption}" if caption else "") if heads else label + rows[0].section
    body = lines[1:] if heads else lines
    return Answer("\n".join([head, *body]), False, citations, language=query.language)
