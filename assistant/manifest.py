"""What built an index: the schema, the domain vocabulary, the company registry, chunking and tokenizing.

The store records a fingerprint of this manifest. When any part changes (a metric word, an attribute, a company
alias, the chunk size), the stored facts, company flags and search tokens are stale; the assistant then re-ingests
the recorded documents instead of answering from an index built by other rules.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any

from assistant.answer.frame import QUALIFIERS
from assistant.answer.lexicon import METRICS, PERIOD_PARTS

TOKENIZER = "jieba+opencc-t2s"


def build_manifest(schema: str, chunk_chars: int, chunk_overlap: int) -> dict[str, Any]:
    """The parts of the build that the stored chunks depend on, each as a short digest."""
    data = resources.files("assistant.data")
    return {
        "schema": schema,
        "vocabulary": _digest(
            json.dumps([METRICS, PERIOD_PARTS, QUALIFIERS], ensure_ascii=False, sort_keys=True),
            data.joinpath("attributes.yaml").read_text(encoding="utf-8"),
        ),
        "registry": _digest(data.joinpath("companies.yaml").read_text(encoding="utf-8")),
        "chunking": f"{chunk_chars}/{chunk_overlap}",
        "tokenizer": TOKENIZER,
    }


def fingerprint(manifest: dict[str, Any]) -> str:
    """One short digest of a whole manifest (what the store records)."""
    return _digest(json.dumps(manifest, sort_keys=True))


def _digest(*texts: str) -> str:
    sha = hashlib.sha256()
    for text in texts:
        sha.update(text.encode("utf-8"))
    return sha.hexdigest()[:16]
