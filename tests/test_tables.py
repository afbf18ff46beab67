"""Table rows as answers (``assistant/answer/tables.py``): list and "which" questions over a notice's tables.

``tests/fixtures/tables/adaptation_results.md`` is written for these tests: an invented alliance's page gathering
two numbered notices (2025年第1号 of 2025-03-18, 2025年第2号 of 2025-08-26), each with a CPU table and a GPU
table, and prose before and after them. Notice 1's GPU table spans three chunks, and its row 8 (HG-300, two
submitters joined by "；") is cut at the end of one chunk and whole in the next.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.answer.tables import Row, document_rows
from assistant.types import Answer, Hit
from tests.conftest import ingested

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tables"

NOTICE_1 = "星桥芯片适配认证结果公告（2025年第1号）"
NOTICE_2 = "星桥芯片适配认证结果公告（2025年第2号）"
CPU = "附表一、中央处理器（CPU）"
GPU = "附表二、图形处理器（GPU）"
HYGON = "海光信息技术股份有限公司"
MOORE = "摩尔线程智能科技（北京）股份有限公司"


def _row(number: int, product: str, submitter: str, level: str) -> str:
    return f"| {number} | {product} | {submitter} | {level} |"


# Notice 1 (2025-03-18): Hygon's CPUs and GPUs at both levels; row 8 is the one cut at a chunk's end.
N1_HX8100 = _row(1, "海光处理器HX-8100", HYGON, "Ⅱ级")
N1_HX8050 = _row(2, "海光处理器HX-8050", HYGON, "Ⅰ级")
N1_HG200 = _row(1, "海光加速卡HG-200", HYGON, "Ⅱ级")
N1_HG260 = _row(2, "海光加速卡HG-260", HYGON, "Ⅱ级")
N1_HG120 = _row(3, "海光加速卡HG-120", HYGON, "Ⅰ级")
N1_X210 = _row(4, "摩尔线程显卡MTT X210", MOORE, "Ⅱ级")
N1_X110 = _row(5, "摩尔线程显卡MTT X110", MOORE, "Ⅰ级")
N1_HG300 = _row(8, "海光加速卡HG-300", f"{HYGON}；中科可控信息产业有限公司", "Ⅱ级")
HG300_CUT = f"| 8 | 海光加速卡HG-300 | {HYGON}；"
# Notice 2 (2025-08-26): two Hygon CPUs only; Moore Threads' and one Hygon GPU.
N2_HX9200 = _row(1, "海光处理器HX-9200", HYGON, "Ⅱ级")
N2_HX9160 = _row(2, "海光处理器HX-9160", HYGON, "Ⅰ级")
N2_X400 = _row(1, "摩尔线程显卡MTT X400", MOORE, "Ⅱ级")
N2_X320 = _row(2, "摩尔线程显卡MTT X320", MOORE, "Ⅰ级")
N2_HG400 = _row(3, "海光加速卡HG-400", HYGON, "Ⅱ级")


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return ingested(FIXTURES, tmp_path_factory.mktemp("tables") / "store")


def _table_lines(answer: Answer) -> list[str]:
    """The answer's lines quoting a table row."""
    return [line for line in answer.text.splitlines() if "| " in line]


def _quotes(answer: Answer) -> list[str]:
    return [c.quote for c in answer.citations]


def _lines(rows: list[Row]) -> list[str]:
    return [r.hit.text[r.start : r.end] for r in rows]


def _numbered(rows: list[Row]) -> list[Row]:
    """The rows numbered in their first cell (the data rows, whatever else is read as a row)."""
    return [r for r in rows if r.cells[0].isdigit()]


def _assert_rows(answer: Answer, expected: list[str], heading: str) -> None:
    """Exactly the expected rows, each once, each cited as written; the notice's heading cited with them."""
    assert not answer.refused, answer.text
    for row in expected:
        assert answer.text.count(row) == 1, (row, answer.text)
        assert row in _quotes(answer), (row, _quotes(answer))
    assert len(_table_lines(answer)) == len(expected), answer.text
    assert heading in _quotes(answer), _quotes(answer)


def test_a_companys_level_ii_gpus_of_the_asked_notice_are_its_rows(assistant: Assistant) -> None:
    """Hygon's Ⅱ级 rows of notice 1's GPU table: not its Ⅰ级 GPU (HG-120), not its Ⅱ级 CPU of the same notice
    (HX-8100), not its Ⅱ级 GPU of notice 2 (HG-400), and no other company's Ⅱ级 GPU (MTT X210)."""
    answer = assistant.ask("2025年第1号公告里，哪些海光GPU拿到了Ⅱ级？")
    _assert_rows(answer, [N1_HG200, N1_HG260, N1_HG300], NOTICE_1)
    for other in ("HG-120", "HX-8100", "HX-8050", "HG-400", "MTT X210", NOTICE_2):
        assert other not in answer.text, (other, answer.text)


@pytest.mark.parametrize(
    ("question", "expected", "heading", "others"),
    [
        (
            "Which Moore Threads processors were certified in the August 2025 announcement, and at what levels?",
            [N2_X400, N2_X320],
            NOTICE_2,
            ("MTT X210", "MTT X110"),
        ),
        (
            "Which Moore Threads processors were certified in the March 2025 announcement, and at what levels?",
            [N1_X210, N1_X110],
            NOTICE_1,
            ("MTT X400", "MTT X320"),
        ),
        ("2025年8月的公告里，摩尔线程有哪些显卡通过了认证？", [N2_X400, N2_X320], NOTICE_2, ("MTT X210", "MTT X110")),
    ],
    ids=["en-august", "en-march", "zh-august"],
)
def test_the_month_asked_picks_the_notice_dated_in_it(
    assistant: Assistant, question: str, expected: list[str], heading: str, others: tuple[str, ...]
) -> None:
    """Moore Threads (摩尔线程 in the registry) has GPU rows in both notices: the month names the notice by the
    date under its heading (2025-08-26, 2025-03-18), and each row keeps its level as written."""
    answer = assistant.ask(question)
    _assert_rows(answer, expected, heading)
    for other in others:
        assert other not in answer.text, (other, answer.text)


@pytest.mark.parametrize(
    ("question", "expected", "heading"),
    [
        ("第2号公告里入选的CPU是哪家公司的哪两款？", [N2_HX9200, N2_HX9160], NOTICE_2),
        ("第1号公告里入选的海光CPU是哪两款？", [N1_HX8100, N1_HX8050], NOTICE_1),
    ],
    ids=["notice2-cpu-which-company", "notice1-hygon-cpu"],
)
def test_which_two_is_answered_by_the_two_rows_that_match(
    assistant: Assistant, question: str, expected: list[str], heading: str
) -> None:
    """Exactly two rows of the asked notice's CPU table match: both are the answer (with their company), and no
    GPU row or header row."""
    answer = assistant.ask(question)
    _assert_rows(answer, expected, heading)
    assert "海光" in answer.text and "加速卡" not in answer.text and "显卡" not in answer.text, answer.text
    assert "产品名称" not in answer.text, answer.text


@pytest.mark.parametrize(
    "question",
    [
        "第1号公告里入选的CPU是哪家公司的哪两款？",  # four CPU rows of three companies
        "第2号公告里入选的海光CPU是哪三款？",  # only two
    ],
    ids=["notice1-four-cpus", "notice2-hygon-three"],
)
def test_which_two_is_not_answered_from_rows_when_another_number_of_rows_match(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)
    assert not _table_lines(answer), answer.text


@pytest.mark.parametrize(
    ("question", "refused", "phrase"),
    [
        ("下一批认证需要送测单位提交哪些材料？", False, "工程样片"),  # 送测单位 is a column's name
        ("星桥芯片适配联盟的认证分为哪几个等级？", False, "分为Ⅰ级和Ⅱ级两档"),  # 等级 is a column's name too
        ("本年度两期公告共有多少款产品通过认证？", False, "18款"),  # a figure in the prose
        ("摩尔线程MTT S4000通过了哪一级认证？", True, ""),  # a product no table lists
    ],
    ids=["prose-list", "prose-levels", "prose-figure", "unlisted-product"],
)
def test_a_question_about_something_else_in_the_document_is_not_answered_by_rows(
    assistant: Assistant, question: str, refused: bool, phrase: str
) -> None:
    """The same document is retrieved, but the question is about its prose or a product its tables do not list:
    no table row answers it."""
    answer = assistant.ask(question)
    assert not _table_lines(answer), answer.text
    assert answer.refused is refused, answer.text
    assert phrase in answer.text, answer.text


def _only_document(assistant: Assistant) -> str:
    (doc_id,) = assistant.store.documents()
    return doc_id


def test_the_fixture_cuts_a_row_at_a_chunks_end(assistant: Assistant) -> None:
    """What the boundary tests rely on: one chunk ends inside row 8 (at its "；"), the next holds it whole, and
    rows 1–2 of the same table are in two chunks' overlap."""
    chunks = assistant.store.chunks_of(_only_document(assistant))
    assert any(c.text.endswith(HG300_CUT) for c in chunks), [c.text[-40:] for c in chunks]
    assert sum(N1_HG300 in c.text for c in chunks) == 1
    assert sum(N1_HG200 in c.text for c in chunks) == 2


def test_a_row_cut_at_a_chunks_end_is_answered_whole_and_once(assistant: Assistant) -> None:
    answer = assistant.ask("2025年第1号公告里，哪些产品由海光和中科可控联合送测？")
    _assert_rows(answer, [N1_HG300], NOTICE_1)
    assert HG300_CUT not in _quotes(answer), _quotes(answer)


def test_every_row_of_the_stored_chunks_is_read_once_and_whole(assistant: Assistant) -> None:
    """Rows in two chunks' overlap are read once; the cut row is read from the chunk that holds it whole."""
    rows = document_rows(assistant.store.chunks_of(_only_document(assistant)))
    lines = _lines(_numbered(rows))
    assert lines.count(N1_HG200) == 1 and lines.count(N1_HG260) == 1, lines
    assert lines.count(N1_HG300) == 1 and HG300_CUT not in lines, lines
    assert len(lines) == len(set(lines)), lines
    assert [(r.section, r.cells[0]) for r in rows if r.cells[1] == "海光加速卡HG-300"] == [(f"{NOTICE_1} / {GPU}", "8")]
    assert len(_numbered(rows)) == 4 + 10 + 2 + 4, lines


def test_the_stored_tables_give_no_header_rows(assistant: Assistant) -> None:
    """Each table opens with a plain Markdown header row (| 序号 | 产品名称 | 送测单位 | 认证等级 |, then | --- |):
    it names the columns and is no row of the table."""
    rows = document_rows(assistant.store.chunks_of(_only_document(assistant)))
    assert len(rows) == 4 + 10 + 2 + 4, _lines(rows)
    assert not any("产品名称" in r.cells for r in rows), _lines(rows)


# A page of two notices, the first with a plain Markdown header row, the second in the style of a pasted Word
# table: an empty header row, the column names in bold, and an "\_" row left over from a merged cell.
_PAGE = """# 认证结果汇总

**示例认证结果公告（2025年第1号）**

发布日期：2025-03-18

**附表一、中央处理器（CPU）**

| 序号 | 产品名称 | 送测单位 | 认证等级 |
| --- | --- | --- | --- |
| 1 | 甲处理器A-100 | 甲公司 | Ⅱ级 |
| 2 | 甲处理器A-50 | 甲公司 | Ⅰ级 |

**附表二、图形处理器（GPU）**

| 序号 | 产品名称 | 送测单位 | 认证等级 |
| --- | --- | --- | --- |
| 1 | 乙显卡B-10 | 乙公司；丙公司 | Ⅱ级 |
| 2 | 乙显卡B-20 | 乙公司 | Ⅰ级 |
| 3 | 丁显卡D-30 | 丁公司 | Ⅰ级 |

**示例认证结果公告（2025年第2号）**

发布日期：2025-08-26

**附表一、中央处理器（CPU）**

|  |  |  |  |
| --- | --- | --- | --- |
| **序号** | **产品名称** | **送测单位** | **认证等级** |
| 1 | 甲处理器A-200 | 甲公司 | Ⅱ级 |
| \\_ | | | |
| 2 | 甲处理器A-210 | 甲公司 | Ⅰ级 |
"""


def _chunk(start: int, end: int, index: int) -> Hit:
    meta = {"start": start, "end": end, "chunk_index": index, "published": "2025-09-02", "title": "认证结果汇总"}
    return Hit(f"page-{index:04d}", "page", _PAGE[start:end], meta)


def _page_chunks() -> list[Hit]:
    """Three overlapping chunks: the first ends inside B-10's row (after its "；"), the second opens two rows back
    (the overlap), the third opens inside D-30's row (a cut first line the chunk before holds whole)."""
    cut = _PAGE.index("乙公司；") + len("乙公司；")
    second = _PAGE.index("| 2 | 甲处理器A-50")
    third = _PAGE.index("D-30 | 丁公司")
    assert second < cut < third
    return [_chunk(0, cut, 0), _chunk(second, len(_PAGE) - 40, 1), _chunk(third, len(_PAGE), 2)]


def test_document_rows_reads_each_data_row_once_whole() -> None:
    rows = _numbered(document_rows(_page_chunks()))
    assert [r.cells for r in rows] == [
        ("1", "甲处理器A-100", "甲公司", "Ⅱ级"),
        ("2", "甲处理器A-50", "甲公司", "Ⅰ级"),
        ("1", "乙显卡B-10", "乙公司；丙公司", "Ⅱ级"),
        ("2", "乙显卡B-20", "乙公司", "Ⅰ级"),
        ("3", "丁显卡D-30", "丁公司", "Ⅰ级"),
        ("1", "甲处理器A-200", "甲公司", "Ⅱ级"),
        ("2", "甲处理器A-210", "甲公司", "Ⅰ级"),
    ]
    for line in _lines(rows):
        assert line.startswith("| ") and line.endswith(" |") and line in _PAGE, line
    assert "| 1 | 乙显卡B-10 | 乙公司；丙公司 | Ⅱ级 |" in _lines(rows)


def test_document_rows_gives_each_row_its_notice_its_table_and_its_date() -> None:
    rows = _numbered(document_rows(_page_chunks()))
    first = "示例认证结果公告（2025年第1号）"
    second = "示例认证结果公告（2025年第2号）"
    assert [r.section for r in rows] == [
        f"{first} / 附表一、中央处理器（CPU）",
        f"{first} / 附表一、中央处理器（CPU）",
        f"{first} / 附表二、图形处理器（GPU）",
        f"{first} / 附表二、图形处理器（GPU）",
        f"{first} / 附表二、图形处理器（GPU）",
        f"{second} / 附表一、中央处理器（CPU）",
        f"{second} / 附表一、中央处理器（CPU）",
    ]
    assert [r.dated for r in rows] == ["发布日期：2025-03-18"] * 5 + ["发布日期：2025-08-26"] * 2
    assert all("2025-03-18" in r.periods for r in rows[:5]) and all("2025-08-26" in r.periods for r in rows[5:])
    tops = [r.top[0].text[r.top[1] : r.top[2]] for r in rows if r.top]
    assert tops == [first] * 5 + [second] * 2


@pytest.mark.parametrize(
    "header",
    [
        "| 序号 | 产品名称 | 送测单位 | 认证等级 |",  # a plain Markdown header (followed by | --- |)
        "| **序号** | **产品名称** | **送测单位** | **认证等级** |",
        "|  |  |  |  |",
        "| --- | --- | --- | --- |",
        "| \\_ | | | |",
    ],
    ids=["plain-header", "bold-header", "empty-header", "separator", "merged-cell"],
)
def test_document_rows_skips_header_separator_and_empty_rows(header: str) -> None:
    rows = document_rows(_page_chunks())
    assert header not in _lines(rows), _lines(rows)
