"""Chroma server mode: the store contract against a real ``chroma run`` server (beside the embedded store), an
Assistant over it, app processes sharing one server (BM25 follows another process's ingest), and the errors for a
malformed or unreachable URL.

The server is ``$ASSISTANT_TEST_CHROMA_URL`` when set (``.ci/run`` starts one), else a ``chroma run`` started here
on a free loopback port for this module. Each test works in a collection of its own, dropped afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant, Settings, keywords
from assistant import store as store_module
from assistant.cli import main
from assistant.embeddings import FakeEmbeddings
from assistant.errors import ConfigError, StoreError
from assistant.tokenize import tokenize
from assistant.types import Hit
from tests.conftest import make_assistant
from tests.servers import free_port, wait_until_up

needs_server = pytest.mark.chroma_server

HEARTBEAT = "/api/v2/heartbeat"  # chromadb 1.x; the v1 API only answers "Unimplemented"
STARTUP_SECONDS = 60.0
QUESTION = "壁仞科技2024年营收是多少？"

HYGON = """---
title: "测试：海光信息年报"
publisher: 测试证券
published: 2025-04-10
url: https://example.test/hygon
language: zh
companies: [hygon]
reliability: primary
source_id: t04
kind: brief
---
# 海光信息2024年业绩

海光信息2024年营收为91.62亿元。海光信息2024年净利润为19.31亿元。
"""


# -- the server ------------------------------------------------------------------------------------------------
def chroma_command() -> str:
    """The ``chroma`` console script of this interpreter's environment (chromadb is a core dependency)."""
    beside = Path(sys.executable).with_name("chroma")
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        pytest.fail("the 'chroma' command (installed with chromadb) is missing; reinstall: pip install -e .")
    return found


@contextlib.contextmanager
def chroma_server(folder: Path) -> Iterator[str]:
    """A real ``chroma run`` over ``folder`` on a free loopback port; yields its URL and stops it afterwards."""
    port = free_port()
    log = folder / "chroma.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [chroma_command(), "run", "--path", str(folder / "db"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + HEARTBEAT, process, STARTUP_SECONDS, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a running Chroma server: ``$ASSISTANT_TEST_CHROMA_URL``, or one started for this module."""
    given = os.environ.get("ASSISTANT_TEST_CHROMA_URL", "").rstrip("/")
    if given:
        wait_until_up(given + HEARTBEAT, timeout=STARTUP_SECONDS)
        yield given
        return
    with chroma_server(tmp_path_factory.mktemp("chroma")) as url:
        yield url


@pytest.fixture
def collection(chroma_url: str) -> Iterator[str]:
    """A collection name of this test's own on the shared server, dropped afterwards."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    from chromadb.errors import NotFoundError

    with contextlib.suppress(NotFoundError):
        store_module.connect(chroma_url).delete_collection(name)


@pytest.fixture
def server(chroma_url: str, collection: str) -> dict[str, str]:
    """Settings that put a test's chunks in its own collection on the server."""
    return {"chroma_url": chroma_url, "chroma_collection": collection}


@pytest.fixture(params=["embedded", pytest.param("server", marks=needs_server)])
def backend(request: pytest.FixtureRequest) -> dict[str, str]:
    """Both kinds of store: the same contract must hold for each."""
    return {} if request.param == "embedded" else request.getfixturevalue("server")


def _run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The command line in a fresh OS process (another app process sharing the server)."""
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "ASSISTANT_EMBEDDER": "fake", **env},
        timeout=300,
    )


def _cli_env(server: dict[str, str], store: Path) -> dict[str, str]:
    return {
        "ASSISTANT_CHROMA_URL": server["chroma_url"],
        "ASSISTANT_CHROMA_COLLECTION": server["chroma_collection"],
        "ASSISTANT_STORE": str(store),
    }


def _sources(hits: list[Hit]) -> set[str]:
    return {h.metadata["source_id"] for h in hits}


# -- the store contract, embedded and on a server --------------------------------------------------------------
def test_ingest_then_dense_and_keyword_search(tmp_path: Path, docs: Path, backend: dict[str, str]) -> None:
    embedder = FakeEmbeddings()
    a = make_assistant(tmp_path / "s", embedder, **backend)
    first = a.ingest([docs])
    assert first.ok and len(first.added) == 3 and first.embeddings_computed == embedder.calls > 0
    records = a.store.documents()
    assert len(records) == 3 and all(r.complete for r in records.values())
    assert a.store.count() == sum(r.n_chunks for r in records.values()) == first.chunks_added
    assert a.store.dense("沐曦股份的在手订单为14.3亿元", 1)[0].metadata["source_id"] == "t02"
    keyword = a.store.keyword(tokenize("沐曦股份在手订单"), 1)
    assert keyword[0].metadata["source_id"] == "t02" and "14.3亿元" in keyword[0].text
    calls = embedder.calls
    second = a.ingest([docs])
    assert second.embeddings_computed == 0 and embedder.calls == calls and len(second.unchanged) == 3


def test_change_prune_delete_and_reset(
    tmp_path: Path, docs: Path, backend: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keywords, "_SNAPSHOT_GRACE_SECONDS", 0.0)
    a = make_assistant(tmp_path / "s", **backend)
    a.ingest([docs])
    metax = docs / "metax.md"
    metax.write_text(metax.read_text(encoding="utf-8") + "\n沐曦股份2022年营收为42.64万元。\n", encoding="utf-8")
    changed = a.ingest([docs])
    assert len(changed.replaced) == 1 and len(changed.unchanged) == 2
    assert "42.64万元" in " ".join(h.text for h in a.store.keyword(["沐曦股份"], 20))
    snapshots = sorted(p.name for p in (a.store.path / "bm25").iterdir())
    assert snapshots == [a.store.keyword_path.name]  # one generation's BM25 kept, older ones deleted

    (docs / "cambricon.md").unlink()
    pruned = a.ingest([docs], prune=True)
    assert len(pruned.pruned) == 1 and len(a.store.documents()) == 2
    assert "t03" not in _sources(a.store.keyword(["cambricon"], 20))

    biren = next(r.doc_id for r in a.store.documents().values() if r.path.endswith("biren.md"))
    a.store.delete_document(biren)
    assert biren not in a.store.documents()
    assert "t01" not in _sources(a.store.keyword(tokenize("壁仞科技"), 20) + a.store.dense("壁仞科技", 20))

    a.store.reset()
    assert a.store.count() == 0 and a.store.documents() == {} and a.store.keyword(["沐曦股份"], 5) == []
    assert a.ingest([docs]).ok and len(a.store.documents()) == 2


@needs_server
def test_two_stores_saving_one_bm25_folder_do_not_clash(tmp_path: Path, docs: Path, server: dict[str, str]) -> None:
    writer = make_assistant(tmp_path / "w", **server)
    writer.ingest([docs])
    first, second = make_assistant(tmp_path / "same", **server), make_assistant(tmp_path / "same", **server)
    first.store.rebuild_keyword_index()
    second.store.rebuild_keyword_index()  # the same generation is already in place: kept, ours dropped
    folder = tmp_path / "same" / "bm25"
    assert [p.name for p in folder.iterdir()] == [first.store.keyword_path.name]
    assert first.store.keyword(["沐曦股份"], 3) and second.store.keyword(["沐曦股份"], 3)


# -- an Assistant on a server ----------------------------------------------------------------------------------
@needs_server
def test_assistant_answers_from_a_chroma_server(tmp_path: Path, docs: Path, server: dict[str, str]) -> None:
    a = Assistant(Settings(store=tmp_path / "s", embedder="fake", **server))
    assert a.ingest([docs]).ok
    answer = a.ask(QUESTION)
    assert not answer.refused and "3.37亿元" in answer.text and "[1]" in answer.text
    assert answer.citations[0].url == "https://example.test/biren" and "3.37亿元" in answer.citations[0].quote
    assert answer.verification is not None and answer.verification.ok
    assert not (tmp_path / "s" / "chroma").exists()  # only the BM25 snapshots are local
    assert (a.store.keyword_path / "chunks.json").exists()


@needs_server
def test_a_chroma_client_of_ones_own_is_server_mode_too(
    tmp_path: Path, docs: Path, server: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(store=tmp_path / "s", embedder="fake", chroma_collection=server["chroma_collection"])
    a = Assistant(settings, chroma_client=store_module.connect(server["chroma_url"]))
    assert server["chroma_url"] in a.store.location and not (tmp_path / "s" / "chroma").exists()
    monkeypatch.setattr(store_module, "KEYWORD_REFRESH_SECONDS", 3600.0)
    assert a.store.keyword(["沐曦股份"], 1) == []  # empty, and cached
    make_assistant(tmp_path / "w", **server).ingest([docs])
    assert a.store.keyword(["沐曦股份"], 1) == []
    monkeypatch.setattr(store_module, "KEYWORD_REFRESH_SECONDS", 0.0)
    assert a.store.keyword(["沐曦股份"], 1)[0].metadata["source_id"] == "t02"  # the refresh saw the new generation


@needs_server
def test_second_assistant_sees_the_first_ones_ingest(
    tmp_path: Path, docs: Path, server: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a = make_assistant(tmp_path / "a", **server)
    assert a.ingest([docs]).ok
    b = make_assistant(tmp_path / "b", **server)
    top = b.retrieve(QUESTION)[0]
    assert "3.37亿元" in top.text and top.dense_rank and top.keyword_rank
    assert "3.37亿元" in b.ask(QUESTION).text

    monkeypatch.setattr(store_module, "KEYWORD_REFRESH_SECONDS", 3600.0)
    (docs / "hygon.md").write_text(HYGON, encoding="utf-8")
    assert len(a.ingest([docs]).added) == 1
    hygon = tokenize("海光信息")
    assert "t04" not in _sources(
        b.store.keyword(hygon, 5)
    )  # B trusts its generation within the interval: no round trip
    assert b.store.dense("海光信息2024年营收为91.62亿元", 1)[0].metadata["source_id"] == "t04"  # never stale
    monkeypatch.setattr(store_module, "KEYWORD_REFRESH_SECONDS", 0.05)
    time.sleep(0.1)
    assert b.store.keyword(hygon, 5)[0].metadata["source_id"] == "t04"
    assert b.store.keyword_path == tmp_path / "b" / "bm25" / a.store.keyword_path.name  # rebuilt, persisted
    assert "91.62亿元" in b.ask("海光信息2024年营收是多少？").text


@needs_server
def test_a_rebuild_with_another_embedder_is_a_clear_error_for_the_other_processes(
    tmp_path: Path, docs: Path, server: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a = make_assistant(tmp_path / "a", **server)
    assert a.ingest([docs]).ok and "3.37亿元" in a.ask(QUESTION).text

    class OtherEmbeddings(FakeEmbeddings):
        name = "other-fake"

    settings = Settings(store=tmp_path / "r", embedder="fake", **server)  # type: ignore[arg-type]
    rebuilt = Assistant(settings, embedder=OtherEmbeddings(dim=128), rebuild=True)
    assert rebuilt.ingest([docs]).ok
    monkeypatch.setattr(store_module, "KEYWORD_REFRESH_SECONDS", 0.0)
    with pytest.raises(StoreError, match="built with the embedder 'other-fake', not 'fake'"):
        a.ask(QUESTION)  # not Chroma's dimension error


# -- real second OS processes ----------------------------------------------------------------------------------
@needs_server
@pytest.mark.slow
def test_cli_process_answers_from_the_shared_server(tmp_path: Path, docs: Path, server: dict[str, str]) -> None:
    a = make_assistant(tmp_path / "a", **server)
    assert a.ingest([docs]).ok
    result = _run_cli("ask", QUESTION, "--json", env=_cli_env(server, tmp_path / "c"))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["refused"] is False and "3.37亿元" in data["answer"]
    assert data["citations"][0]["url"] == "https://example.test/biren" and "built the index" not in result.stderr
    assert (tmp_path / "c" / "bm25" / a.store.keyword_path.name / "chunks.json").exists()


@needs_server
@pytest.mark.slow
def test_another_process_ingest_reaches_keyword_search_after_the_interval(
    tmp_path: Path, docs: Path, server: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "KEYWORD_REFRESH_SECONDS", 3600.0)
    a = make_assistant(tmp_path / "a", **server)
    assert a.ingest([docs]).ok
    hygon = tokenize("海光信息")
    assert "t04" not in _sources(a.store.keyword(hygon, 5))
    more = tmp_path / "more"
    more.mkdir()
    (more / "hygon.md").write_text(HYGON, encoding="utf-8")
    result = _run_cli("ingest", str(more), env=_cli_env(server, tmp_path / "other"))
    assert result.returncode == 0, result.stderr
    assert "t04" not in _sources(a.store.keyword(hygon, 5))
    monkeypatch.setattr(store_module, "KEYWORD_REFRESH_SECONDS", 0.0)
    assert a.store.keyword(hygon, 5)[0].metadata["source_id"] == "t04"


@needs_server
@pytest.mark.slow
def test_two_processes_sharing_one_store_folder(tmp_path: Path, docs: Path, server: dict[str, str]) -> None:
    a = make_assistant(tmp_path / "a", **server)
    assert a.ingest([docs]).ok
    env = {**os.environ, "ASSISTANT_EMBEDDER": "fake", **_cli_env(server, tmp_path / "shared")}
    command = [sys.executable, "-m", "assistant.cli", "ask", QUESTION, "--json"]
    running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    for process in running:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
        assert "3.37亿元" in json.loads(out)["answer"]
    folder = tmp_path / "shared" / "bm25"
    assert [p.name for p in folder.iterdir()] == [a.store.keyword_path.name]  # one snapshot, no temp leftovers
    again = make_assistant(tmp_path / "shared", **server)
    assert again.store.keyword(["沐曦股份"], 3)


# -- errors ----------------------------------------------------------------------------------------------------
def test_unreachable_server_is_a_store_error_naming_the_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError) as caught:
        make_assistant(tmp_path / "s", chroma_url=url)
    assert url in str(caught.value) and "chroma run --path" in str(caught.value)
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", url)
    assert main(["ask", QUESTION, "--store", str(tmp_path / "s"), "--embedder", "fake"]) == 2
    err = capsys.readouterr().err
    assert url in err and "Traceback" not in err


@needs_server
def test_server_lost_mid_run_is_a_store_error(tmp_path: Path, docs: Path) -> None:
    with chroma_server(tmp_path) as url:
        a = make_assistant(tmp_path / "s", chroma_url=url)
        a.ingest([docs])
    with pytest.raises(StoreError, match=url):
        a.ask(QUESTION)


@pytest.mark.network_free
@pytest.mark.parametrize(
    "url", ["localhost:8000", "127.0.0.1:8000", "ftp://h:21", "http://h", "http://:8000", "http://h:x", "http://h:1/p"]
)
def test_malformed_chroma_url_is_a_config_error(url: str) -> None:
    with pytest.raises(ConfigError, match="ASSISTANT_CHROMA_URL"):
        Settings.from_env({"ASSISTANT_CHROMA_URL": url})


@pytest.mark.network_free
def test_chroma_settings_from_the_environment() -> None:
    settings = Settings.from_env(
        {"ASSISTANT_CHROMA_URL": "https://chroma.example:443", "ASSISTANT_CHROMA_COLLECTION": "corpus-b"}
    )
    assert settings.chroma_url == "https://chroma.example:443" and settings.chroma_collection == "corpus-b"
    assert Settings.from_env({}).chroma_url == "" and Settings.from_env({}).chroma_collection == "chunks"
    with pytest.raises(ConfigError, match="collection"):
        Settings.from_env({"ASSISTANT_CHROMA_COLLECTION": "-bad name-"})
