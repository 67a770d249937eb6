"""What a plan is — type, number, date, issuer, signer, title — read from its header block and signature.

Plans differ: some lack a header (the number only appears in an appendix note), some have a blank
number, some no signature. Extraction takes what the text says; `corpus/<doc_id>.meta.json` fills the
rest, and `short_label` gives every citation a consistent name.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from assistant.ingest.lines import (
    Line, ends_terminal, is_caps, is_separator, join_lines, match_marker, split_lines, starts_lower,
)
from assistant.errors import DocumentError
from assistant.vi.documents import DOCUMENT_KINDS
from assistant.vi.normalize import squash
from assistant.records import Block, DocumentMeta

# Abbreviations that name one kind in a number ("QĐ" is a Quyết định, never a Quy định).
_NUMBERED_NAMES = ("Kế hoạch", "Quyết định", "Chương trình", "Nghị quyết", "Chỉ thị", "Thông báo", "Báo cáo",
                   "Hướng dẫn", "Đề án")
DOC_TYPES = {name.upper(): name for name, _ in DOCUMENT_KINDS if name != "Văn bản"}
TYPE_ABBR = dict(DOCUMENT_KINDS)
_ABBR_TYPE = {abbr: name for name, abbr in reversed(DOCUMENT_KINDS) if name in _NUMBERED_NAMES}
# Topic shorthands for labels of plans that carry no number.
TOPICS = [("chuyển đổi số", "CĐS"), ("kinh tế số", "KTS"), ("chính quyền số", "CQS"),
           ("đô thị thông minh", "ĐTTM"), ("chính quyền điện tử", "CQĐT")]

_BODY_START = re.compile(r"(Căn cứ|Thực hiện|Xét đề nghị|Xét|Theo đề nghị|Trên cơ sở)\b")
_NUMBER = re.compile(r"Số\s*:?\s*(\d+[^\s,;)]*)")
_PLACE_DATE = re.compile(r"(?P<place>[^\W\d][^,|:]{1,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*"
                         r"năm\s*(?P<y>\d{4})")
_ISSUER = re.compile(r"(?P<council>(?:ỦY|UỶ) BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND)\s+(?P<kind>TỈNH|THÀNH PHỐ|TP\.?)\s+"
                     r"(?P<name>[^\W\d][^|]*)")
# A Party committee's documents: "TỈNH ỦY THÁI NGUYÊN", "THÀNH ỦY HẢI PHÒNG".
_PARTY_ISSUER = re.compile(r"(?P<kind>TỈNH|THÀNH)\s+(?:ỦY|UỶ)\s+(?P<name>[^\W\d][^|]*)")
_ISSUER_BODY = re.compile(r"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+(?P<kind>tỉnh|thành phố|Thành phố)\s+"
                          r"(?P<name>[A-ZÀ-ỸĐ][^,;:.]{1,30}?)\s+ban hành")
_TITLE_PLACE = re.compile(r"(?P<kind>TỈNH|THÀNH PHỐ)\s+(?P<name>[A-ZÀ-ỸĐ][A-ZÀ-ỸĐ \-–]+?)"
                          r"(?=\s+(?:ĐẾN|NĂM|GIAI|TRONG|TẦM|ĐỊNH)\b|\s*[,.]|$)")
_ATTACHED = re.compile(r"\((?:Kèm theo|Đính kèm|Ban hành kèm theo)\s+(?P<type>[^\d(]{2,20}?)\s+số\s+"
                       r"(?P<num>\d+[^\s,;)]*)\s+ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})")
_COLUMN_GAP = re.compile(r"\s{3,}|\s*\|\s*")  # between the two columns of a header line
_AUTHORITY = re.compile(r"(CHỦ TỊCH|ỦY BAN|UỶ BAN|HỘI ĐỒNG|BỘ TRƯỞNG|GIÁM ĐỐC)\b")
_RECIPIENTS = re.compile(r"Nơi nhận\s*:?", re.IGNORECASE)
_SIGN_TITLE = re.compile(r"(?:(TM|KT|TL|TUQ|Q)\.|T/M|K/T|T/L)\s*\S.*")  # Party documents write "T/M"
_SIGNED = re.compile(r"[(\[]\s*(?:đã ký|Đã ký|ĐÃ KÝ|ký)(?: và đóng dấu)?\s*[)\]]")
# A signer's office standing alone, as a People's Council chair signs a resolution ("CHỦ TỊCH").
_BARE_TITLE = re.compile(r"(?:PHÓ )?CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG")


def starts_zone_line(text: str) -> bool:
    """Header/signature lines that stand on their own: doc type, "Số:", "Nơi nhận:", TM./KT. titles."""
    return bool(squash(text).rstrip(":").upper() in DOC_TYPES and is_caps(text) or _NUMBER.match(text)
                or _RECIPIENTS.match(text) or _SIGN_TITLE.fullmatch(text) or _AUTHORITY.match(text))


def ends_zone_line(text: str) -> bool:
    """Header lines after which a new line starts: the doc type ("KẾ HOẠCH") and the number."""
    return bool(squash(text).rstrip(":").upper() in DOC_TYPES and is_caps(text) or _NUMBER.match(text))


def header_end(lines: list[Line], limit: int = 60) -> int:
    """Index of the first body line: a preamble ("Căn cứ …") or a heading; 0 when there is no header."""
    for i, line in enumerate(lines[:limit]):
        if is_separator(line.text):
            continue
        marker = match_marker(line.text)
        if _BODY_START.match(line.text) or (marker and marker.kind not in ("group",)):
            return i
    return 0


def _is_name(text: str) -> bool:
    """A signer's name: 2–6 capitalised words ("Nguyễn Sơn Hùng")."""
    words = text.split()
    return 2 <= len(words) <= 6 and all(
        w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)


def signature_zones(lines: list[Line], begin: int = 0) -> list[tuple[int, int]]:
    """Line ranges [i, j) of "Nơi nhận" lists and signature blocks (title lines, then the signer's name)."""
    zones: list[tuple[int, int]] = []
    i = begin
    while i < len(lines):
        text = lines[i].text
        opens = _SIGN_TITLE.fullmatch(text) or _BARE_TITLE.fullmatch(text)
        if not (_RECIPIENTS.match(text) or (opens and is_caps(text))):
            i += 1
            continue
        seen_title = False
        end = None
        for j in range(i, min(len(lines), i + 60)):
            t = lines[j].text
            if seen_title and _is_name(t):
                end = j + 1
                break
            if seen_title and _SIGNED.fullmatch(t):
                continue  # "(Đã ký)" between the office and the name in a published copy
            if is_caps(t) and not is_separator(t) and not t.startswith(("-", "+")):
                seen_title = True
            elif seen_title and not is_separator(t):
                break
        if end is None:
            i += 1
            continue
        start = i - 1 if i - 1 >= begin and lines[i - 1].text == "|" else i
        if end < len(lines) and lines[end].text == "|":
            end += 1
        zones.append((start, end))
        i = end
    return zones


def zone_blocks(lines: list[Line]) -> list[Block]:
    """Header/signature lines as blocks, re-joining wrapped ones ("ỦY BAN NHÂN" / "DÂN") so each reads whole."""
    blocks: list[Block] = []
    group: list[Line] = []

    def close() -> None:
        if group:
            text, _ = join_lines(group)
            kind = "bullet" if text.startswith(("-", "+")) else "paragraph"
            blocks.append(Block(kind, text.lstrip("-+ ") if kind == "bullet" else text, group[0].start, group[-1].end))

    for line in lines:
        t = line.text
        if is_separator(t):
            close()
            group = []
            continue
        prev = group[-1].text if group else ""
        standalone = starts_zone_line(t) or ends_zone_line(prev)
        if group and not standalone and (starts_lower(t) or not any(ch.isalpha() for ch in t)
                                         or (is_caps(prev) and is_caps(t))):
            group.append(line)
            continue
        close()
        group = [line]
    close()
    return blocks


# What stands right of the issuer in a header: the national motto, or the Party's name on Party documents.
_RIGHT_HEADERS = ("CỘNG HÒA", "CỘNG HOÀ", "ĐẢNG CỘNG SẢN")


def _caps_name(text: str) -> str:
    """The capitalised place name at the start of a header cell: "KON TUM" of "KON TUM Số: 41/KH-UBND
    KẾ HOẠCH …" — header lines without separators between them run together into one cell."""
    words: list[str] = []
    rest = text.split()
    for i, word in enumerate(rest):
        if not word.isupper() or not any(c.isalpha() for c in word) or word.rstrip(":") == "SỐ":
            break
        following = " ".join(rest[i:])
        if any(following.startswith(kind) for kind in DOC_TYPES) or following.startswith(_RIGHT_HEADERS):
            break
        words.append(word)
    return " ".join(words)


def _smart_title(name: str) -> str:
    """"BÀ RỊA - VŨNG TÀU" -> "Bà Rịa - Vũng Tàu"; mixed-case names kept; dashes normalised to compare equal."""
    name = squash(name.replace("–", "-"))
    return " ".join(w.capitalize() for w in name.split()) if is_caps(name) else name


def _iso(d: str | None, m: str | None, y: str) -> str:
    return f"{y}-{int(m):02d}-{int(d):02d}" if d and m else y


def _find_words(low: str, phrase: str) -> int:
    """Index of `phrase` in `low` at word boundaries, -1 if absent."""
    k = low.find(phrase)
    while k >= 0 and ((k > 0 and low[k - 1].isalnum())
                      or (k + len(phrase) < len(low) and low[k + len(phrase)].isalnum())):
        k = low.find(phrase, k + 1)
    return k


def recase_title(title: str, body: str) -> str:
    """Give an all-caps title the casing the body uses for the same words (longest matching runs first)."""
    words = title.split()
    flat = squash(body)
    low = flat.lower()
    out: list[str] = []
    i = 0
    while i < len(words):
        # grow the run while the body still contains it (a longer run can only match if a shorter one does)
        best_j, best_k = i, -1
        j = i + 2
        while j <= len(words):
            k = _find_words(low, " ".join(words[i:j]).lower())
            if k < 0:
                break
            best_j, best_k = j, k
            j += 1
        if best_k >= 0:
            length = len(" ".join(words[i:best_j]))
            out.append(flat[best_k:best_k + length])
            i = best_j
        else:
            word = words[i]
            out.append(word if any(ch.isdigit() for ch in word) or len(word) <= 1 else word.lower())
            i += 1
    recased = " ".join(out).split()
    if len(recased) != len(words):
        return " ".join(out)
    # words the title already writes in lower case keep it ("… HÀNH ĐỘNG thực hiện Nghị quyết …")
    return " ".join(w if any(ch.islower() for ch in w) else r for w, r in zip(words, recased))


def _place_date(text: str, following: str) -> re.Match[str] | None:
    """"Thái Nguyên, ngày 14 tháng 7 năm 2023" in a header line, also in its right column ("Số 28-CTr/TU
    ⎵⎵⎵ Thái Nguyên, ngày …") and when wrapped onto the next line."""
    for cell in _COLUMN_GAP.split(text):
        if m := _PLACE_DATE.match(squash(f"{cell} {following}")):
            return m
    return None


def _doc_type_line(text: str) -> tuple[str, str] | None:
    """(doc type, the rest of the line) of an all-caps title line: "KẾ HOẠCH", also "CHƯƠNG TRÌNH HÀNH ĐỘNG"
    and "KẾ HOẠCH HÀNH ĐỘNG" (a kind, then a word or two of its own title)."""
    if not is_caps(text):
        return None
    flat = squash(text.lstrip("#")).rstrip(":")
    if doc_type := DOC_TYPES.get(flat.upper()):
        return doc_type, ""
    for key, name in DOC_TYPES.items():
        rest = flat[len(key):]
        if flat.upper().startswith(key + " ") and len(rest.split()) <= 2:
            return name, rest.strip()
    return None


def _header_title(header: list[Line]) -> tuple[str, str]:
    """(doc_type, title rest) from the header's doc-type line and the title lines after it."""
    for k, line in enumerate(header):
        found = _doc_type_line(line.text)
        if not found:
            continue
        doc_type, own = found
        rest: list[str] = [own.lower()] if own else []
        for nxt in header[k + 1:]:
            t = nxt.text
            if is_separator(t) or t.startswith("(") or (rest and _AUTHORITY.match(t)) or _NUMBER.match(t):
                break
            rest.append(t)
            if not is_caps(t) and ends_terminal(t):
                break
        return doc_type, squash(" ".join(rest))
    return "", ""


def _signature(lines: list[Line], zones: list[tuple[int, int]]) -> tuple[str, str]:
    """(signer, signer_title) from the first signature block."""
    for start, end in zones:
        zone = [ln.text for ln in lines[start:end] if not is_separator(ln.text) and not _SIGNED.fullmatch(ln.text)]
        if not zone or not _is_name(zone[-1]):
            continue
        titles: list[str] = []
        for t in reversed(zone[:-1]):
            if not is_caps(t) or t.startswith(("-", "+")):
                break
            titles.insert(0, t)
        return zone[-1], squash(" ".join(titles))
    return "", ""


def extract_metadata(doc_id: str, text: str) -> DocumentMeta:
    """Facts the plan states about itself; missing ones stay "" for the meta.json override to fill."""
    lines = split_lines(text)
    h_end = header_end(lines)
    header = lines[:h_end]
    body_lines = lines[h_end:]
    body = "\n".join(ln.text for ln in body_lines)
    meta = DocumentMeta(doc_id=doc_id)

    cells: list[str] = []
    current: list[str] = []
    for line in header:
        if is_separator(line.text):
            if current:
                cells.append(squash(" ".join(current)))
            current = []
        else:
            current.append(line.text)
    if current:
        cells.append(squash(" ".join(current)))
    for cell in cells:
        if not meta.number and (m := _NUMBER.search(cell)):
            meta.number = m.group(1)
        if not meta.issuer and (m := _ISSUER.match(cell)) and (raw := _caps_name(m.group("name"))):
            name = _smart_title(raw)
            city = m.group("kind") != "TỈNH"
            meta.province = f"Thành phố {name}" if city else name
            council = "HĐND" if m.group("council") in ("HỘI ĐỒNG NHÂN DÂN", "HĐND") else "UBND"  # a resolution's
            meta.issuer = f"{council} {meta.province}" if city else f"{council} tỉnh {name}"
        if not meta.issuer and (m := _PARTY_ISSUER.match(cell)) and (raw := _caps_name(m.group("name"))):
            name = _smart_title(raw)
            meta.province = name if m.group("kind") == "TỈNH" else f"Thành phố {name}"
            meta.issuer = f"{'Tỉnh' if m.group('kind') == 'TỈNH' else 'Thành'} ủy {name}"
    for k, line in enumerate(header):
        if m := _place_date(line.text, header[k + 1].text if k + 1 < len(header) else ""):
            meta.date = _iso(m.group("d"), m.group("m"), m.group("y"))
            if not meta.province:
                meta.province = _smart_title(m.group("place"))
            break

    doc_type, rest = _header_title(header)
    if not meta.issuer and (m := _ISSUER_BODY.search(squash(body))):
        name = _smart_title(m.group("name"))
        meta.issuer = f"UBND {'tỉnh ' if m.group('kind') == 'tỉnh' else 'Thành phố '}{name}"
        if not meta.province:
            meta.province = name if m.group("kind") == "tỉnh" else f"Thành phố {name}"
    if not meta.province and (m := _TITLE_PLACE.search(rest.upper())):
        name = _smart_title(m.group("name"))
        meta.province = name if m.group("kind") == "TỈNH" else f"Thành phố {name}"
    if not meta.number or not meta.date:
        if m := _ATTACHED.search(squash(body)):
            meta.number = meta.number or m.group("num")
            meta.date = meta.date or _iso(m.group("d"), m.group("m"), m.group("y"))
    if not doc_type and meta.number and "/" in meta.number:
        doc_type = _ABBR_TYPE.get(meta.number.split("/")[1].split("-")[0], "")
    meta.doc_type = doc_type
    if rest:
        recased = recase_title(rest, body)
        if recased and not recased.split()[0].isupper():
            recased = recased[0].lower() + recased[1:]
        meta.title = f"{doc_type} {recased}".strip()

    meta.signer, meta.signer_title = _signature(lines, signature_zones(lines, h_end))
    meta.short_label = short_label(meta)
    return meta


def short_label(meta: DocumentMeta) -> str:
    """"KH 198/KH-UBND (Đồng Nai)"; without a number "KH CĐS 2024 (Bà Rịa - Vũng Tàu)"."""
    abbr = TYPE_ABBR.get(meta.doc_type, meta.doc_type or "VB")
    place = meta.province.replace("Thành phố ", "TP. ")
    if meta.number:
        head = f"{abbr} {meta.number}"
    else:
        title = meta.title.lower()
        topic = next((short for phrase, short in TOPICS if phrase in title), "")
        head = " ".join(p for p in (abbr, topic, meta.date[:4]) if p)
    return f"{head} ({place})" if place else head


def load_meta_override(corpus_dir: Path, doc_id: str) -> dict:
    """corpus/<doc_id>.meta.json as a dict of DocumentMeta fields; {} when the file does not exist."""
    path = Path(corpus_dir) / f"{doc_id}.meta.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError(f"Không đọc được tệp thông tin văn bản {path.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise DocumentError(f"Tệp {path.name} phải chứa một đối tượng JSON (các trường của văn bản).")
    known = {f.name for f in dataclasses.fields(DocumentMeta)} - {"doc_id"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise DocumentError(f"Tệp {path.name} có trường không hợp lệ: {', '.join(unknown)}. "
                            f"Các trường được phép: {', '.join(sorted(known))}.")
    starters = data.get("starter_questions", [])
    if not isinstance(starters, list) or not all(isinstance(q, str) and q.strip() for q in starters):
        raise DocumentError(f"Tệp {path.name}: 'starter_questions' phải là một danh sách câu hỏi (chuỗi không rỗng).")
    return data


def apply_override(meta: DocumentMeta, override: dict) -> DocumentMeta:
    """Override wins field by field; the short label is recomputed unless the override sets one."""
    fields = {k: v for k, v in override.items() if k != "doc_id"}
    merged = dataclasses.replace(meta, **fields)
    if "short_label" not in fields:
        merged.short_label = short_label(merged)
    return merged
