"""Questions that ask several things at once ("năm 2025 và 2030", "định danh, chữ ký số và tài khoản
dịch vụ công") are answered from several clauses: the best one, then those that add what it lacks.

A clause complements the best one when it is about the same thing (its support is close to the
best's), comes from the same plan, and either covers question words the best clause does not, or
states a year the question asks for that the best clause does not. At most `MAX_COMPLEMENTS` are
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
    have = set(best.tokens | best.context)
    lacks = frozenset(have)  # what the best clause already covers
    missing_years = set(profile.years) - set(best.years) if len(profile.years) >= 2 else set()
    chosen: list[Unit] = []
    seen = {best.text}
    for _ in range(MAX_COMPLEMENTS):
        pick, pick_value = None, 0.0
        for unit in candidates:
            if unit.text in seen or unit.kind in ("meta", "title") or unit.chunk.doc_id != best.chunk.doc_id:
                continue
            if unit.support < MIN_RELATIVE_SUPPORT * best.support:
                continue
            if profile.wants == "number" and not has_quantity(unit.text):
                continue
            # Judged against the best clause alone (three parallel items each add their own part),
            # but it must still add a question word no chosen clause has.
            gain = sum(w for t, w in profile.weights.items() if t in unit.tokens and t not in lacks) / profile.total
            adds = any(t in unit.tokens and t not in have for t in profile.weights)
            if missing_years & unit.years:
                gain += tuning.value("complement_year_gain")
            value = gain + 0.1 * unit.support  # between equal gains, the clause closer to the question
            if gain >= tuning.value("complement_gain") and (adds or missing_years & unit.years) and value > pick_value:
                pick, pick_value = unit, value
        if pick is None:
            break
        chosen.append(pick)
        seen.add(pick.text)
        have |= pick.tokens
        missing_years -= set(pick.years)
    return chosen
