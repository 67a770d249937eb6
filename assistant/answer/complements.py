"""Questions that ask several things at once ("năm 2025 và 2030", "định danh, chữ ký số và tài khoản
dịch vụ công") are answered from several clauses: the best one, then those that add what it lacks.

A clause complements the best one when it is about the same thing (its support is close to the
best's), comes from the same plan, and either states a year the question asks for that the best
clause does not (then it must say most of what the best one says of the question: the same
indicator), or covers question words the best clause does not. At most `MAX_COMPLEMENTS` are
added, each only while the whole answer stays within its length limit.
"""

from __future__ import annotations

from assistant import tuning
from assistant.answer.scoring import Profile
from assistant.answer.units import Unit, has_quantity

MAX_COMPLEMENTS = 2
MIN_RELATIVE_SUPPORT = 0.5  # a complement's support, relative to the best clause's: about the same thing


def complements(best: Unit, candidates: list[Unit], profile: Profile) -> list[Unit]:
    """Units that complete the best one's answer, best first; empty for single-part questions."""
    chosen = _other_years(best, candidates, profile)
    have = set(best.tokens | best.context)
    for unit in chosen:
        have |= unit.tokens
    lacks = frozenset(have)  # what the best clause already covers
    seen = {best.text, *(u.text for u in chosen)}
    for _ in range(MAX_COMPLEMENTS - len(chosen)):
        pick, pick_value = None, 0.0
        for unit in candidates:
            if unit.text in seen or not _same_plan_quotable(unit, best, profile):
                continue
            # Judged against the best clause alone (three parallel items each add their own part),
            # but it must still add a question word no chosen clause has.
            # Words naming the plan are no part of what is asked: a clause repeating the title adds nothing.
            asked = {t: w for t, w in profile.weights.items() if t not in profile.naming}
            gain = sum(w for t, w in asked.items() if t in unit.tokens and t not in lacks) / profile.total
            adds = any(t in unit.tokens and t not in have for t in asked)
            value = gain + 0.1 * unit.support  # between equal gains, the clause closer to the question
            if gain >= tuning.value("complement_gain") and adds and value > pick_value:
                pick, pick_value = unit, value
        if pick is None:
            break
        chosen.append(pick)
        seen.add(pick.text)
        have |= pick.tokens
    return chosen


def _same_plan_quotable(unit: Unit, best: Unit, profile: Profile) -> bool:
    """A clause of the best one's plan, about as close to the question, holding a figure if one is asked."""
    if unit.kind in ("meta", "title") or unit.chunk.doc_id != best.chunk.doc_id:
        return False
    if unit.support < MIN_RELATIVE_SUPPORT * best.support:
        return False
    return profile.wants != "number" or has_quantity(unit.text)


def _other_years(best: Unit, candidates: list[Unit], profile: Profile) -> list[Unit]:
    """"… năm 2025 và 2030": for each asked year the best clause does not speak about, the clause of
    that year saying the most of what the best one says of the question — the same indicator, its
    other target — not whichever clause adds other question words."""
    if len(profile.years) < 2:
        return []
    said = {t: w for t, w in profile.weights.items() if t in best.tokens}
    total = sum(said.values())
    if not total:
        return []
    out: list[Unit] = []
    for year in profile.years:
        if year in best.years or any(year in u.years for u in out):
            continue
        pick, pick_value = None, MIN_RELATIVE_SUPPORT
        for unit in candidates:
            if year not in unit.years or unit is best or unit in out or not _same_plan_quotable(unit, best, profile):
                continue
            same = sum(w for t, w in said.items() if t in unit.tokens) / total
            if same > pick_value or (pick is not None and same == pick_value and unit.support > pick.support):
                pick, pick_value = unit, same
        if pick is not None and len(out) < MAX_COMPLEMENTS:
            out.append(pick)
    return out
