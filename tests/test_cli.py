"""The command line: the ``ask --json`` contract, exit codes, the chat REPL, auto-ingest of the corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from assistant.cli import main

CONTRACT = {"answer", "refused", "citations", "timings_ms"}
CITATION = {"n", "doc_id", "chunk_id", "title", "publisher", "url", "published", "page", "quote"}


def _run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_ingest_exit_codes(tmp_path: Path, docs: Path) -> None:
    store = str(tmp_path / "s")
    assert main(["ingest", str(docs), "--store", store, "--embedder", "fake"]) == 0
    (docs / "broken.md").write_bytes(b"\x00\x00binary")
    assert main(["ingest", str(docs), "--store", store, "--embedder", "fake"]) == 1


def test_ask_json_contract_in_a_fresh_process(tmp_path: Path, docs: Path) -> None:
    store = str(tmp_path / "s")
    assert main(["ingest", str(docs), "--store", store, "--embedder", "fake"]) == 0
    result = _run(
        "ask", "壁仞科技IPO计划募资多少？", "--json", env={"ASSISTANT_STORE": store, "ASSISTANT_EMBEDDER": "fake"}
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= CONTRACT and data["refused"] is False
    assert data["citations"] and set(data["citations"][0]) >= CITATION
    assert "42.1亿-48.5亿港元" in data["citations"][0]["quote"] and "[1]" in data["answer"]
    assert data["verification"]["ok"] is True and data["verification"]["removed"] == []
    assert all(isinstance(v, float | int) for v in data["timings_ms"].values())


def test_refusal_is_exit_code_zero(tmp_path: Path, docs: Path) -> None:
    store = str(tmp_path / "s")
    main(["ingest", str(docs), "--store", store, "--embedder", "fake"])
    result = _run(
        "ask", "海光信息2024年营收是多少？", "--json", env={"ASSISTANT_STORE": store, "ASSISTANT_EMBEDDER": "fake"}
    )
    assert result.returncode == 0 and json.loads(result.stdout)["refused"] is True


def test_mismatched_embedder_is_a_clear_error(tmp_path: Path, docs: Path) -> None:
    store = str(tmp_path / "s")
    main(["ingest", str(docs), "--store", store, "--embedder", "fake"])
    result = _run("ask", "壁仞", "--store", store)
    assert result.returncode == 2 and "--rebuild" in result.stderr and "Traceback" not in result.stderr


def test_chat_repl_uses_history(tmp_path: Path, docs: Path) -> None:
    store = str(tmp_path / "s")
    main(["ingest", str(docs), "--store", store, "--embedder", "fake"])
    result = _run(
        "chat",
        env={"ASSISTANT_STORE": store, "ASSISTANT_EMBEDDER": "fake"},
        stdin="壁仞科技2024年营收是多少？\n那沐曦呢？\n\n",
    )
    assert result.returncode == 0
    assert "3.37亿元" in result.stdout and "7.43亿元" in result.stdout


def test_empty_store_builds_from_corpus_folder(tmp_path: Path, docs: Path) -> None:
    env = {"ASSISTANT_STORE": str(tmp_path / "s"), "ASSISTANT_EMBEDDER": "fake", "ASSISTANT_CORPUS": str(docs)}
    result = _run("ask", "沐曦股份的在手订单有多少？", env=env)
    assert result.returncode == 0 and "14.3亿元" in result.stdout
    assert "built the index" in result.stderr
