"""Chinese-aware chunking: whole sentences, exact offsets, bounded size, headings and pages respected."""

from __future__ import annotations

from assistant.ingest.chunking import chunk_document
from assistant.text import split_sentences
from assistant.types import Document, PageSpan


def _doc(text: str, pages: tuple[PageSpan, ...] = ()) -> Document:
    return Document(doc_id="d", path="/x", text=text, content_hash="h", title="t", pages=pages)


def test_sentences_keep_their_end_marks_and_closing_quotes() -> None:
    text = "壁仞科技上市了。募资多少？约55.83亿港元！他说：“很好。”Revenue was 4.38 bn. Growth was 243%."
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        "壁仞科技上市了。",
        "募资多少？",
        "约55.83亿港元！",
        "他说：“很好。”",
        "Revenue was 4.38 bn.",
        "Growth was 243%.",
    ]


def test_decimal_points_do_not_end_sentences() -> None:
    assert len(list(split_sentences("寒武纪营收为11.74亿元，增长65.56%。"))) == 1


def test_chunks_are_whole_sentences_with_exact_offsets() -> None:
    text = "\n\n".join(f"第{i}段：摩尔线程2024年营收为4.38亿元，这是第{i}句话。" * 3 for i in range(20))
    doc = _doc(text)
    chunks = chunk_document(doc, max_chars=200, overlap=40)
    assert len(chunks) > 5
    for chunk in chunks:
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert len(chunk.text) <= 200
        assert chunk.text.endswith("。")
    covered = set()
    for chunk in chunks:
        covered.update(range(chunk.start, chunk.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_overlap_repeats_the_previous_tail() -> None:
    text = "".join(f"沐曦股份第{i}个事实是{i}亿元。" for i in range(40))
    chunks = chunk_document(_doc(text), max_chars=120, overlap=40)
    assert any(b.start < a.end for a, b in zip(chunks, chunks[1:], strict=False))


def test_headings_start_new_chunks() -> None:
    text = "# 标题一\n\n壁仞科技的事实。\n\n## 标题二\n\n沐曦股份的事实。"
    chunks = chunk_document(_doc(text), max_chars=300, overlap=0)
    assert [c.text.splitlines()[0] for c in chunks] == ["# 标题一", "## 标题二"]


def test_chunks_never_cross_pages() -> None:
    text = "第一页的句子。" * 3 + "\n\n" + "第二页的句子。" * 3
    first_end = len("第一页的句子。" * 3)
    pages = (PageSpan(1, 0, first_end), PageSpan(2, first_end + 2, len(text)))
    chunks = chunk_document(_doc(text, pages), max_chars=300, overlap=0)
    assert [(c.page, c.text) for c in chunks] == [(1, "第一页的句子。" * 3), (2, "第二页的句子。" * 3)]
