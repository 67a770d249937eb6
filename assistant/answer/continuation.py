"""Lists that run on into the next chunk.

The chunker cuts a long section into pieces of bounded size, and a cut can fall inside a list: the
intro ("Các hoạt động cần đưa vào kế hoạch …:") and its first bullet in one chunk, the other bullets in
the next. A question that asks for the list whole must get every bullet, so for such questions the
answerer reads a chunk joined with its continuation — the following chunk of the same section, when it
opens with a bullet and the list of the first one is still open at its end.
"""
from __future__ import annotations

from dataclasses import replace

from assistant.answer.units import logical_lines
from assistant.records import Chunk

MAX_JOINED = 2  # continuation chunks read after the first (a list longer than that is clipped anyway)


def _open_list(chunk: Chunk) -> bool:
    """Whether the chunk ends inside a list: a line ending ":" and only bullets after it."""
    if ":" not in chunk.text:  # most chunks: no line to split (this runs over every chunk at start-up)
        return False
    lines = logical_lines(chunk.text, chunk)
    intro = max((i for i, (line, _) in enumerate(lines) if line.rstrip().endswith(":")), default=None)
    if intro is None:
        return False
    return all(marked for _, marked in lines[intro + 1:])


def _opens_with_bullet(chunk: Chunk) -> bool:
    lines = logical_lines(chunk.text, chunk)
    return bool(lines) and lines[0][1]


def continued_chunks(chunks: list[Chunk]) -> dict[str, Chunk]:
    """For each chunk whose list runs on, the chunk joined with its continuation(s), keyed by its id.

    The joined chunk keeps the first chunk's id, heading and start, and ends where the last
    continuation ends, so a quote from any part of it is located in the document."""
    out: dict[str, Chunk] = {}
    for i, chunk in enumerate(chunks):
        if chunk.kind != "text" or not _open_list(chunk):
            continue
        parts = [chunk]
        for nxt in chunks[i + 1:i + 1 + MAX_JOINED]:
            if nxt.doc_id != chunk.doc_id or nxt.kind != "text" or nxt.heading_path != chunk.heading_path \
                    or not _opens_with_bullet(nxt):
                break
            parts.append(nxt)
            if not all(marked for _, marked in logical_lines(nxt.text, nxt)):
                break  # the list ended inside this continuation
        if len(parts) > 1:
            text = "\n".join(p.text for p in parts)
            out[chunk.chunk_id] = replace(chunk, text=text, end=parts[-1].end,
                                          extra={**chunk.extra, "continued_by": [p.chunk_id for p in parts[1:]],
                                                 "spans": [(p.chunk_id, p.start, p.end) for p in parts],
                                                 "own_lines": len(logical_lines(chunk.text, chunk))})
    return out


def part_at(chunk: Chunk, offset: int) -> str:
    """The id of the original chunk that holds `offset` of a joined chunk (its own id otherwise)."""
    for chunk_id, start, end in chunk.extra.get("spans", ()):
        if start <= offset < end:
            return chunk_id
    return chunk.chunk_id
