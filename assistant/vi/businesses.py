"""Businesses as an answer: which questions ask for a company by name, and which text names one.

Plans assign work to agencies ("Sở Thông tin và Truyền thông"), almost never to a named company;
"công ty nào làm app…", "nhà mạng nào kéo cáp…" are answered only by a clause that names one
("Tập đoàn Bưu chính Viễn thông Việt Nam (VNPT)", "Viettel Đồng Nai"). The brand list is the
national telecom and IT operators a provincial plan may name.
"""

from __future__ import annotations

import re

from assistant.vi.normalize import folded

# Operators and IT firms that build and run provincial systems (not apps a clause names as a channel,
# such as Zalo: "tiếp nhận phản ánh qua Zalo" says nothing about who built anything).
BRANDS = ("viettel", "vnpt", "mobifone", "vinaphone", "fpt", "cmc", "bkav", "misa", "vietnamobile",
          "vnpost", "viettel post", "sctv", "vtc", "vng")
# what kind of company a question names between "công ty" and "nào"
_KINDS = r"vien thong|cntt|cong nghe thong tin|cong nghe so|cong nghe|phan mem|tu van|ict|it|hay|hoac"
_ASKS_RE = re.compile(
    r"\b(?:cong ty|nha mang|nha cung cap|nha thau|hang|tap doan|don vi tu van|doanh nghiep vien thong)\s+(?:nao|gi)\b"
    r"|\b(?:cong ty|tap doan)(?:\s+(?:" + _KINDS + r"))+\s+nao\b"  # "công ty CNTT nào", "… viễn thông hay CNTT nào"
    r"|\b(?:" + "|".join(re.escape(b) for b in BRANDS) + r")\s+hay\b"
)
_BRAND_RE = re.compile(r"\b(?:" + "|".join(re.escape(b) for b in BRANDS) + r")\b")
_COMPANY_RE = re.compile(r"\b(?:Công ty|Tập đoàn|Tổng công ty)\s+(?:cổ phần\s+|TNHH\s+)?[A-ZĐ]")


def asks_for_business(folded_question: str) -> bool:
    """"Công ty nào…", "nhà mạng nào…", "Viettel hay VNPT…": the answer must name a company."""
    return bool(_ASKS_RE.search(folded_question))


def names_business(text: str) -> bool:
    """The text names a company: a brand, or "Công ty/Tập đoàn …" followed by its name."""
    return bool(_BRAND_RE.search(folded(text)) or _COMPANY_RE.search(text))
