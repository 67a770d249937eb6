"""Cross-references inside a plan: "triển khai các nội dung tại mục 5.5" names a section by number.

A clause that only points to a section ("Ngân hàng Nhà nước chủ trì các nội dung mục 5.5") says
nothing of its topic in its own words; the section's title ("Thanh toán số") does. Chunking records
those titles on the chunk (`extra["refers"]`) so BM25 finds the clause by its topic, and the answer
stage reads the same outline to judge it.
"""

from __future__ import annotations

import re

from assistant.records import Chunk
from assistant.vi.normalize import folded

TCTH = "to chuc thuc hien"  # folded heading of the "who does what" section
_XREF_RE = re.compile(
    r"\bm(?:ục|uc)\s+((?:\d+(?:\.\d+)*)(?:\s*(?:,|và|va|;)\s*(?:m(?:ục|uc)\s+)?\d+(?:\.\d+)*)*)", re.I)


# "tại Mục II.2 Phần C": a Roman-numbered section of a lettered part, read as the key "C.II.2".
_PART_REF_RE = re.compile(r"\bm(?:ục|uc)\s+([IVX]+)((?:\.\d+)*)\s+(?:của\s+|cua\s+)?ph(?:ần|an)\s+([A-Z])\b", re.I)
# "tại Điều 12 Chương trình này": an article of the plan itself — not "Điều 5 Nghị định 47/2020".
_ARTICLE_REF_RE = re.compile(
    r"\b(?:Điều|Dieu)\s+(\d+)\b(?!(?:\s+(?:khoản|khoan|\d+|của|cua))*\s+(?:Luật|Luat|Nghị|Nghi|Quyết|Quyet|Thông|Thong|Bộ luật))")


def section_numbers(text: str) -> frozenset[str]:
    """Section keys a text refers to: "mục 1, mục 2, mục 3" -> {"1", "2", "3"}; "Mục II.2 Phần C" ->
    {"C.II.2"}; "nhiệm vụ tại Điều 13" -> {"dieu 13"} (see `heading_label`)."""
    keys = {n for m in _XREF_RE.finditer(text) for n in re.findall(r"\d+(?:\.\d+)*", m.group(1))}
    keys.update(f"{m.group(3).upper()}.{m.group(1).upper()}{m.group(2)}" for m in _PART_REF_RE.finditer(text))
    keys.update(f"dieu {m.group(1)}" for m in _ARTICLE_REF_RE.finditer(text))
    return frozenset(keys)


_LABEL_RE = re.compile(r"(?:(?P<number>(?:\d+\.)*\d+)\.?|(?P<roman>[IVX]+)\.|(?P<letter>[A-Z])\.|"
                       r"(?:Điều|ĐIỀU)\s+(?P<article>\d+)\.?)\s+(?P<title>.+)")


def heading_label(heading: str) -> tuple[str, str]:
    """(label, title) of a numbered heading: "5.4. Thương mại điện tử" -> ("5.4", …), "II. MỤC TIÊU"
    -> ("II", …), "C. NHIỆM VỤ" -> ("C", …), "Điều 12. Du lịch" -> ("dieu 12", …); else ("", heading)."""
    m = _LABEL_RE.match(heading)
    if not m:
        return "", heading
    if m.group("article"):
        return f"dieu {m.group('article')}", m.group("title")
    return m.group("number") or m.group("roman") or m.group("letter"), m.group("title")


def path_keys(heading_path: list[str]) -> list[tuple[int, str]]:
    """The section keys a heading path answers to, with the depth of the heading each names: a
    number's own label ("5.4"), an article ("dieu 12") and the chain of a lettered part's labels
    ("C", "C.II", "C.II.2")."""
    keys: list[tuple[int, str]] = []
    chain: list[str] = []
    for depth, heading in enumerate(heading_path):
        label, _ = heading_label(heading)
        if not label:
            chain = []
            continue
        if label[0].isdigit() or label.startswith("dieu"):
            keys.append((depth, label))
        if len(label) == 1 and label.isalpha() and label not in "IVX":
            chain = [label]
        elif chain and label.startswith(chain[-1] + "."):
            chain[-1] = label  # "2.1" under "2." extends it: "C.I.2.1"
            keys.append((depth, ".".join(chain)))
        elif chain:
            chain.append(label)
            keys.append((depth, ".".join(chain)))
    return keys


_TASKS = ("nhiem vu", "giai phap", "noi dung")  # folded words of the part whose sections duties point to


def outline(chunks: list[Chunk]) -> dict[str, dict[str, str]]:
    """Per plan, section number -> heading title ("5.2" -> "Y tế"), outside "TỔ CHỨC THỰC HIỆN"
    (whose numbered headings are agencies, not topics).

    A number used in two parts ("2. Yêu cầu" under MỤC ĐÍCH, "2. Hạ tầng số" under NỘI DUNG) means
    the one in the part the duties point at: the part holding most of the numbers "TỔ CHỨC THỰC
    HIỆN" cites ("mục 1, mục 2, …, mục 5.5" all exist only under NỘI DUNG), then a part named for
    tasks ("NHIỆM VỤ", "GIẢI PHÁP"), then the earlier part."""
    parts: dict[str, dict[str, dict[str, str]]] = {}  # plan -> top heading -> number -> title
    cited: dict[str, set[str]] = {}
    for chunk in chunks:
        path = chunk.heading_path
        if any(TCTH in folded(h) for h in path):
            cited.setdefault(chunk.doc_id, set()).update(section_numbers(chunk.text))
        numbers = parts.setdefault(chunk.doc_id, {}).setdefault(path[0] if path else "", {})
        inside = next((i for i, h in enumerate(path) if TCTH in folded(h)), len(path))
        for depth, key in path_keys(path[:inside]):
            numbers.setdefault(key, heading_label(path[depth])[1])
    out: dict[str, dict[str, str]] = {}
    for doc_id, by_part in parts.items():
        wanted = cited.get(doc_id, set())

        def rank(item: tuple[int, tuple[str, dict[str, str]]], wanted: set[str] = wanted) -> tuple[int, bool, int]:
            position, (top, numbers) = item
            return len(wanted & numbers.keys()), any(w in folded(top) for w in _TASKS), -position

        sections: dict[str, str] = {}
        for _, (_, numbers) in sorted(enumerate(by_part.items()), key=rank):
            sections.update(numbers)  # the best-ranked part comes last and wins
        if sections:
            out[doc_id] = sections
    return out


def referenced_titles(text: str, sections: dict[str, str]) -> str:
    """Titles of the sections a clause refers to ("mục 1, mục 2, mục 3 của Kế hoạch")."""
    return " ".join(sections[n] for n in sorted(section_numbers(text)) if n in sections)


def annotate_references(chunks: list[Chunk]) -> None:
    """Record on each chunk of one plan the titles of the sections its text refers to by number."""
    sections = outline(chunks)
    for chunk in chunks:
        titles = referenced_titles(chunk.text, sections.get(chunk.doc_id, {}))
        if titles:
            chunk.extra["refers"] = titles
