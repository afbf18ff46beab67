"""The English -> Chinese glossary: data checks and the lemma fallback of ``Vocabulary.chinese_terms``."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.glossary import candidate_keys
from assistant.vocabulary import shipped

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3400-\u9fff]")
KEY = re.compile(r"^[a-z0-9][a-z0-9 &'./-]*[a-z0-9.&]$|^[a-z]$")
# Latin-letter renderings that Chinese articles use as they are.
ACRONYMS = frozenset(
    {
        *(
            "AI",
            "AIGC",
            "HPC",
            "PCB",
            "ASIC",
            "BIS",
            "CAGR",
            "CEO",
            "CFO",
            "COO",
            "CPU",
            "CTO",
            "Chiplet",
            "CoWoS",
            "DCU",
            "DPU",
        ),
        *("DRAM", "DUV", "DisplayPort", "EBITDA", "EDA", "EPS", "EUV", "FLOPS", "FP16", "FP32", "FP64", "FPGA"),
        *("Fabless", "GDDR", "GPGPU", "GPU", "H1", "H2", "HBM", "HDMI", "HKEX", "IC", "IPO", "LLM", "NPU", "NVLink"),
        *("PC", "Pre-IPO", "Q1", "Q2", "Q3", "Q4", "RISC-V", "SoC", "TDP", "TFLOPS", "TPU", "Token", "VRAM", "WAIC"),
        "Tensor Core",
    }
)
# Characters found only in traditional Chinese: renderings must be simplified.
TRADITIONAL = set(
    "營業淨價證資發產導體計據區國務負債術貨單實測評廠機構團隊員東長總幣會險戰劃標應額權點開關稅製鏈線網絡聯級類規運銷"
    "費購併換買賣漲變動與為個們來時間這說過還進經濟見現電腦雲層數處顯憶頻寬輸擴創辦執監訂給場補貼專護龍頭後於萬億條參"
    "預損虧認歸屬擁審議詢盤紀錄勢態傳統軟圖視訊緣邊戶達斷獨裝遞讓驗擬譯編碼環陸灣紐納韓蘭歐錢純盡慣從內齊語"
)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate mapping keys (PyYAML keeps the last one silently)."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


@pytest.fixture(scope="module")
def raw() -> dict[Any, Any]:
    text = resources.files("assistant.data").joinpath("glossary.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    assert isinstance(data, dict)
    return data


def test_duplicate_keys_are_detected() -> None:
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key"):
        yaml.load("chip: [芯片]\nchip: [晶片]\n", Loader=_UniqueKeyLoader)


def test_keys_are_lower_case_ascii_strings(raw: dict[Any, Any]) -> None:
    for key in raw:
        # Unquoted yes/no/on/off/null or numbers would load as bool/None/int.
        assert isinstance(key, str), key
        assert key.isascii() and key == key.lower() == key.strip(), key
        assert "  " not in key and KEY.match(key), key


def test_values_are_simplified_chinese_or_known_acronyms(raw: dict[Any, Any]) -> None:
    for key, values in raw.items():
        assert isinstance(values, list) and values, key
        assert len(values) == len(set(values)), f"repeated rendering under {key!r}"
        for value in values:
            assert isinstance(value, str) and value == value.strip() and value, (key, value)
            assert CJK.search(value) or value in ACRONYMS, (key, value)
            assert not TRADITIONAL & set(value), f"traditional character in {key!r}: {value!r}"
            assert len(value) <= 16, f"{key!r}: renderings are terms, not sentences: {value!r}"


def test_size_and_coverage(raw: dict[Any, Any]) -> None:
    assert len(raw) >= 400
    expected = {
        "tape-out": "流片",
        "mass production": "量产",
        "graphics card": "显卡",
        "founder": "创办人",
        "net profit": "纯利",
        "revenue": "经营收入",
        "attributable": "归母",
        "recurring": "扣非",
        "year-on-year": "同比",
        "quarter-on-quarter": "环比",
        "cornerstone": "基石",
        "over-allotment": "超额配售",
        "entity list": "实体清单",
        "localisation": "国产化",
        "big fund": "大基金",
        "largest shareholder": "第一大股东",
        "law firm": "律所",
        "next year": "明年",
        "reason": "原因",
    }
    for key, rendering in expected.items():
        assert rendering in raw[key], key


def test_load_glossary_is_cached_and_typed() -> None:
    glossary = shipped().glossary
    assert glossary is shipped().glossary
    assert glossary["chip"][0] == "芯片"
    assert all(isinstance(v, tuple) for v in glossary.values())


def test_exact_key_wins() -> None:
    glossary = shipped().glossary
    for key, values in glossary.items():
        assert shipped().chinese_terms(key) == values, key
    assert shipped().chinese_terms("sales") == glossary["sales"] != glossary["sale"]


def test_case_whitespace_and_punctuation() -> None:
    assert shipped().chinese_terms("  Net   Profit ") == shipped().glossary["net profit"]
    assert shipped().chinese_terms("GPU?") == shipped().glossary["gpu"]
    assert shipped().chinese_terms("company's") == shipped().glossary["company"]
    assert shipped().chinese_terms("investors'") == shipped().glossary["investor"]


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("shipments", "shipment"),
        ("companies", "company"),
        ("subsidiaries", "subsidiary"),
        ("losses", "loss"),
        ("taxes", "tax"),
        ("liabilities", "liability"),
        ("unveiled", "unveil"),
        ("priced", "price"),
        ("banned", "ban"),
        ("planned", "plan"),
        ("planning", "plan"),
        ("delisted", "delist"),
        ("delisting", "delist"),
        ("raised", "raise"),
        ("acquired", "acquire"),
        ("utilization", "utilisation"),
        ("utilizations", "utilisation"),
        ("localization", "localisation"),
        ("localized", "localise"),
        ("localizing", "localise"),
        ("market capitalization", "market capitalisation"),
        ("labor costs", "labour cost"),
        ("data centre", "data center"),
        ("data centres", "data center"),
        ("co-founders", "co-founder"),
        ("year on year", "year-on-year"),
        ("tape out", "tape-out"),
        ("a shares", "a-share"),
        ("H-shares", "h-share"),
        ("funding rounds", "funding round"),
        ("r&d expenses", "r&d expense"),
    ],
)
def test_lemma_fallback(word: str, key: str) -> None:
    assert shipped().chinese_terms(word) == shipped().glossary[key]


def test_irregular_forms_are_keys() -> None:
    founded = shipped().chinese_terms("founded")
    assert "成立" in founded and "创始人" in founded
    assert "领投" in shipped().chinese_terms("led")
    assert "持有" in shipped().chinese_terms("held")
    assert "售出" in shipped().chinese_terms("sold")


def test_unknown_word() -> None:
    assert shipped().chinese_terms("zebra") == ()
    assert shipped().chinese_terms("zebras") == ()
    assert shipped().chinese_terms("") == ()
    assert shipped().chinese_terms("  ?! ") == ()
    assert candidate_keys("") == []


def test_candidate_order() -> None:
    keys = candidate_keys("Shipments")
    assert keys[0] == "shipments"
    assert keys.index("shipment") > 0


def test_glossary_ships_with_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "data/*.yaml" in config["tool"]["setuptools"]["package-data"]["assistant"]
