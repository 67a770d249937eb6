"""Shortening a quoted sentence to the room an answer has, keeping what the question asks for.

A long clause is cut to its best "; "-parts (`shorten`), and when the figure, agency or date asked
for would fall outside the room, the stretch around it is kept instead (`window`); every piece stays
the document's own words, an elision marked "…".
"""

from __future__ import annotations

import re

from assistant.answer.scoring import Profile, coverage
from assistant.answer.units import TIME_RE, assigns_lead, clauses, enumerates, has_quantity, has_time
from assistant import tuning
from assistant.vi.tokens import bm25_tokens

ANSWER_LIMIT = 300  # characters: the answer a user reads at a glance
_FIGURE_RE = re.compile(r"\d+(?:[.,]\d+)?\s*%|\d+(?:[.,]\d+)*\s+(?:tỷ|triệu|người|cơ quan|doanh nghiệp|dịch vụ)")


def clip(text: str, limit: int) -> str:
    """Cut at a word boundary with an ellipsis (for labels, never for quoted figures)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


_NUMBER_START_RE = re.compile(r"(?<![\w/.,])\d[\d.,]*%?")


def window(text: str, limit: int, profile: Profile) -> str:
    """A verbatim stretch of `text` within the limit that keeps the figure or date asked for."""
    pattern = {"number": _FIGURE_RE, "compare": _FIGURE_RE, "time": TIME_RE}.get(profile.wants)
    m = pattern.search(text) if pattern else None
    if m is None and profile.wants in ("number", "compare"):
        # any figure that is no year, date or document number: "tối thiểu 150 điểm truy cập"
        m = next((n for n in _NUMBER_START_RE.finditer(text) if has_quantity(text[n.start():n.end() + 20])), None)
    if m is None or m.end() <= limit - 2:
        return clip(text, limit)
    stop = re.search(r"[.;,](?:\s|$)", text[m.end():])
    end = m.end() + (stop.start() if stop else len(text) - m.end())
    start = max(0, end - limit + 2)
    start = text.find(" ", start) + 1 if start else 0
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def focused_list(text: str, profile: Profile) -> str:
    """For a list question, the one "; "-part of a long `text` that is the list asked for ("…; biên soạn
    tài liệu … bằng tiếng Việt và tiếng dân tộc A, B, C; …") when every other part covers the question
    less than `list_focus_ratio` of it; "" otherwise (the whole clause, or several of its parts, answer)."""
    parts = clauses(text)
    if len(parts) < 2 or len(text) <= ANSWER_LIMIT:
        return ""  # a clause that fits is quoted whole
    values = [coverage(frozenset(bm25_tokens(p)), profile) for p in parts]
    best = max(range(len(parts)), key=values.__getitem__)
    ratio = tuning.value("list_focus_ratio")
    if parts[best].count(",") < 2 or any(v >= ratio * values[best] for i, v in enumerate(values) if i != best):
        return ""
    if best + 1 < len(parts) and (_GOES_ON_RE.match(parts[best + 1]) or _opens_list(parts[best], profile)):
        return ""  # "… cho người lao động; cho các hộ dân, …" or "… đơn vị: A; B; C": the list goes on
    return parts[best]


def _opens_list(part: str, profile: Profile) -> bool:
    """The part is the intro of a list its colon opens ("Tỉnh đã triển khai … đến 100% đơn vị: A; B; C"):
    the question is about that intro (it covers the question more than the item after the colon does),
    so the items in the parts after it belong to the answer."""
    head, colon, item = part.partition(": ")
    return bool(colon) and coverage(frozenset(bm25_tokens(head)), profile) > coverage(frozenset(bm25_tokens(item)), profile)


_GOES_ON_RE = re.compile(r"(?:cho|và|tại|của|với|đến|tới|trong|ở|gồm|như|bao gồm)\b", re.IGNORECASE)


def shorten(text: str, profile: Profile, limit: int = ANSWER_LIMIT) -> str:
    """Keep a long sentence's best "; "-clauses (in order) within the limit; verbatim pieces only."""
    if len(text) <= limit:
        return text
    parts = clauses(text)
    if len(parts) < 2:
        parts = [p.strip() for p in re.split(r",\s+", text) if p.strip()]
    if len(parts) < 2:
        return window(text, limit, profile)

    def value(i: int) -> float:
        tokens = frozenset(bm25_tokens(parts[i]))
        v = coverage(tokens, profile)
        if profile.wants == "list" and v > 0 and enumerates(parts[i]):
            v += 1.0  # the enumeration is what a list question asks for; the other parts only name it
        if profile.wants in ("number", "compare") and has_quantity(parts[i]):
            v += 0.2
        if profile.wants == "time" and has_time(parts[i]):
            v += 0.2
        return v - 0.01 * i

    best = max(range(len(parts)), key=value)
    lo = hi = best
    size = len(parts[best])
    while True:  # grow around the best clause while it fits, preferring the more relevant side
        options = [j for j in (lo - 1, hi + 1) if 0 <= j < len(parts) and size + len(parts[j]) + 2 <= limit]
        if not options:
            break
        j = max(options, key=value)
        if value(j) <= 0 and size > limit // 2 and profile.wants != "list":
            break
        lo, hi = min(lo, j), max(hi, j)
        size += len(parts[j]) + 2
    sep = "; " if len(clauses(text)) >= 2 else ", "
    out = sep.join(parts[lo : hi + 1])
    needed = {"agency": assigns_lead, "time": has_time}.get(profile.wants)
    if needed is not None and not needed(out):
        # "Triển khai mô hình … (a long task); giao Ban Dân tộc tỉnh chủ trì, phối hợp …": who leads (or
        # when) is what is asked — keep the clause that says it, with as much of the best one as fits.
        leads = [j for j in range(len(parts)) if needed(parts[j])]
        if leads:
            j = min(leads, key=lambda j: (abs(j - best), j < best))
            room = limit - len(parts[j]) - len(sep)
            if room >= 60:
                task = clip(parts[best], room)
                return f"{task}{sep}{parts[j]}" if j > best else f"{parts[j]}{sep}{task}"
    if profile.wants in ("number", "compare") and has_quantity(text) and not has_quantity(out):
        return window(text, limit, profile)  # the figure asked for is the answer: keep it, clip the rest
    return out if len(out) <= limit else window(out, limit, profile)
