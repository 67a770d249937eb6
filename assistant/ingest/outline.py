"""`assistant inspect DOC_ID`: show how a plan was parsed, so a wrong heading or table is easy to spot."""

from __future__ import annotations

import statistics

from assistant.records import Chunk, ParsedDocument, Section

_MAX_ROWS_SHOWN = 3


def _tree(section: Section, depth: int, out: list[str]) -> None:
    for child in section.children:
        blocks = [b for b in child.blocks if b.kind != "table_row"]
        rows = [b for b in child.blocks if b.kind == "table_row"]
        counts = f"{len(blocks)} khối" + (f", {len(rows)} dòng bảng" if rows else "")
        heading = child.heading if len(child.heading) <= 90 else child.heading[:89] + "…"
        out.append(f"{'  ' * depth}[{child.start}-{child.end}] {child.kind:<9} {heading} ({counts})")
        _tree(child, depth + 1, out)


def _tables(section: Section, path: list[str], out: list[str]) -> None:
    rows = [b for b in section.blocks if b.kind == "table_row"]
    if rows:
        out.append(f"  {' > '.join(path)}: {len(rows)} dòng; cột: {' | '.join(rows[0].cells or {})}")
        for row in rows[:_MAX_ROWS_SHOWN]:
            out.append("    " + " | ".join(v[:60] for v in (row.cells or {}).values()))
    for child in section.children:
        _tables(child, [*path, child.heading[:50]], out)


def format_outline(doc: ParsedDocument, chunks: list[Chunk]) -> str:
    """Metadata, heading tree with offsets, rebuilt tables and chunk statistics of one plan."""
    m = doc.meta
    out = [
        f"Văn bản: {doc.doc_id}",
        f"  Nhãn trích dẫn: {m.short_label}",
        f"  Tiêu đề: {m.title}",
        f"  Loại: {m.doc_type or '-'} | Số: {m.number or '-'} | Ngày: {m.date or '-'}",
        f"  Cơ quan ban hành: {m.issuer or '-'} | Tỉnh/thành: {m.province or '-'}",
        f"  Người ký: {m.signer or '-'} ({m.signer_title or '-'})",
        f"  Độ dài: {len(doc.text)} ký tự",
        "",
        "Cấu trúc:",
    ]
    if doc.root.blocks:
        out.append(f"[-] root      (phần mở đầu: {len(doc.root.blocks)} khối)")
    _tree(doc.root, 0, out)
    table_lines: list[str] = []
    _tables(doc.root, [], table_lines)
    out += ["", "Bảng:"] + (table_lines or ["  (không có)"])
    sizes = [len(c.text) for c in chunks]
    out += ["", f"Đoạn (chunk): {len(chunks)}"]
    if sizes:
        kinds: dict[str, int] = {}
        for c in chunks:
            kinds[c.kind] = kinds.get(c.kind, 0) + 1
        out.append(f"  theo loại: {', '.join(f'{k}={v}' for k, v in sorted(kinds.items()))}")
        out.append(f"  độ dài ký tự: nhỏ nhất {min(sizes)}, trung vị {int(statistics.median(sizes))}, "
                   f"lớn nhất {max(sizes)}")
    return "\n".join(out)
