"""A realistic synthetic corpus for scale tests, recombined from the real plans in corpus/.

Each synthetic plan takes the header and signature of one real plan and three to six top-level
(I., II., …) sections drawn from all of them, renumbered; the province is replaced everywhere by one
of the other provinces, the plan number and year are redrawn, and percentages and counts are
perturbed, so no plan is a copy and figures differ between plans. Sentences are varied too, so
that recombined clauses are rarely identical (identical clauses give identical vectors, which make
ANN recall meaningless and HNSW graphs degenerate): target years shift, agencies and district-level
places are swapped, a clause of a long sentence is dropped or a qualifier added, and bullet lines are
dropped or merged with the next one. The five real plans (with their
.meta.json) are planted unchanged, so the real eval questions still have their answers. Synthetic
provinces never include the five real ones, so a question naming Đồng Nai still has one plan to
choose — the scale test is then about ranking and index cost, not about telling plans apart.

Usage: python benchmarks/synth_corpus.py OUT_DIR --chunks 100000 [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
CHUNKS_PER_PLAN = 74  # measured: a synthetic plan (3-6 sections) gives ~74 chunks at chunk_max_chars 900
PROVINCES = [
    "An Giang", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định", "Bình Dương",
    "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Tháp",
    "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa",
    "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định",
    "Nghệ An", "Ninh Thuận", "Phú Thọ", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Sóc Trăng",
    "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
ROMAN_HEADING = re.compile(r"^\s*(?:PHẦN\s+)?([IVX]+)\.\s+\S")
PERCENT = re.compile(r"\b(\d{1,3})(?:[,.]\d+)?\s?%")
COUNT = re.compile(r"(?<![\d/.,-])(\d{2,3})(?![\d/.,%-])")
YEAR = re.compile(r"(?<![\d/.-])(20[2-3]\d)(?![\d/%])")
AGENCIES = [
    "Sở Thông tin và Truyền thông", "Sở Y tế", "Sở Công Thương", "Sở Kế hoạch và Đầu tư", "Sở Giáo dục và Đào tạo",
    "Sở Lao động - Thương binh và Xã hội", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Khoa học và Công nghệ",
    "Sở Tài chính", "Sở Giao thông vận tải", "Sở Tài nguyên và Môi trường", "Sở Nội vụ", "Sở Xây dựng", "Sở Tư pháp",
    "Sở Văn hóa, Thể thao và Du lịch", "Văn phòng Ủy ban nhân dân tỉnh", "Công an tỉnh", "Bảo hiểm xã hội tỉnh",
]
AGENCY = re.compile("|".join(re.escape(a) for a in sorted(AGENCIES, key=len, reverse=True)))
LOCALITIES = ["huyện Tân Phú", "huyện Vĩnh Cửu", "thị xã Long Khánh", "thành phố Biên Hòa", "huyện Cẩm Giàng",
              "thị xã Kinh Môn", "huyện Đồng Xuân", "thành phố Tuy Hòa", "huyện Xuyên Mộc", "thành phố Bà Rịa",
              "huyện Sông Hinh", "huyện Thanh Miện", "huyện Định Quán", "thị xã Phú Mỹ", "huyện Tuy An"]
LOCALITY = re.compile(r"(?:huyện|thị xã|thành phố) (?:[A-ZĐ]\w+)(?: [A-ZĐ]\w+)?")
QUALIFIERS = ["trên địa bàn tỉnh", "theo lộ trình từng năm", "ưu tiên các xã vùng sâu, vùng xa",
              "gắn với cải cách hành chính", "bảo đảm an toàn thông tin", "có sự tham gia của doanh nghiệp",
              "theo hướng dẫn của bộ, ngành trung ương", "phù hợp với điều kiện thực tế của địa phương",
              "bằng nguồn vốn ngân sách và xã hội hóa", "định kỳ sáu tháng đánh giá, báo cáo kết quả"]
BULLET = re.compile(r"^\s*(?:[-+•]\s|Căn cứ )")  # lines a plan can lose or merge without breaking its outline


def real_plans() -> list[dict]:
    """Each real plan split into header, top-level sections and the province it names."""
    plans = []
    for path in sorted(CORPUS.glob("*.txt")):
        meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8")) if path.with_suffix(".meta.json").exists() else {}
        province = meta.get("province", "")
        lines = path.read_text(encoding="utf-8").splitlines()
        starts = [i for i, line in enumerate(lines) if ROMAN_HEADING.match(line)]
        if len(starts) < 2:
            continue
        sections = [lines[a:b] for a, b in zip(starts, starts[1:] + [len(lines)])]
        plans.append({"province": province, "header": lines[:starts[0]], "sections": sections})
    return plans


def _replace_province(text: str, old: str, new: str) -> str:
    if not old:
        return text
    for short in (old.replace("Thành phố ", ""), old):
        text = text.replace(short, new).replace(short.upper(), new.upper())
    return text


def _perturb(line: str, rng: random.Random) -> str:
    line = PERCENT.sub(lambda m: f"{rng.randint(10, 100)}%", line)
    return COUNT.sub(lambda m: str(max(10, int(int(m.group(1)) * rng.uniform(0.5, 1.6)))), line)


def _vary(line: str, rng: random.Random) -> str:
    """Perturb figures and reword one line a little, so a recombined clause is rarely a verbatim copy."""
    line = _perturb(line, rng)
    line = YEAR.sub(lambda m: str(int(m.group(1)) + rng.choice((0, 0, 1, 2, 3, 5))), line)
    line = AGENCY.sub(lambda m: rng.choice(AGENCIES) if rng.random() < 0.5 else m.group(0), line)
    line = LOCALITY.sub(lambda m: rng.choice(LOCALITIES), line)
    clauses = line.split("; ") if "; " in line else line.split(", ")
    if len(clauses) >= 3 and rng.random() < 0.5:  # drop one clause of a long sentence (never the first)
        del clauses[rng.randrange(1, len(clauses))]
        line = ("; " if "; " in line else ", ").join(clauses)
    if len(line) > 15 and line.rstrip()[-1:] in (".", ";") and rng.random() < 0.6:  # sentence ends (wrapped lines too)
        line = line.rstrip()[:-1] + _qualifier(rng) + line.rstrip()[-1]
    return line


def _qualifier(rng: random.Random) -> str:
    """A phrase a plan might add to a sentence: thousands of combinations, so short clauses rarely repeat."""
    phrase = f", {rng.choice(QUALIFIERS)}"
    if rng.random() < 0.6:
        start = rng.randint(2024, 2030)
        phrase += rng.choice((f" trong năm {start}", f" giai đoạn {start}-{start + rng.choice((1, 2, 5))}"))
    if rng.random() < 0.5:
        phrase += f", trước hết tại {rng.choice(LOCALITIES)}"
    return phrase


def _vary_section(lines: list[str], rng: random.Random) -> list[str]:
    """Drop some bullet lines and merge others into the next one; headings always stay."""
    out: list[str] = []
    merge = False
    for line in lines:
        bullet = bool(BULLET.match(line))
        if bullet and rng.random() < 0.15:
            continue
        if merge and out and bullet:
            out[-1] = out[-1].rstrip().rstrip(".;") + "; " + BULLET.sub("", line, count=1)
        else:
            out.append(_vary(line, rng))
        merge = bullet and rng.random() < 0.15
    return out


def synth_plan(plans: list[dict], rng: random.Random) -> str:
    base = rng.choice(plans)
    province = rng.choice(PROVINCES)
    year = rng.randint(2020, 2025)
    lines = [re.sub(r"\b\d{2,4}/(KH|QĐ)", lambda m: f"{rng.randint(10, 2999)}/{m.group(1)}", line)
             for line in base["header"]]
    lines = [re.sub(r"(tháng\s+\d+\s+năm\s+)20\d\d\b", lambda m: f"{m.group(1)}{year}", line) for line in lines]
    lines = _vary_section(lines, rng)
    picked = [rng.choice(rng.choice(plans)["sections"]) for _ in range(rng.randint(3, 6))]
    for rank, section in enumerate(picked):
        heading = ROMAN_HEADING.sub(lambda m: m.group(0).replace(m.group(1) + ".", ROMAN[rank] + ".", 1), section[0], count=1)
        lines.append(heading)
        lines.extend(_vary_section(section[1:], rng))
    text = "\n".join(lines)
    for plan in plans:  # sections come from every plan: none keeps its province
        text = _replace_province(text, plan["province"], province)
    return text + "\n"


def generate(out_dir: Path, chunks: int, seed: int = 0, *, plant_real: bool = True) -> list[Path]:
    """Write about `chunks` chunks' worth of plans into out_dir (plus the real ones); returns the new files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    plans = real_plans()
    written = []
    for number in range(max(1, round(chunks / CHUNKS_PER_PLAN))):
        path = out_dir / f"synth-{seed}-{number:06d}.txt"
        path.write_text(synth_plan(plans, rng), encoding="utf-8")
        written.append(path)
    if plant_real:
        for path in CORPUS.iterdir():
            shutil.copy(path, out_dir / path.name)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    files = generate(args.out_dir, args.chunks, args.seed)
    print(f"{len(files)} synthetic plans (+ the real ones) in {args.out_dir}")


if __name__ == "__main__":
    main()
