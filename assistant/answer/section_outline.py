"""Questions about the sections under a heading, answered from the plan's outline.

"Đề án có những nhiệm vụ nào?" and "phần giải pháp có mấy nhóm?" ask for the titles (or the number) of
the sections below the heading the question names ("3. Giải pháp" > "3.1. …", "3.2. …"); a section of
sections has no sentence of its own that says so, so the answer is read off the outline.
"""

from __future__ import annotations

import re

from assistant import tuning
from assistant.answer.compose import LIST_LIMIT, enumeration, finish, item_head, make_citation
from assistant.answer.scoring import Profile, coverage
from assistant.answer.shortening import ANSWER_LIMIT
from assistant.answer.units import Unit, logical_lines, subsections
from assistant.ingest.lines import LIST_MARKER_RE, strip_list_marker
from assistant.records import Chunk, Hit
from assistant.vi.normalize import folded
from assistant.vi.tokens import bm25_tokens

# "mấy nhóm giải pháp", "bao nhiêu mục", "gồm mấy phần": a count of the parts of a document's section
_COUNTS_PARTS_RE = re.compile(r"\b(?:bao nhieu|may)\s+(?:nhom|muc|phan(?! tram)|chuong|dieu|khoan|noi dung|nhiem vu|giai phap|"
                              r"chi tieu|tieu chi|du an|quan diem|linh vuc|y)\b")


_PART_NOUNS = frozenset("nhom muc phan chuong dieu khoan".split())


def _heading_coverage(tokens: frozenset[str], profile: Profile) -> float:
    """Share of the question's topic a heading covers: the words naming the plan, the noun counted
    ("nhóm", "mục") and one-syllable cue words ("có", "trong") left out, the section's own words
    ("giải pháp") kept."""
    topic = {t: w for t, w in profile.weights.items() if t not in profile.naming
             and not _PART_NOUNS & set(t.split("_")) and ("_" in t or t not in profile.cues)}
    total = sum(topic.values())
    return sum(w for t, w in topic.items() if t in tokens) / total if total else 0.0


def _title(heading: str) -> str:
    return folded(strip_list_marker(heading)).strip(" :.")


def _marker_shape(line: str) -> str:
    """The kind of list marker a line starts with ("-", "+", "a)", "1.", "1.1"), digits and letters
    generalised, so the items of one level can be told from the sub-items under them."""
    m = LIST_MARKER_RE.match(line)
    if not m:
        return ""
    return re.sub(r"[a-zđ]", "a", re.sub(r"\d+", "1", m.group(0).strip()))


def first_level_items(chunks: list[Chunk]) -> list[str]:
    """The items of a section's list at its first level: the lines marked like its first marked line
    ("- Tỷ lệ …" but not the "+ …" under them)."""
    lines = [line for c in chunks for line, marked in logical_lines(c.text, c) if marked]
    if not lines:
        return []
    shape = _marker_shape(lines[0])
    return [strip_list_marker(line).strip().rstrip(".;") for line in lines if _marker_shape(line) == shape]


def counts_parts(question: str) -> bool:
    """The question asks how many sections (groups, items, parts) a heading has."""
    return bool(_COUNTS_PARTS_RE.search(folded(question)))


def counts_parts_of_document(question: str) -> bool:
    """"mấy mục", "bao nhiêu nhóm": the noun names a part of the document's outline, so a list's bullets
    answer only where no heading has numbered sections below it ("bao nhiêu chỉ tiêu" may be either)."""
    m = _COUNTS_PARTS_RE.search(folded(question))
    return bool(m) and m.group(0).split()[-1] in _PART_NOUNS


# "đặt ra những mục đích gì", "gồm những quan điểm nào": the list asked for by the noun a section is titled
_TITLE_ASKED_RE = re.compile(r"\bnhung ((?:[a-z]+ ){0,3}[a-z]+) (?:gi|nao)\b")


def asked_title(question: str) -> str:
    """The noun a list question asks for ("những mục đích gì" -> "muc dich"), folded; "" if none."""
    m = _TITLE_ASKED_RE.search(folded(question))
    return m.group(1) if m else ""


class SectionOutline:
    """Per plan and heading path, the sections right below it, where each section starts, and the
    chunks of each section (a long section is cut into several)."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.children = subsections(chunks)
        self.starts: dict[tuple[str, tuple[str, ...]], Chunk] = {}  # a section's first chunk, any depth
        self.bodies: dict[tuple[str, tuple[str, ...]], list[Chunk]] = {}  # the chunks of exactly that section
        self.paths_of: dict[str, list[tuple[str, ...]]] = {}  # per plan, its sections that hold text
        self.titled_paths: dict[tuple[str, str], list[tuple[str, ...]]] = {}  # (plan, folded title) -> sections
        for chunk in chunks:
            for depth in range(1, len(chunk.heading_path) + 1):
                self.starts.setdefault((chunk.doc_id, tuple(chunk.heading_path[:depth])), chunk)
            if chunk.kind == "text" and chunk.heading_path:
                key = (chunk.doc_id, tuple(chunk.heading_path))
                if key not in self.bodies:
                    self.paths_of.setdefault(chunk.doc_id, []).append(key[1])
                    self.titled_paths.setdefault((chunk.doc_id, _title(key[1][-1])), []).append(key[1])
                self.bodies.setdefault(key, []).append(chunk)

    def titled(self, bundle, hits: list[Hit], profile: Profile, question: str, limit: int) -> tuple[str, list] | None:
        """"Kế hoạch đặt ra những mục đích gì": the items of the section of the asked plan titled by the
        noun asked for ("1. Mục đích"), when the question says nothing beyond that noun and the plan."""
        noun = asked_title(question)
        if not noun or not hits:
            return None
        doc_id = hits[0].chunk.doc_id
        paths = self.titled_paths.get((doc_id, noun), [])
        if len(paths) != 1:
            return None  # no section, or several ("Mục tiêu" of two parts): retrieval decides
        asked = set(noun.split())
        rest = sum(w for t, w in profile.weights.items() if t not in profile.naming and t not in profile.cues
                   and t not in profile.aside and not set(t.split("_")) <= asked)
        if rest > sum(w for t, w in profile.weights.items() if set(t.split("_")) <= asked):
            return None  # "những giải pháp gì về thanh toán số": a topic beyond the section's title
        path = paths[0]
        chunks = self.bodies[(doc_id, path)]
        items = [strip_list_marker(line).strip().rstrip(".;") for c in chunks
                 for line, marked in logical_lines(c.text, c) if marked]
        if len(items) < 2:
            return None
        heading = strip_list_marker(path[-1]).rstrip(" :.")
        room = LIST_LIMIT if limit >= ANSWER_LIMIT else limit
        text = enumeration(f"{heading}: {'; '.join(item_head(i) for i in items)}.", room)
        return finish(text), [make_citation(bundle, Hit(chunks[0], hits[0].score), path[-1])]

    def reply(self, bundle, best: Unit | None, hits: list[Hit], profile: Profile, limit: int,
              *, count: bool = False) -> tuple[str, list] | None:
        """The titles under the heading that covers the question better than the best clause does
        (with `count`, their number first), and its citation; None when no heading does."""
        docs = list(dict.fromkeys(h.chunk.doc_id for h in hits[:int(tuning.value("answer_hits"))]))
        floor = best.support if best is not None else 0.0
        found = None
        for (doc_id, path), titles in self.children.items():
            if doc_id not in docs[:1] or len(titles) < 2 or not path:
                continue
            if count:  # the heading itself names the part counted ("phần giải pháp"); the shallowest wins
                tokens = frozenset(bm25_tokens(path[-1]))
                covered = _heading_coverage(tokens, profile)
                focus = len(tokens & profile.weights.keys()) / len(tokens) if tokens else 0.0
                key = (covered, focus, -len(path))  # "3. Giải pháp" over "PHỤ LỤC … GIẢI PHÁP TRỌNG TÂM …"
            else:
                covered = coverage(frozenset(bm25_tokens(" ".join(path))), profile)
                key = (covered, 0)
                own = coverage(frozenset(bm25_tokens(path[-1])), profile)
                if own > 0 and any(coverage(frozenset(bm25_tokens(t)), profile) >= own for t in titles):
                    continue  # "những quan điểm gì" under "Quan điểm và mục tiêu": the child "Quan điểm" is asked
            if covered > floor and (found is None or key > found[0]):
                found = (key, doc_id, path, titles)
        if count and (found is None or not counts_parts_of_document(profile.folded)):
            # "có bao nhiêu chỉ tiêu": the items of a list that is a section of its own
            for doc_id, path in ((d, p) for d in docs[:1] for p in self.paths_of.get(d, [])):
                chunks = self.bodies[(doc_id, path)]
                if (doc_id, path) in self.children:
                    continue
                covered = _heading_coverage(frozenset(bm25_tokens(" ".join(path))), profile)
                if covered <= floor:
                    continue
                tokens = frozenset(bm25_tokens(path[-1]))
                focus = len(tokens & profile.weights.keys()) / len(tokens) if tokens else 0.0
                key = (covered, focus, -len(path))
                if found is None or key > found[0]:
                    items = first_level_items(chunks)  # read only for a section that would win
                    if len(items) >= 2:
                        found = (key, doc_id, path, items)
        if found is None:
            return None
        _, doc_id, path, titles = found
        chunk = self.starts.get((doc_id, path))
        if chunk is None:
            return None
        heading = strip_list_marker(path[-1]).rstrip(" :.")
        if count and (doc_id, path) not in self.children and len(path) > 1:
            heading = f"{strip_list_marker(path[-2]).rstrip(' :.')} – {heading}"  # "Phát triển xã hội số – Mục tiêu …"
        intro = f"{heading} gồm {len(titles)} mục:" if count else f"{heading}:"
        room = limit if count else LIST_LIMIT if limit >= ANSWER_LIMIT else limit  # a count needs no long list
        text = enumeration(f"{intro} {'; '.join(item_head(t) for t in titles)}.", room)
        score = best.hit.score if best is not None else hits[0].score
        return finish(text), [make_citation(bundle, Hit(chunk, score), path[-1])]
