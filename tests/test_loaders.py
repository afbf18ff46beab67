"""Every format, every encoding, every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import IngestError
from assistant.ingest.loaders import iso_date, load
from assistant.text import normalise
from tests.conftest import write_two_page_pdf

LIMIT = 20_000_000


def test_markdown_front_matter_is_metadata(docs: Path) -> None:
    doc = load(docs / "biren.md", LIMIT)
    assert doc.title == "测试：壁仞科技港股招股"
    assert (doc.publisher, doc.published, doc.language, doc.source_id) == ("测试日报", "2025-12-22", "zh", "t01")
    assert doc.companies == ("biren",)
    assert not doc.text.startswith("---") and "42.1亿-48.5亿港元" in doc.text


def test_plain_text_title_is_first_non_empty_line(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("\n\n  摩尔线程速览  \n摩尔线程发行价为114.28元。\n", encoding="utf-8")
    doc = load(path, LIMIT)
    assert doc.title == "摩尔线程速览"


def test_html_keeps_main_text_without_tags_or_scripts(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>天数智芯上市</title><script>var x='不应出现';</script><style>p{}</style></head>"
        "<body><nav>导航菜单</nav><article><h1>天数智芯</h1><p>天数智芯发行价为144.60港元。</p></article></body></html>",
        encoding="utf-8",
    )
    doc = load(path, LIMIT)
    assert doc.title == "天数智芯上市"
    assert "144.60港元" in doc.text
    assert "不应出现" not in doc.text and "<p>" not in doc.text and "导航菜单" not in doc.text


def test_html_body_inside_markdown_is_converted(tmp_path: Path) -> None:
    path = tmp_path / "feed.md"
    path.write_text(
        "\n---\ntitle: 燧原发布新芯片\ndate: Thu, 08 Jul 2021 00:13:42 GMT\n---\n"
        "<p>燧原科技发布第二代训练芯片。</p><div><p>该芯片采用12nm工艺。</p></div><br/>",
        encoding="utf-8",
    )
    doc = load(path, LIMIT)
    assert doc.title == "燧原发布新芯片" and doc.published == "2021-07-08"
    assert "12nm" in doc.text and "<div>" not in doc.text


def test_pdf_text_is_read_per_page(tmp_path: Path) -> None:
    path = tmp_path / "hygon.pdf"
    write_two_page_pdf(path)
    doc = load(path, LIMIT)
    assert [p.page for p in doc.pages] == [1, 2]
    second = doc.pages[1]
    assert "63.72%" in doc.text[second.start : second.end]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk"])
def test_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes("寒武纪2024年营收为11.74亿元，同比增长65.56%。\n".encode(encoding))
    doc = load(path, LIMIT)
    assert doc.text.startswith("寒武纪2024年营收为11.74亿元")


def test_full_width_text_is_kept_in_quotes_and_normalised_for_indexing(tmp_path: Path) -> None:
    path = tmp_path / "fw.txt"
    path.write_text("壁仞科技２０２４年营收为３.３７亿元。", encoding="utf-8")
    doc = load(path, LIMIT)
    assert "３.３７亿元" in doc.text
    assert normalise(doc.text) == "壁仞科技2024年营收为3.37亿元。"
    assert len(normalise(doc.text)) == len(doc.text)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin.txt", bytes(range(0x80, 0x100)) * 4 + b"\x81\x30\xff\xfe", "undecodable"),
        ("broken.md", "---\ntitle: [unclosed\n---\n正文。".encode(), "front matter"),
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf", "PDF"),
        ("data.bin", b"hello", "unsupported"),
    ],
)
def test_bad_files_fail_with_one_line_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as info:
        load(path, LIMIT)
    assert reason.lower() in str(info.value).lower()
    assert "\n" not in str(info.value)


def test_oversized_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("壁仞科技。" * 1000, encoding="utf-8")
    with pytest.raises(IngestError, match="too large"):
        load(path, 1000)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [("2025-12-22", "2025-12-22"), ("Tue, 09 Aug 2022 17:15:26 GMT", "2022-08-09"), ("2018年10月10日", "2018-10-10")],
)
def test_dates_become_iso(raw: str, iso: str) -> None:
    assert iso_date(raw) == iso
