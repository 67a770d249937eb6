"""Questions about a plan itself or about documents it cites, read from the wording.

"Ai ký kế hoạch 198?", "số hiệu là gì" ask a metadata field of the plan (answered from its header
or signature); "triển khai theo quyết định số mấy" or "có hiệu lực từ khi nào" ask about another
document or the decision's own effect clause. Retrieval boosts the header for the first kind; the
answerer restricts its evidence for the others.
"""

from __future__ import annotations

import re

from assistant.retrieve.analysis import DUTY_TO_ISSUE_RE, QueryInfo, analyze
from assistant.vi.normalize import folded

# Plan metadata fields and the (folded) phrasings that ask for them.
_META_FIELDS = {
    "number": r"so hieu|ky hieu|so may|van ban so|so van ban|mang so|la so bao nhieu",
    "date": r"(?:ban hanh|ky|duoc ky|ky ban hanh)(?: vao)?(?: ngay| khi| luc| bao gio| nam nao| thoi diem)"
            r"|ngay (?:thang nam )?(?:ban hanh|ky)|thoi diem ban hanh"
            r"|ban hanh\b.*\bngay (?:thang nam )?nao",
    "signer": r"ai ky|nguoi ky|ky boi|do ai ky|ai da ky|ai la nguoi ky|ky ban hanh",
    "issuer": r"co quan (?:nao )?ban hanh|ai ban hanh|don vi (?:nao )?ban hanh|ban hanh boi|cap nao ban hanh",
    # "tiêu đề" (title), not the "tiêu đề" inside "mục tiêu đề án" (the scheme's objectives)
    "title": r"ten day du|trich yeu|(?<!muc )tieu de(?! an)|ten (?:cua |goi )?(?:ke hoach|van ban|quyet dinh|chuong trinh)"
             r"|phe duyet (?:chuong trinh|ke hoach|de an) gi|la (?:ke hoach|chuong trinh|van ban) gi",
    # "(Kèm theo Quyết định số … của UBND tỉnh)": the document a plan or its annex is attached to
    "attached": r"(?:ban hanh|duoc ban hanh|di) kem(?: theo)?|(?:kem theo|dinh kem)(?: theo)? (?:van ban|loai van ban|"
                r"quyet dinh|cong van)?\s*(?:gi|nao|so may|so bao nhieu|so nao)",
}
# "triển khai … theo kế hoạch số mấy", "thực hiện quyết định số nào": a document the plan cites.
_DOC_ASKED = (r"(?:trien khai|thuc hien|theo|can cu|de)\b.*\b(?:ke hoach|quyet dinh|nghi quyet|nghi dinh|chi thi"
              r"|thong tu|cong van|de an|chuong trinh)\s+so\s+(?:may|bao nhieu|nao|gi)\b")
_REFERENCED_NUMBER_RE = re.compile(_DOC_ASKED + r"|(?:quyet dinh|nghi quyet|ke hoach|nghi dinh|thong tu|chi thi|de an)"
                                   r"\s+nao\b")
_EFFECT_RE = re.compile(r"\bhieu luc\b")


def asks_referenced_number(question: str) -> bool:
    """Asks the number of a document the plan cites ("triển khai theo kế hoạch số mấy")."""
    return bool(_REFERENCED_NUMBER_RE.search(folded(question)))


def asks_effect(question: str) -> bool:
    """Asks when a decision takes effect ("có hiệu lực từ khi nào"): its Điều says so."""
    return bool(_EFFECT_RE.search(folded(question)))


# A question about another document the plan cites, not about the plan itself.
_REFERENCED_RE = re.compile(
    r"(?:quyet dinh|nghi quyet|nghi dinh|chi thi|thong tu|cong van|to trinh|de an|chien luoc|chuong trinh hanh dong"
    r"|ke hoach)\s+(?:nao|gi)\b|can cu|theo de nghi|to trinh|cu the hoa|thuc hien (?:nghi quyet|quyet dinh)"
    r"|" + _DOC_ASKED + r"|\bhieu luc\b"
)


def meta_fields(question: str | QueryInfo, own_numbers: set[str] | frozenset[str] = frozenset(),
                plan_names: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Metadata fields of the plan itself the question asks for (number, date, signer, issuer, title).

    A question naming a document that is none of the plans ("theo QĐ 4025/QĐ-UBND") asks about
    that document, which only the plan's text can answer. `plan_names` are the numbers a plan is also
    called by, with its own kind: "Kế hoạch 411" is the plan carrying out Quyết định 411 ("411/KH").
    """
    info = question if isinstance(question, QueryInfo) else analyze(question)
    q = folded(info.text)
    if _REFERENCED_RE.search(q) or DUTY_TO_ISSUE_RE.search(q):
        return []
    if any(re.sub(r"\D", "", n.split("/")[0]) not in own_numbers and _short_name(n) not in plan_names
           for n in info.doc_numbers):
        return []
    return [name for name, pattern in _META_FIELDS.items() if re.search(rf"\b(?:{pattern})\b", q)]


def _short_name(number: str) -> str:
    """"411/KH" of "411/KH" or "411/KH-UBND": digits and kind, as `plan_names` holds them."""
    digits, _, rest = number.partition("/")
    return re.sub(r"\D", "", digits) + "/" + rest.split("-")[0].upper()
