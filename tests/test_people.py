"""People in sentences (role + name, name + reporting verb) and their pinyin, on sentences we wrote."""

from __future__ import annotations

import pytest

from assistant.answer.people import chinese_name_in, person_names, pinyin_names, romanised


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("某云公司总裁、研究院院长李文涛表示，新芯片只供自用。", ["李文涛"]),
        ("该公司联合首席执行官周海明在说明会上称需求强劲。", ["周海明"]),
        ("前某外企副总裁、中国区总经理刘建国创立了这家公司。", ["刘建国"]),
        ("执行总裁 王平表示，车载芯片明年流片。", ["王平"]),
        ("创始人、CEO欧阳明首次回应了市场传闻。", ["欧阳明"]),
        ("The deal was led by partner Chen Hua and partner Li Na of the firm.", ["Chen Hua", "Li Na"]),
        ("公司总经理表示，营收增长较快。", []),
        ("公司表示将扩产。", []),
    ],
)
def test_person_names(sentence: str, names: list[str]) -> None:
    assert person_names(sentence) == names


def test_romanised_puts_the_surname_first_and_keeps_other_names() -> None:
    assert romanised("李文涛") == "Li Wentao"
    assert romanised("欧阳明") == "Ouyang Ming"
    assert romanised("Chen Hua") == "Chen Hua"


def test_a_pinyin_name_in_an_english_question_is_found_as_chinese_writes_it() -> None:
    """ "Yang Jian" and "Liu Chenguang" are people: either word of the name finds 杨建 / 刘晨光 in Chinese text;
    "Moore Threads" is no person (Moore is no surname syllable), and a namesake with other characters' sounds is
    not the person."""
    names = pinyin_names("According to Yang Jian and Liu Chenguang, what did Moore Threads ship?")
    assert names["jian"] == ("yang", "jian") and names["liu"] == ("liu", "chenguang")
    assert "moore" not in names
    assert chinese_name_in(names["yang"], "联合创始人杨建表示，") == "杨建"
    assert chinese_name_in(names["liu"], "总经理刘晨光透露") == "刘晨光"
    assert chinese_name_in(names["liu"], "总经理刘成刚透露") == ""
