"""The newcomer's path: --version, examples in every --help, progress lines in logs, missing extras, make run.

Progress is checked in real processes, once with stderr a pipe and once a pseudo-terminal, because the CLI picks
plain lines or a tqdm bar by asking whether stderr is a terminal.
"""

from __future__ import annotations

import os
import pty
import re
import shlex
import shutil
import struct
import subprocess
import sys
import termios
import tomllib
from fcntl import ioctl
from pathlib import Path

import pytest

from assistant.cli import _parser, main

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).with_name("gpu-assistant")  # the console script installed beside this interpreter
ENV = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1"}


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def _commands(capsys: pytest.CaptureFixture[str]) -> list[str]:
    found = re.search(r"\{([a-z,-]+)\}", _help(capsys))
    assert found is not None
    return found.group(1).split(",")


def _articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(1, count + 1):
        (folder / f"doc{i:02d}.md").write_text(f"# 测试文档{i}\n\n壁仞科技第{i}号测试句子，营收为{i}亿元。\n", "utf-8")
    return folder


# -- 1. --version ---------------------------------------------------------------------------------------------------
def test_version_is_the_installed_distributions(capsys: pytest.CaptureFixture[str]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"{project['name']} {project['version']}\n"
    result = subprocess.run([str(SCRIPT), "--version"], capture_output=True, text=True, env=ENV, timeout=60)
    assert (result.returncode, result.stdout) == (0, f"{project['name']} {project['version']}\n")


# -- 2. examples at the end of every --help ---------------------------------------------------------------------------
def test_every_help_ends_with_examples_that_parse(capsys: pytest.CaptureFixture[str]) -> None:
    commands = _commands(capsys)
    assert {"ingest", "ask", "chat", "ui", "eval", "slack", "bench", "llm-serve"} <= set(commands)
    for command in [None, *commands]:
        text = _help(capsys, *([command] if command else []))
        _, marker, tail = text.rpartition("\nexamples:\n")
        assert marker, f"{command}: no examples section"
        examples = [line for line in tail.splitlines() if line.strip()]
        assert examples and all(line.startswith("  gpu-assistant ") for line in examples), (command, tail)
        for line in examples:
            argv = shlex.split(line, comments=True)
            assert argv[0] == "gpu-assistant" and (command is None or argv[1] == command), line
            _parser().parse_args(argv[1:])  # an example that does not parse exits 2 here
    assert 'gpu-assistant ask "壁仞科技2024年营收是多少？"' in _help(capsys)
    assert 'gpu-assistant ask "壁仞科技2024年营收是多少？"' in _help(capsys, "ask")
    assert 'optional extra [eval]: pip install -e ".[eval]"' in _help(capsys, "bench")


def test_help_keeps_the_existing_options(capsys: pytest.CaptureFixture[str]) -> None:
    ui = _help(capsys, "ui")
    assert all(option in ui for option in ("--host", "--port", "--auth", "--auth-file", "--store", "--embedder"))
    assert _parser().parse_args(["ui"]).port == 7860


# -- 3. progress: plain lines in logs, the bar on a terminal ------------------------------------------------------
def test_progress_is_plain_lines_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    articles = _articles(tmp_path / "articles", 25)
    command = [str(SCRIPT), "ingest", str(articles), "--store", str(tmp_path / "s"), "--embedder", "fake"]
    result = subprocess.run(command, capture_output=True, text=True, env=ENV, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("indexing")] == [
        "indexing: 1/25 files",
        "indexing: 10/25 files",
        "indexing: 20/25 files",
        "indexing: 25/25 files",
    ]
    assert result.stdout.startswith("added 25,")


def test_progress_lines_stay_few_for_a_corpus_sized_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    articles = _articles(tmp_path / "articles", 116)  # the shipped corpus has 116 briefs
    assert main(["ingest", str(articles), "--store", str(tmp_path / "s"), "--embedder", "fake"]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("indexing")]
    assert lines == [f"indexing: {n}/116 files" for n in (1, 12, 24, 36, 48, 60, 72, 84, 96, 108, 116)]


def test_progress_is_a_bar_on_a_terminal(tmp_path: Path) -> None:
    articles = _articles(tmp_path / "articles", 25)
    leader, follower = pty.openpty()
    ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # tqdm draws nothing 0 columns wide
    command = [str(SCRIPT), "ingest", str(articles), "--store", str(tmp_path / "s"), "--embedder", "fake"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, env=ENV) as process:
        os.close(follower)
        shown = b""
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:  # EIO: the process closed the terminal
                break
            if not data:
                break
            shown += data
        assert process.wait(timeout=300) == 0
    os.close(leader)
    text = shown.decode("utf-8", "replace")
    assert "\r" in text and "25/25 [" in text  # tqdm's bar, redrawn in place
    assert "indexing: 10/25 files" not in text


# -- 4. a missing optional extra names the extra ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "module", "extra"),
    [
        (["ui"], "gradio", "ui"),
        (["eval", "--embedder", "fake"], "langchain_chroma", "eval"),
        (["eval", "--embedder", "fake", "--baselines", "bm25", "--plot", "x.png"], "matplotlib", "eval"),
        (["bench", "--embedder", "fake"], "langchain_text_splitters", "eval"),
        (["bench", "--scale", "1000", "--plot", "x.png"], "matplotlib", "eval"),
        (["slack", "--socket"], "slack_bolt", "slack"),
        (["slack", "--http"], "uvicorn", "slack"),
        (["llm-serve"], "llama_cpp", "local-llm"),
    ],
)
def test_a_missing_extra_says_which_to_install(
    argv: list[str],
    module: str,
    extra: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # what an uninstalled module looks like to the import system
    monkeypatch.chdir(tmp_path)  # default stores and scratch folders (.assistant, .assistant-eval ...) land here
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert main(argv) == 2
    err = capsys.readouterr().err
    command = argv[0]
    assert err == (
        f"error: gpu-assistant {command} needs the [{extra}] extra ({module} is not installed): "
        f'pip install -e ".[{extra}]"\n'
    )
    assert list(tmp_path.iterdir()) == []  # it failed before building an index or emptying a scratch folder


# -- 6. make run PORT=... -----------------------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_passes_port_to_the_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORT", raising=False)  # make reads the environment too
    for variable in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):  # under `make test` the parent make's flags add noise
        monkeypatch.delenv(variable, raising=False)

    def ui_line(*variables: str) -> str:  # -n: print the recipes, run nothing
        done = subprocess.run(
            ["make", "-n", "--no-print-directory", "run", *variables],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert ui_line("PORT=7861") == ".venv/bin/gpu-assistant ui --port 7861"
    assert ui_line() == ".venv/bin/gpu-assistant ui"  # unset: the UI's own default port, 7860
