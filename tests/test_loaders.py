"""Every format, every encoding, every kind of bad input."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from assistant.errors import IngestError
from assistant.ingest.clean import clean_text, is_title_like
from assistant.ingest.loaders import is_supported, iso_date, language, load
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


# ---------------------------------------------------------------------------
# Real-article hygiene. Every fixture below is invented (星河微电子 is a made-up company); the shapes
# imitate saved news pages: menus, share buttons, bylines with counters, image tags, bare links, footers.

PAGE = """---
title: 星河微电子发布第二代通用GPU
source: 星河科技情报站
date: Tue, 16 Nov 2021 09:20:59 GMT
link: https://news.example.test/story/1024
---

# 星河微电子发布第二代通用GPU

[登录](/login) [注册](/register)

* 栏目

  [历史文章](/?issue=20211115)
  [历史投票](/polls)
* [首页](//www.example.test/)
* [硬件](//hardware.example.test/)

solidot式的站点说明，请点击[这里](/faq)查看。

**本文已被查看 3120 次**

[![硬件](https://img.example.test/topics/hw.png)](/search?tid=7 "硬件")

[Nova](/~Nova) (12345)发表于 2021年11月16日 17时20分 星期二 [微博分享](//service.weibo.com/share.php?u=x "微博分享")
![](https://img.example.test/a1.png)

星河微电子今天发布第二代通用GPU“银河二号”，据[公司官网](https://xinghe.example.test/news)介绍，其FP32算力为32 TFLOPS。
[星河微电子前三季度营收8.13亿元，同比增长74.5%。](https://xinghe.example.test/report)
公司营收8.13亿元。[原文](https://xinghe.example.test/q3)
https://example.test/source/1024
xinghe.example.test/gpu/galaxy-2
<https://example.test/other>

| 型号 | 工艺 | 算力 |
| --- | --- | --- |
| 银河二号 | 7nm | [32 TFLOPS](https://xinghe.example.test/spec) |

![640?wx_fmt=jpeg](https://img.example.test/p?640?wx_fmt=jpeg)
银河二号样卡外观

相关阅读
分享到：微信 微博 QQ
责任编辑：小周
评论(12)
标签：GPU 星河微电子
© 2021 星河科技情报站 版权所有
京ICP备00000000号-1
———
"""

FURNITURE = (
    "登录",
    "注册",
    "栏目",
    "历史文章",
    "首页",
    "点击",
    "查看 3120",
    "发表于",
    "微博分享",
    "Nova",
    "example.test",
    "样卡外观",
    "相关阅读",
    "分享到",
    "责任编辑",
    "评论(12)",
    "标签",
    "版权所有",
    "ICP",
    "———",
    "![",
    "](",
)


def _page(tmp_path: Path, text: str = PAGE, name: str = "xinghe.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _prose(text: str) -> str:
    """The text without Markdown table lines (tables are kept verbatim, links included)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("|"))


def test_navigation_share_byline_and_boilerplate_lines_are_dropped(tmp_path: Path) -> None:
    doc = load(_page(tmp_path), LIMIT)
    prose = _prose(doc.text)
    assert [word for word in FURNITURE if word in prose] == []
    assert doc.text.startswith("# 星河微电子发布第二代通用GPU")


def test_image_tags_are_removed_with_their_captions(tmp_path: Path) -> None:
    text = "# 星河简报\n\n![](https://img.example.test/a.png)\n星河总部大楼\n\n星河微电子在上海设有研发中心。\n"
    text += "![图](https://img.example.test/b.png) 星河微电子2023年研发投入3.2亿元。\n"
    doc = load(_page(tmp_path, text), LIMIT)
    assert "![" not in doc.text and "img.example.test" not in doc.text and "星河总部大楼" not in doc.text
    assert "星河微电子在上海设有研发中心。" in doc.text.splitlines()
    assert "星河微电子2023年研发投入3.2亿元。" in doc.text


def test_links_inside_real_sentences_become_their_text(tmp_path: Path) -> None:
    lines = load(_page(tmp_path), LIMIT).text.splitlines()
    assert "星河微电子今天发布第二代通用GPU“银河二号”，据公司官网介绍，其FP32算力为32 TFLOPS。" in lines


def test_sentences_with_figures_survive_even_as_links(tmp_path: Path) -> None:
    lines = load(_page(tmp_path), LIMIT).text.splitlines()
    assert "星河微电子前三季度营收8.13亿元，同比增长74.5%。" in lines
    assert any(line.startswith("公司营收8.13亿元。") for line in lines)


def test_markdown_tables_are_kept_verbatim(tmp_path: Path) -> None:
    lines = load(_page(tmp_path), LIMIT).text.splitlines()
    assert "| 型号 | 工艺 | 算力 |" in lines and "| --- | --- | --- |" in lines
    assert "| 银河二号 | 7nm | [32 TFLOPS](https://xinghe.example.test/spec) |" in lines


def test_bare_urls_and_domain_paths_are_dropped_but_urls_in_sentences_stay() -> None:
    text = "星河微电子的开源驱动发布在 https://git.example.test/xinghe/driver 上，采用MIT许可证。\n"
    text += "git.example.test/xinghe/driver\nhttps://example.test/a?b=1\n原文链接：https://example.test/c\n"
    assert clean_text(text) == "星河微电子的开源驱动发布在 https://git.example.test/xinghe/driver 上，采用MIT许可证。"


def test_front_matter_source_and_link_fill_publisher_and_url(tmp_path: Path) -> None:
    doc = load(_page(tmp_path), LIMIT)
    assert (doc.publisher, doc.url, doc.published) == (
        "星河科技情报站",
        "https://news.example.test/story/1024",
        "2021-11-16",
    )


@pytest.mark.parametrize(
    ("front", "publisher", "url"),
    [
        ("author: 星河日报\nsource_url: https://a.example.test/1", "星河日报", "https://a.example.test/1"),
        ("site_name: 星河财经\ncanonical: https://b.example.test/2", "星河财经", "https://b.example.test/2"),
        ("site: 星河周刊\nsource: https://c.example.test/3", "星河周刊", "https://c.example.test/3"),
        (
            "publisher: 星河日报\nauthor: 小周\nurl: https://d.example.test/4\nlink: https://e.example.test/5",
            "星河日报",
            "https://d.example.test/4",
        ),
    ],
)
def test_publisher_and_url_fall_back_to_common_keys(tmp_path: Path, front: str, publisher: str, url: str) -> None:
    doc = load(_page(tmp_path, f"---\ntitle: 星河\n{front}\n---\n星河微电子发布新品。\n"), LIMIT)
    assert (doc.publisher, doc.url) == (publisher, url)


def test_rfc_2822_and_iso_datetime_front_matter_dates(tmp_path: Path) -> None:
    rfc = load(_page(tmp_path, "---\ndate: Tue, 16 Nov 2021 09:20:59 GMT\n---\n星河。\n", "a.md"), LIMIT)
    iso = load(_page(tmp_path, "---\ndate: 2025-10-03T22:05:55\n---\n星河。\n", "b.md"), LIMIT)
    assert (rfc.published, iso.published) == ("2021-11-16", "2025-10-03")


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("Tue, 16 Nov 2021 09:20:59 GMT", "2021-11-16"),
        ("2025-10-03T22:05:55", "2025-10-03"),
        ("2025-10-03T22:05:55.616539", "2025-10-03"),
        ("16 Nov 2021", "2021-11-16"),
        ("Nov 16, 2021", "2021-11-16"),
        (dt.datetime(2023, 4, 18, 23, 1), "2023-04-18"),
        ("not stated", ""),  # a note, not a date
        ("2025-12", "2025-12"),
    ],
)
def test_more_dates_become_iso(raw: object, iso: str) -> None:
    assert iso_date(raw) == iso


HTML_PAGE = """<html><head>
<meta property="og:title" content="星河微电子完成15亿元B轮融资">
<meta property="og:site_name" content="星河财经">
<meta property="article:published_time" content="2023-04-18T23:01:00+08:00">
<meta property="og:url" content="https://finance.example.test/xinghe-b">
<title>星河微电子完成融资_星河财经_手机版</title>
</head><body><article><h1>星河微电子完成融资</h1>
<p><a href="/">首页</a> | <a href="/tech">科技</a></p>
<p>星河微电子宣布完成<strong>15亿元</strong>B轮融资，由<a href="https://fund.example.test">某产业基金</a>领投。</p>
<p><img src="https://img.example.test/sign.jpg"><br>签约仪式现场</p>
<p class="tags">话题标签：<a href="/t/gpu">GPU</a><a href="/t/fund">融资</a></p>
<p>如需转载请注明出处：星河财经</p>
</article></body></html>"""


def test_html_meta_tags_give_title_publisher_date_and_url(tmp_path: Path) -> None:
    doc = load(_page(tmp_path, HTML_PAGE, "round.html"), LIMIT)
    assert doc.title == "星河微电子完成15亿元B轮融资"
    assert (doc.publisher, doc.published, doc.url) == (
        "星河财经",
        "2023-04-18",
        "https://finance.example.test/xinghe-b",
    )
    assert "星河微电子宣布完成15亿元B轮融资，由某产业基金领投。" in doc.text.splitlines()
    assert not any(word in doc.text for word in ("首页", "签约仪式现场", "话题标签", "转载"))


def test_html_meta_fallbacks_twitter_title_author_pubdate_canonical(tmp_path: Path) -> None:
    html = (
        '<html><head><meta name="twitter:title" content="星河快讯"><meta name="author" content="星河通讯社">'
        '<meta name="pubdate" content="Tue, 16 Nov 2021 09:20:59 GMT">'
        '<link rel="canonical" href="https://wire.example.test/42"><title>别的标题</title></head>'
        "<body><p>星河微电子今日开盘上涨3.5%。</p></body></html>"
    )
    doc = load(_page(tmp_path, html, "wire.htm"), LIMIT)
    assert (doc.title, doc.publisher, doc.published, doc.url) == (
        "星河快讯",
        "星河通讯社",
        "2021-11-16",
        "https://wire.example.test/42",
    )


def test_front_matter_beats_html_meta_tags(tmp_path: Path) -> None:
    body = HTML_PAGE.split("<html>", 1)[1]
    text = "---\ntitle: 星河融资（前言标题）\nauthor: 星河周刊\ndate: 2023-04-19\n---\n<html>" + body
    doc = load(_page(tmp_path, text, "feed.md"), LIMIT)
    assert (doc.title, doc.publisher, doc.published) == ("星河融资（前言标题）", "星河周刊", "2023-04-19")
    assert doc.url == "https://finance.example.test/xinghe-b"  # missing from front matter: the page's og:url


@pytest.mark.parametrize(
    ("name", "text", "title"),
    [
        ("brief.txt", "\n  星河微电子季度简报  \n星河微电子第三季度营收3.38亿元。\n", "星河微电子季度简报"),
        ("q3-note.txt", "星河微电子第三季度营收3.38亿元，同比增长116%。\n毛利率为63%。\n", "q3-note"),
        ("english.txt", "Xinghe ships its second GPU.\nThe chip uses a 7nm process.\n", "english"),
        ("long.txt", "星河微电子" * 20 + "\n正文。\n", "long"),
        ("links.txt", "[首页](/) [快讯](/news)\n星河微电子发布新品。\n", "links"),
        ("notes.md", "星河微电子投资者问答\n\n问：今年营收多少？\n", "星河微电子投资者问答"),
        ("memo.md", "星河微电子今年营收增长了三成。\n\n详见下文。\n", "memo"),
        ("headed.md", "导语一句话\n\n# 星河微电子年度回顾\n\n正文。\n", "星河微电子年度回顾"),
        ("heading-first.md", "## 星河二号评测\n\n正文。\n", "星河二号评测"),
    ],
)
def test_title_is_first_line_only_when_it_looks_like_one(tmp_path: Path, name: str, text: str, title: str) -> None:
    assert load(_page(tmp_path, text, name), LIMIT).title == title


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("星河微电子季度简报", True),
        ("星河微电子营收3.38亿元。", False),
        ("Is Xinghe profitable?", False),
        ("https://xinghe.example.test/a", False),
        ("xinghe.example.test/a/b", False),
        ("[首页](/) [快讯](/news)", False),
        ("", False),
        ("标" * 81, False),
    ],
)
def test_is_title_like(line: str, expected: bool) -> None:
    assert is_title_like(line) is expected


def test_html_inline_tags_do_not_split_sentences(tmp_path: Path) -> None:
    html = "<div><p>星河微电子<span>今年</span>营收<strong>8.13亿元</strong>，\n  同比增长<b>74.5%</b>。</p>"
    html += "<p>第二段。</p></div>"
    doc = load(_page(tmp_path, html, "inline.html"), LIMIT)
    assert doc.text.splitlines() == ["星河微电子今年营收8.13亿元， 同比增长74.5%。", "第二段。"]


WILD = Path("/work/shared/wild-dev/articles")
_BARE_URL = re.compile(r"<?(?:(?:https?:)?//|www\.)\S+>?|(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?", re.I)
_MD_LINK = re.compile(r"\[[^\[\]]*\]\([^()\s]*\)")


@pytest.mark.skipif(not WILD.is_dir(), reason=f"no shared real articles at {WILD}")
def test_real_articles_load_without_urls_images_or_menus() -> None:
    paths = sorted(path for path in WILD.iterdir() if is_supported(path))
    assert paths
    bad: list[str] = []
    for path in paths:
        for line in load(path, LIMIT).text.splitlines():
            text = line.strip()
            table = text.startswith("|")
            if _BARE_URL.fullmatch(text) or "![" in text or (not table and _MD_LINK.search(text)) or "[登录]" in text:
                bad.append(f"{path.name}: {text[:80]}")
    assert bad == []


def test_a_plain_text_byline_gives_the_publisher_and_is_not_body_text(tmp_path: Path) -> None:
    """A repost's opening 文源 | … / 作者 | … lines name its publisher; the article starts after them."""
    path = tmp_path / "repost.txt"
    path.write_text(
        "文源 | 芯片周刊\n作者 | 李文\n编辑 | 王芳\n国产GPU企业今年融资活跃。\n多家公司递交了上市申请。\n", "utf-8"
    )
    doc = load(path, 10_000_000)
    assert doc.publisher == "芯片周刊"
    assert doc.text.startswith("国产GPU企业今年融资活跃。") and "作者" not in doc.text


# An English brief that names its company once in characters, and a Chinese one full of English product names.
_ENGLISH = (
    "Moore Threads (摩尔线程) reported revenue of 1.2 billion yuan for the first half of the year. "
    "The Beijing company said shipments of its MTT S4000 accelerator grew quickly as data centre customers "
    "looked for local alternatives to Nvidia parts. Analysts expect the firm to narrow its losses next year, "
    "although it still spends heavily on research and on its MUSA software stack."
)
_CHINESE = "摩尔线程发布MTT S4000显卡，采用MUSA架构，并兼容Nvidia的CUDA生态。公司表示，今年上半年营收同比增长。"


def test_a_documents_language_is_detected_from_its_text() -> None:
    assert language(_ENGLISH) == "en"
    assert language(_CHINESE) == "zh"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("brief.md", f"---\ntitle: Moore Threads results\npublisher: Test Wire\n---\n{_ENGLISH}\n", "en"),
        ("plain.md", f"{_ENGLISH}\n", "en"),  # no front matter at all
        ("note.txt", f"{_ENGLISH}\n", "en"),
        ("brief-zh.md", f"---\ntitle: 摩尔线程新品\n---\n{_CHINESE}\n", "zh"),
        ("stated.md", f"---\ntitle: 摩尔线程新品\nlanguage: en\n---\n{_CHINESE}\n", "en"),  # stated wins
    ],
)
def test_a_file_without_a_stated_language_loads_with_the_detected_one(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert load(path, LIMIT).language == expected
