"""Agency names: the one list of the words an agency's name starts with, and how to find a name.

Plans capitalise agencies ("Sở Y tế", "Công an tỉnh") and use the same words lower-case for other
things ("các cơ sở y tế", "cơ quan công an"), so a name is found on word boundaries with its head
word capitalised — "Sở Y tế" is in "giao Sở Y tế chủ trì" but not in "Các cơ sở y tế xây dựng …".
Matching is on diacritic-folded text, so "So Y te" typed without marks finds it too.
"""

from __future__ import annotations

import functools
import re

from assistant.vi.normalize import fold_diacritics, squash

# Words an agency's or office holder's name starts with, longest alternatives first where they share a start.
AGENCY_HEADS = (
    "Sở", "Ban Thường vụ", "Ban Chấp hành", "Ban Chỉ đạo", "Ban", "Ủy ban", "UBND", "Bộ Chỉ huy", "Bộ", "Chi cục", "Cục",
    "Ngân hàng", "Công an", "Đài", "Báo", "Cổng", "Văn phòng", "Bảo hiểm", "Liên đoàn", "Hội", "Thành đoàn",
    "Tỉnh đoàn", "Đoàn", "Viện", "Trung tâm", "Chủ tịch", "Giám đốc", "Thủ trưởng", "Kho bạc", "Thủ tướng",
    "Chính phủ", "Tỉnh ủy", "Thành ủy",
)
# The heads a question names an agency by when it asks what that agency does ("Sở Y tế có nhiệm vụ gì"):
# specific enough that a clause must name the agency to answer. "Ban", "Ủy ban", "Trung tâm" … name too
# many bodies for that.
NAMED_AGENCY_HEADS = (
    "Sở", "Công an", "Cục", "Ngân hàng", "Bảo hiểm", "Bộ Chỉ huy", "Kho bạc", "Đài", "Thành đoàn", "Tỉnh đoàn",
    "Liên đoàn", "Thủ tướng", "Chính phủ", "Tỉnh ủy", "Thành ủy", "Ban Thường vụ", "Ban Chấp hành", "Bộ",
)
# Bodies that issue or approve plans: named in many ways ("Tỉnh ủy" = "Ban Chấp hành Đảng bộ tỉnh"),
# and naming one only favours clauses that say it, it does not exclude the others (folded).
ISSUER_HEADS = ("thu tuong", "chinh phu", "tinh uy", "thanh uy", "ban thuong vu", "ban chap hanh", "bo ")


def heads_pattern(heads: tuple[str, ...] | list[str]) -> str:
    """A regex alternative of heads, longest first, for building name patterns."""
    return "|".join(sorted(set(heads), key=len, reverse=True))


@functools.lru_cache(maxsize=512)
def _name_re(folded_name: str) -> re.Pattern[str]:
    words = folded_name.split()
    first = re.escape(words[0][0].upper()) + "(?i:" + re.escape(words[0][1:])
    rest = "".join(r"\s+" + re.escape(w) for w in words[1:])
    return re.compile(rf"(?<!\w){first}{rest})(?!\w)")


def mentions_agency(text: str, folded_name: str) -> bool:
    """Whether `text` names the agency `folded_name` ("so y te"), capitalised, on word boundaries."""
    if not folded_name.strip():
        return False
    return bool(_name_re(folded_name).search(fold_diacritics(squash(text))))


def find_agency(text: str, folded_name: str) -> str:
    """The agency's name as `text` writes it ("Sở Y tế"), or "" (text must be NFC, single-spaced)."""
    m = _name_re(folded_name).search(fold_diacritics(text))
    return text[m.start() : m.end()] if m else ""
