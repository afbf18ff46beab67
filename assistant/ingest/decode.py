"""Bytes to text: UTF-8 (with or without BOM), GB18030/GBK, else the best detected encoding."""

from __future__ import annotations

from assistant.errors import IngestError

_CONTROL_OK = {"\n", "\r", "\t", "\f"}


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes in its first 8 KiB (images, archives, executables)."""
    return b"\x00" in data[:8192]


def decode(data: bytes) -> str:
    """Decode text bytes; raise :class:`IngestError` for binary or undecodable data."""
    if not data.strip():
        raise IngestError("empty file")
    if looks_binary(data):
        raise IngestError("binary file (not text)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text
    detected = _detected(data)
    if detected is None or not _plausible(detected):
        raise IngestError("undecodable text (not UTF-8, GB18030 or a detectable encoding)")
    return detected


def _detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def _plausible(text: str) -> bool:
    """Reject decodings full of control characters or replacement marks."""
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in _CONTROL_OK) or ch == "\ufffd")
    return bad / len(text) < 0.01
