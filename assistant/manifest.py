"""What built an index: the schema, the domain vocabulary, the company registry, chunking and tokenizing.

The store records a fingerprint of this manifest. When any part changes (a metric word, an attribute, a company
alias, the chunk size), the stored facts, company flags and search tokens are stale; the assistant then re-ingests
the recorded documents instead of answering from an index built by other rules.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from assistant.entities import Registry
from assistant.vocabulary import Vocabulary

TOKENIZER = "jieba+names+opencc-t2s+taiwan-words"


def build_manifest(
    schema: str, chunk_chars: int, chunk_overlap: int, registry: Registry, vocabulary: Vocabulary
) -> dict[str, Any]:
    """The parts of the build that the stored chunks depend on, each as a short digest."""
    return {
        "schema": schema,
        "vocabulary": vocabulary.digest,
        "registry": registry.digest(),
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
