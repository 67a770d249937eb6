"""Validate an annotated file against plan folders (checks of eval/README: shapes, verbatim evidence, must_contain)."""
import sys, tempfile, shutil
from pathlib import Path
sys.path.insert(0, "/work/main")
from assistant.evaluation.dataset import load_dataset, validate
path = Path(sys.argv[1])
tmp = Path(tempfile.mkdtemp())
for d in sys.argv[2:]:
    for f in Path(d).glob("*.txt"):
        shutil.copy(f, tmp / f.name)
try:
    items = load_dataset(path)
except Exception as exc:
    print(exc); sys.exit(1)
for p in validate(items, tmp):
    print(p)
