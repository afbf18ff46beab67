"""People named in evidence sentences, for "who" questions: the name is stated first, then the quote.

Chinese names are found where news text introduces a person: after a role (总裁, 创始人, 联合首席执行官 …) or before
a reporting verb (表示, 称, 透露 …), a common surname followed by one or two characters. English names are two or
three capitalised words after a role (partner Zhang Ming, CEO Lisa Su). An English answer gives a Chinese name in
pinyin with the characters: ``Zhang Jianfeng (张建锋)``.
"""

from __future__ import annotations

import re
from functools import cache

# Common surnames (the hundred most frequent cover ~85% of people), compound surnames first.
_COMPOUND = "欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|令狐|司徒|夏侯"
_SINGLE = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
    "范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜"
    "倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲"
    "房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商"
    "刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_ROLE = (
    r"(?:联合)?(?:首席执行官|首席技术官|首席财务官|首席运营官|执行总裁|副总裁|总裁|董事长|副董事长|董事|创始人|联合创始人|创办人"
    r"|总经理|副总经理|院长|所长|主席|合伙人|负责人|分析师|研究员|教授|总监|经理|秘书长|发言人|CEO|CTO|CFO|COO)"
)
_AFTER = (
    r"(?=表示|称|说|指出|认为|透露|介绍|强调|回应|坦言|在|于|已|将|曾|此前|先生|女士|博士|教授|创立|创办|出任|担任|带领|领导"
    r"|首次|也|还|就|对|向|与|和|等|率|亲自|同时|今天|今日|近日|日前|接受|宣布|发表|回答|提到|提出|解释|谈到|致辞"
    r"|[，,。、；;:：\s）)]|$)"
)
_NAME = rf"(?:{_COMPOUND}|[{_SINGLE}])[\u4e00-\u9fff]{{1,2}}?"
_ZH_AFTER_ROLE = re.compile(rf"{_ROLE}\s?(?P<name>{_NAME}){_AFTER}")
_ZH_BEFORE_VERB = re.compile(rf"(?<![\u4e00-\u9fff])(?P<name>{_NAME})(?=表示|称|透露|指出|坦言)")
_EN_ROLE = re.compile(
    r"\b(?:partner|chief executive|CEO|CTO|CFO|chairman|chairwoman|founder|co-founder|president|director|analyst|"
    r"head|executive|spokesperson|spokesman)\s+(?P<name>[A-Z][a-z]+(?:\s[A-Z][a-z]+){1,2})"
)
# Words a name never ends with or is (the pattern is greedy only up to a boundary).
_NOT_NAME = re.compile(r"^(?:公司|集团|科技|表示|认为|先生|女士)|[的了是在和与及其等为]")


def person_names(text: str) -> list[str]:
    """The people a sentence names, in order (``阿里云智能总裁张建锋表示`` → ``["张建锋"]``)."""
    found: list[tuple[int, str]] = []
    for pattern in (_ZH_AFTER_ROLE, _ZH_BEFORE_VERB, _EN_ROLE):
        for m in pattern.finditer(text):
            name = m.group("name")
            if not _NOT_NAME.search(name):
                found.append((m.start("name"), name))
    return list(dict.fromkeys(name for _, name in sorted(found)))


def pinyin_names(question: str) -> dict[str, tuple[str, str]]:
    """The Chinese people an English question names in pinyin, by each word of their name (``"Yang Jian"`` →
    ``{"yang": ("yang", "jian"), "jian": ("yang", "jian")}``): a capitalised surname syllable and a given name."""
    found: dict[str, tuple[str, str]] = {}
    for m in _EN_PINYIN_NAME.finditer(question):
        family, given = m.group(1).lower(), m.group(2).lower().replace("-", "")
        if family in _surname_syllables():
            found[family] = found[given] = (family, given)
    return found


def chinese_name_in(name: tuple[str, str], text: str) -> str:
    """The Chinese name in ``text`` whose pinyin is ``name`` (``("yang", "jian")`` finds 杨建), or ''."""
    family, given = name
    to_pinyin = _pinyin()
    for m in re.finditer(rf"{_COMPOUND}|[{_SINGLE}]", text):
        if "".join(to_pinyin(m.group())) != family:
            continue
        for length in (1, 2):
            rest = text[m.end() : m.end() + length]
            if len(rest) == length and re.fullmatch(r"[\u4e00-\u9fff]+", rest) and "".join(to_pinyin(rest)) == given:
                return m.group() + rest
    return ""


@cache
def _surname_syllables() -> frozenset[str]:
    to_pinyin = _pinyin()
    return frozenset("".join(to_pinyin(s)) for s in (*_COMPOUND.split("|"), *_SINGLE))


_EN_PINYIN_NAME = re.compile(r"\b([A-Z][a-z]{0,5})\s([A-Z][a-z]{1,11}(?:-[a-z]{1,6})?)\b")


def romanised(name: str) -> str:
    """A Chinese name in pinyin, surname first (``张建锋`` → ``Zhang Jianfeng``); other names unchanged."""
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name):
        return name
    syllables = _pinyin()(name)
    surname = 2 if re.match(_COMPOUND, name) else 1
    family = "".join(syllables[:surname]).capitalize()
    given = "".join(syllables[surname:]).capitalize()
    return f"{family} {given}".strip()


@cache
def _pinyin():  # type: ignore[no-untyped-def]
    from pypinyin import lazy_pinyin

    return lazy_pinyin
