"""Chinese-aware chunking: sentences packed into chunks that never cut a sentence, with offsets."""

from __future__ import annotations

from assistant.text import split_sentences
from assistant.types import Chunk, Document


def chunk_document(doc: Document, max_chars: int = 360, overlap: int = 80) -> list[Chunk]:
    """Split a document into chunks of whole sentences.

    Chunks break before Markdown headings and never cross a PDF page; a sentence longer than ``max_chars`` is cut
    at ``max_chars``. The last sentences of a chunk (up to ``overlap`` characters) open the next one.
    """
    regions: list[tuple[int, int, int | None]] = [(p.start, p.end, p.page) for p in doc.pages]
    regions = regions or [(0, len(doc.text), None)]
    chunks: list[Chunk] = []
    for start, end, page in regions:
        for span_start, span_end in _pack(doc.text, _pieces(doc.text, start, end, max_chars), max_chars, overlap):
            chunks.append(
                Chunk(
                    chunk_id=f"{doc.doc_id}-{len(chunks):04d}",
                    doc_id=doc.doc_id,
                    index=len(chunks),
                    text=doc.text[span_start:span_end],
                    start=span_start,
                    end=span_end,
                    page=page,
                )
            )
    return chunks


def _pieces(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int, bool]]:
    """Sentences as ``(start, end, is_heading)``, over-long ones cut to ``max_chars``."""
    pieces = []
    for s, e in split_sentences(text, start, end):
        heading = text.startswith("#", s)
        while e - s > max_chars:
            pieces.append((s, s + max_chars, False))
            s += max_chars
        pieces.append((s, e, heading))
    return pieces


def _pack(text: str, pieces: list[tuple[int, int, bool]], max_chars: int, overlap: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    current: list[tuple[int, int, bool]] = []
    for piece in pieces:
        s, e, heading = piece
        too_long = current and e - current[0][0] > max_chars
        if current and (too_long or (heading and not current[-1][2])):
            spans.append((current[0][0], current[-1][1]))
            current = [] if heading else _tail(current, overlap, e - s, max_chars)
        current.append(piece)
    if current:
        spans.append((current[0][0], current[-1][1]))
    return spans


def _tail(
    current: list[tuple[int, int, bool]], overlap: int, next_len: int, max_chars: int
) -> list[tuple[int, int, bool]]:
    """The trailing sentences (at most ``overlap`` characters) carried into the next chunk."""
    tail: list[tuple[int, int, bool]] = []
    for piece in reversed(current):
        length = current[-1][1] - piece[0]
        if length > overlap or length + next_len > max_chars:
            break
        tail.insert(0, piece)
    return tail
