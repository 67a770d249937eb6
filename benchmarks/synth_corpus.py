"""A realistic synthetic corpus for scale tests, recombined from the real plans in corpus/.

Each synthetic plan takes the header and signature of one real plan and three to six top-level
(I., II., …) sections drawn from all of them, renumbered; the province is replaced everywhere by one
of the other provinces, the plan number and year are redrawn, and percentages and counts are
perturbed, so no plan is a copy and figures differ between plans. The five real plans (with their
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


def synth_plan(plans: list[dict], rng: random.Random) -> str:
    base = rng.choice(plans)
    province = rng.choice(PROVINCES)
    year = rng.randint(2020, 2025)
    lines = [re.sub(r"\b\d{2,4}/(KH|QĐ)", lambda m: f"{rng.randint(10, 2999)}/{m.group(1)}", line)
             for line in base["header"]]
    lines = [re.sub(r"(tháng\s+\d+\s+năm\s+)20\d\d\b", lambda m: f"{m.group(1)}{year}", line) for line in lines]
    picked = [rng.choice(rng.choice(plans)["sections"]) for _ in range(rng.randint(3, 6))]
    for rank, section in enumerate(picked):
        heading = ROMAN_HEADING.sub(lambda m: m.group(0).replace(m.group(1) + ".", ROMAN[rank] + ".", 1), section[0], count=1)
        lines.append(heading)
        lines.extend(_perturb(line, rng) for line in section[1:])
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
