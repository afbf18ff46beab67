"""Article hygiene: strip page furniture (menus, share buttons, bylines, images, footers) from body text.

Published pages saved as Markdown or text carry navigation, share buttons, bylines with view counters,
image tags, bare links and copyright footers. Left in, these lines get retrieved and quoted as answers.
:func:`clean_text` drops such lines, line by line, and keeps headings, tables and real sentences.
It is deliberately conservative: a line that reads like a sentence survives even when it holds a link.
"""

from __future__ import annotations

import re

_IMAGE = re.compile(r"!\[[^\[\]]*\]\((?:[^()]|\([^()]*\))*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_AUTOLINK = re.compile(r"<((?:https?:)?//[^<>\s]+)>")
_LIST_MARK = re.compile(r"^(?:[-*+•·>]+\s*|\d{1,2}[.)、]\s+)")
_HEADING = re.compile(r"^#{1,6}\s")
_URL = r"(?:(?:https?:)?//|www\.)\S+|(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[/?#:]\S*)?"
_URL_ONLY = re.compile(rf"<?(?:{_URL})>?", re.I)
_LABELLED_URL = re.compile(rf"[^\s。，,.!?！？]{{1,12}}\s*[:：]\s*<?(?:{_URL})>?", re.I)
_FIGURE = re.compile(
    r"\d[\d,.]*\s*(?:%|％|亿|万|千|元|美元|港元|倍|年|月|日|nm|tops|tflops|gb|tb|mhz|ghz|billion|million|bn|mn)", re.I
)
_SENTENCE_END = "。！？!?.;；…"
_INVISIBLE: dict[int, str | None] = {**dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060")), 0xA0: " "}

_NAV_MENU = (
    "登录 登陆 注册 退出 首页 返回首页 返回顶部 上一篇 下一篇 上一页 下一页 更多 分享 收藏 打印 关闭 评论 点赞 "
    "举报 纠错 文章纠错 投稿 订阅 搜索 微博 微信 qq qq空间 朋友圈 复制链接 取消 允许 知道了 使用小程序 小程序 "
    "视频 赞 在看 分析 留言 听过 login signin signup register logout home share print email tweet facebook "
    "twitter linkedin weibo wechat subscribe menu search next previous top"
)
_NAV_WORDS = frozenset(_NAV_MENU.split())
_BYLINE = re.compile(
    r"发表于\s*\d{4}|\(\d+\)\s*发表|(?:阅读数|阅读量|浏览量|浏览数|阅读|浏览|评论数)\s*[:：]\s*\d+"
    r"|^(?:[Ww]ritten|[Pp]osted|[Pp]ublished)\s+by\s|^[Bb]y\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3}\s*(?:[|,·•]|$)"
)
_COUNTER = re.compile(
    "|".join(
        (
            r"^(?:评论|留言|点赞|收藏|分享|转发|阅读|浏览|comments?|likes?|shares?|views?)\s*[(（:：]?\s*\d+\s*[)）]?$",
            r"^\d+\s*(?:条评论|条留言|人参与|次阅读|人阅读|次浏览|comments?|likes?|shares?|views?)$",
            r"^\d+\s*min(?:ute)?s? read$|本文已被查看|(?:查看|阅读|浏览)\S{0,2}\s*\d+\s*次",
        )
    ),
    re.I,
)
_LABEL = re.compile(
    r"^(?:责任编辑|编辑|作者|记者|通讯员|文源|来源|出品|撰文|排版|审核|审校|校对|编译|策划|主编|美编|"
    r"图片来源|图源|图片|图|原标题|本文作者|原文链接|原文地址|本文链接|本文地址|source|photo|image|credit|editor|author)"
    r"\s*[|｜:：]",
    re.I,
)
_BOILERPLATE = re.compile(
    "|".join(
        (
            r"版权所有|版权归|版权声明|版权属于|内容版权|©|\bcopyright\b|all rights reserved",
            r"如需转载|转载请|禁止转载|未经(?:许可|授权)|经授权发布|授权转载|如有侵权|侵删|联系删除",
            r"请点击|点击(?:这里|此处|下方|上方|下图|上图|左下角|右上角|蓝字|阅读原文|查看|链接|进入|关注|图片|了解|报名|下载)",
            r"阅读原文|扫码|扫描.{0,8}二维码|长按.{0,8}(?:识别|二维码)|关注(?:我们|该?公众号)|欢迎关注",
            r"微信扫一扫|滑动看下一个|轻点两下|使用完整服务|^\W*(?:the end|全文完|完)\W*$",
            r"^(?:相关阅读|相关文章|相关新闻|推荐阅读|延伸阅读|热门文章|猜你喜欢|往期回顾|往期推荐|精彩推荐)\W*$",
            r"^(?:related (?:news|articles|posts|stories)|latest news|read more|more news|recommended)\W*$",
            r"^(?:comments are closed|leave a (?:comment|reply))\W*$|^\[ad_\d+\]$",
            r"^(?:分享到|分享至)|^(?:话题标签|标签|关键词|关键字|tags?|topics?)\s*[:：]",
            r"icp[备证]|备案号|举报(?:电话|邮箱|专线|专区)|违法和不良信息|邮发代号|征订热线",
            r"this (?:website|site) uses cookies|images are for reference only|aggregated from",
            r"(?:报价|報價|行情)由\S{1,12}提供|阅读(?:约|需要?)\s*\d+\s*分钟",
            r"[。！？.!?」”]\s*--\s*[^\s-]{1,15}$|^来自\S{1,15}$",
        )
    ),
    re.I,
)
_BOILERPLATE_MAX = 200
_LABEL_MAX = 40
_FRAGMENT_MAX = 6
_CAPTION_MAX = 40


def clean_text(text: str) -> str:
    """Page text without navigation, share buttons, bylines, image tags, bare links or boilerplate.

    Markdown image tags are removed, links inside kept lines become their text, Markdown tables and
    headings are kept, and runs of blank lines shrink to one.

    Args:
        text: Body text of a Markdown, text or HTML-converted document (front matter already removed).

    Returns:
        The cleaned text, stripped of leading and trailing blank lines.
    """
    rows = [_classify(line) for line in text.splitlines()]
    kept: list[str] = []
    for index, (kind, line) in enumerate(rows):
        if kind in ("drop", "nav", "image") or (kind == "text" and _is_stray(rows, index)):
            continue
        if kind == "blank" and (not kept or not kept[-1]):
            continue
        kept.append(line)
    return "\n".join(kept).strip("\n")


def _classify(raw: str) -> tuple[str, str]:
    """One line as (kind, cleaned text): blank, table, heading, text, image, nav (menus) or drop."""
    line = raw.translate(_INVISIBLE).rstrip()
    if not line.strip():
        return "blank", ""
    if line.lstrip().startswith("|"):
        return "table", line
    without_images = _IMAGE.sub("", line)
    if without_images != line and looks_like_caption(_plain(_LINK.sub(r"\1", without_images))):
        return "image", ""
    if not re.search(r"\w", without_images):
        return "drop", ""
    if _is_navigation(without_images):
        return "nav", ""
    text = _AUTOLINK.sub(r"\1", _LINK.sub(r"\1", without_images)).rstrip()
    if _is_boilerplate(_plain(text)):
        return "drop", ""
    return ("heading" if _HEADING.match(text.lstrip()) else "text"), text


def _plain(text: str) -> str:
    """The words of a line: no list marker, heading marks or emphasis."""
    text = _LIST_MARK.sub("", text.strip().lstrip("#").strip())
    return text.replace("**", "").replace("__", "").strip()


def _is_navigation(line: str) -> bool:
    """True for a line of links, a bare URL or domain, a labelled URL or a menu of nav words."""
    links = [match.group(1) for match in _LINK.finditer(line)]
    residue = _plain(_LINK.sub(" ", line))
    link_text = " ".join(links).strip()
    if links and not looks_like_sentence(link_text):
        words = re.findall(r"\w", residue)
        if not words or (len(links) >= 2 and len(words) <= 4):
            return True
    text = _plain(_LINK.sub(r"\1", line))
    if is_bare_url(text) or _LABELLED_URL.fullmatch(text):
        return True
    tokens = [token for token in re.split(r"[\s|｜/·•,，、:：]+", text.lower()) if token]
    return bool(tokens) and all(token in _NAV_WORDS for token in tokens)


def _is_boilerplate(text: str) -> bool:
    """True for bylines and counters (unless the line reads as a sentence), labels, copyright and promo lines."""
    if len(text) <= _LABEL_MAX and _LABEL.search(text):
        return True
    if len(text) > _BOILERPLATE_MAX:
        return False
    if (_BYLINE.search(text) or _COUNTER.search(text)) and not looks_like_sentence(text):
        return True
    return bool(_BOILERPLATE.search(text))


def _is_stray(rows: list[tuple[str, str]], index: int) -> bool:
    """True for an image caption, or a scrap of a menu (a few characters next to dropped menu lines)."""
    text = _plain(rows[index][1])
    before, after = _neighbour(rows, index, -1), _neighbour(rows, index, 1)
    if len(text) <= _FRAGMENT_MAX and not re.search(r"\d", text) and "nav" in (before, after):
        return True
    raw = rows[index][1].strip()
    is_bold = raw.startswith(("**", "__")) and raw.endswith(("**", "__"))
    return before == "image" and not is_bold and looks_like_caption(text)


def looks_like_caption(text: str) -> bool:
    """True for the short, unpunctuated words that sit under or beside a picture.

    Args:
        text: The words next to an image (may be empty).

    Returns:
        Whether the text is at most 40 characters, holds no figure and does not end like a sentence or a label.
    """
    text = text.strip()
    if len(text) > _CAPTION_MAX or _FIGURE.search(text) or looks_like_sentence(text):
        return False
    return not text.endswith(tuple(_SENTENCE_END + ":：，,"))


def _neighbour(rows: list[tuple[str, str]], index: int, step: int) -> str:
    """Kind of the nearest non-blank line before (step -1) or after (step 1) the given one."""
    index += step
    while 0 <= index < len(rows):
        if rows[index][0] != "blank":
            return rows[index][0]
        index += step
    return "blank"


def is_bare_url(line: str) -> bool:
    """True when a line is nothing but a URL, ``//host/path``, or a bare domain with an optional path.

    Args:
        line: One line of text.

    Returns:
        Whether the stripped line is only a link target.
    """
    return bool(_URL_ONLY.fullmatch(line.strip().rstrip("。.,，")))


def looks_like_sentence(text: str) -> bool:
    """True when text reads like a sentence: ends with sentence punctuation, or is long and has a comma.

    Args:
        text: A line or a link's text.

    Returns:
        Whether the text should be kept as content rather than treated as a menu item.
    """
    text = text.strip().strip("*_ ")
    if len(text) < 8:
        return False
    return text.endswith(tuple(_SENTENCE_END)) or (len(text) >= 15 and bool(re.search(r"[，,]", text)))


def is_title_like(line: str) -> bool:
    """True when a line can serve as a document title.

    A title is non-empty, at most 80 characters, does not end with sentence punctuation and is
    neither a URL nor a line of links.

    Args:
        line: The candidate line (usually the first non-empty line of the text).

    Returns:
        Whether the line looks like a title.
    """
    text = line.strip()
    if not text or len(text) > 80 or text.endswith(tuple(_SENTENCE_END)):
        return False
    return not (is_bare_url(text) or _LINK.search(text) or _IMAGE.search(text))
