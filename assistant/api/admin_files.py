"""The admin area's file work: check an upload, keep it in a staging area, publish it into corpus/, remove a plan.

The corpus is never put at risk: an upload is checked (type by its bytes, not its name; size; a name
made safe to be a `doc_id`) and parsed with the project's own loaders before it is staged under
`admin_dir/staging/<id>/`; publishing writes hidden temporary files in corpus/ (the index ignores
dot-files) and renames them into place, so a plan appears whole or not at all; a plan with the same
`doc_id` is only replaced when the operator says so, and what it replaces — like a removed plan — is
moved to `admin_dir/removed/`, never deleted.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from assistant.errors import AssistantError, DocumentError, NotFound
from assistant.indexing.build import corpus_files
from assistant.ingest import loaders, metadata
from assistant.vi.normalize import fold_diacritics

MAX_DOC_ID = 80
MAX_DOCX_UNPACKED = 200 * 1024 * 1024  # a zip bomb stops here, far above any real plan
KIND_BY_SUFFIX = {".txt": "text", ".md": "text", ".pdf": "pdf", ".docx": "docx"}
KIND_NAMES = {"text": "văn bản thuần", "pdf": "PDF", "docx": "Word (.docx)", "zip": "tệp nén ZIP",
              "doc": "Word 97-2003 (.doc)", "image": "hình ảnh", "program": "chương trình máy tính",
              "archive": "tệp nén", "binary": "dữ liệu nhị phân"}
_MAGIC = [(b"%PDF-", "pdf"), (b"PK\x03\x04", "zip"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),
          (b"\x89PNG", "image"), (b"\xff\xd8\xff", "image"), (b"GIF8", "image"), (b"\x7fELF", "program"),
          (b"MZ", "program"), (b"\x1f\x8b", "archive"), (b"Rar!", "archive"), (b"7z\xbc\xaf", "archive")]
_STAGING_ID = re.compile(r"^[0-9a-f]{16}$")
META_FIELDS = ("title", "number", "doc_type", "issuer", "province", "date", "signer", "signer_title", "short_label")


class UploadRejected(AssistantError, status=422, code="upload_rejected"):
    """An uploaded file that cannot become a plan (the message says why)."""


class PlanExists(AssistantError, status=409, code="plan_exists"):
    """Publishing over an existing plan without the operator's confirmation."""


def safe_doc_id(raw: str) -> str:
    """A name anyone can type and every filesystem keeps: diacritics folded, [a-z0-9-], at most 80 characters.

    "Kế hoạch 12/KH Lâm Đồng" → "ke-hoach-12-kh-lam-dong"; path parts, dots and control characters go.
    """
    folded = fold_diacritics(unicodedata.normalize("NFC", raw or "")).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:MAX_DOC_ID].strip("-")
    if not slug:
        raise UploadRejected("Tên tệp không hợp lệ: cần ít nhất một chữ cái hoặc chữ số (ví dụ: lam-dong-kh-12-2024.pdf).")
    return slug


def split_upload_name(filename: str) -> tuple[str, str]:
    """(doc_id, suffix) from the browser's file name; only the last path part counts."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, dot, suffix = base.rpartition(".")
    suffix = ("." + suffix.lower()) if dot else ""
    if suffix not in KIND_BY_SUFFIX:
        raise UploadRejected(f"Chỉ nhận tệp {', '.join(KIND_BY_SUFFIX)}; tệp “{base[:100]}” không thuộc các loại này.")
    return safe_doc_id(stem), suffix


def sniff(data: bytes) -> str:
    """What the bytes are, whatever the name says: pdf, zip, doc, image, program, archive, text or binary."""
    head = data[:1024]
    if b"%PDF-" in head:  # the PDF header may follow a little junk
        return "pdf"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in data[:65536]:
        return "text"
    return "binary"


def _check_docx(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise UploadRejected(f"Tệp .docx hỏng: không mở được ({exc}).") from exc
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise UploadRejected("Nội dung tệp là một tệp nén ZIP nhưng không phải tài liệu Word (.docx).")
    if unpacked > MAX_DOCX_UNPACKED:
        raise UploadRejected("Tệp .docx giải nén ra quá lớn; hãy kiểm tra lại tệp.")


def check_content(data: bytes, suffix: str, max_bytes: int) -> None:
    """Refuse empty, oversized, or mislabelled files (a PDF called .txt, a program called .pdf)."""
    if not data:
        raise UploadRejected("Tệp rỗng.")
    if len(data) > max_bytes:
        raise UploadRejected(f"Tệp quá lớn ({len(data) / 1048576:.1f} MB); tối đa {max_bytes / 1048576:.0f} MB.")
    kind, expected = sniff(data), KIND_BY_SUFFIX[suffix]
    if kind == "zip" and expected == "docx":
        _check_docx(data)
    elif kind != expected:
        raise UploadRejected(f"Nội dung tệp là {KIND_NAMES[kind]}, không khớp với đuôi {suffix}; "
                             f"hãy tải lên đúng tệp {suffix}.")


@dataclass
class StagedPlan:
    """An upload waiting for review: its folder holds `<doc_id><suffix>`, maybe `<doc_id>.meta.json`, and upload.json."""

    staging_id: str
    folder: Path
    doc_id: str
    suffix: str
    original_name: str
    size: int
    sha256: str
    uploaded_at: str

    @property
    def path(self) -> Path:
        return self.folder / f"{self.doc_id}{self.suffix}"

    @property
    def meta_path(self) -> Path:
        return self.folder / f"{self.doc_id}.meta.json"

    def override(self) -> dict[str, Any]:
        return metadata.load_meta_override(self.folder, self.doc_id)


class Staging:
    """Uploads under review, one folder each."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def add(self, data: bytes, filename: str, *, doc_id: str | None, max_bytes: int) -> StagedPlan:
        """Check, write and parse an upload; nothing is left behind when it is refused."""
        name_id, suffix = split_upload_name(filename)
        doc_id = safe_doc_id(doc_id) if doc_id and doc_id.strip() else name_id
        check_content(data, suffix, max_bytes)
        staging_id = secrets.token_hex(8)
        folder = self.root / staging_id
        folder.mkdir(parents=True)
        staged = StagedPlan(staging_id, folder, doc_id, suffix, (filename or "")[-200:], len(data),
                            hashlib.sha256(data).hexdigest(), datetime.now(timezone.utc).isoformat(timespec="seconds"))
        try:
            staged.path.write_bytes(data)
            loaders.load_text(staged.path)  # the project's own loader decides whether it is readable
        except DocumentError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise UploadRejected(exc.message) from exc
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        record = {k: v for k, v in staged.__dict__.items() if k not in ("folder", "staging_id")}
        (folder / "upload.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        return staged

    def get(self, staging_id: str) -> StagedPlan:
        folder = self.root / staging_id
        if not _STAGING_ID.match(staging_id or "") or not (folder / "upload.json").is_file():
            raise NotFound("Không có tệp chờ duyệt này (có thể đã được xuất bản hoặc hủy).")
        record = json.loads((folder / "upload.json").read_text(encoding="utf-8"))
        return StagedPlan(staging_id=staging_id, folder=folder, **record)

    def list(self) -> list[StagedPlan]:
        if not self.root.is_dir():
            return []
        staged = [self.get(p.name) for p in self.root.iterdir() if _STAGING_ID.match(p.name) and (p / "upload.json").is_file()]
        return sorted(staged, key=lambda s: s.uploaded_at, reverse=True)

    def discard(self, staged: StagedPlan) -> None:
        shutil.rmtree(staged.folder, ignore_errors=True)

    def save_meta(self, staged: StagedPlan, fields: dict[str, Any]) -> None:
        """Write the sidecar in the corpus's format, then read it back with the corpus's own checks."""
        clean = {k: v for k, v in fields.items() if v not in ("", None, [])}
        if clean.get("date") and not re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", clean["date"]):
            raise UploadRejected("Ngày ban hành phải có dạng NNNN-TT-NN (ví dụ 2024-03-15) hoặc chỉ năm (2024).")
        temporary = staged.folder / ".meta.json.tmp"
        temporary.write_text(json.dumps(clean, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if clean:
            os.replace(temporary, staged.meta_path)
        else:
            temporary.unlink()
            staged.meta_path.unlink(missing_ok=True)
        try:
            staged.override()
        except DocumentError as exc:
            staged.meta_path.unlink(missing_ok=True)
            raise UploadRejected(exc.message) from exc


class Corpus:
    """corpus/ as the admin area changes it: under one lock, by renames, with backups in `removed`."""

    def __init__(self, corpus_dir: Path, admin_dir: Path) -> None:
        self.dir = Path(corpus_dir)
        self.removed = Path(admin_dir) / "removed"
        self.lock_path = Path(admin_dir) / ".corpus.lock"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def plans(self) -> list[dict[str, Any]]:
        return [{"doc_id": p.stem, "file": p.name, "size": p.stat().st_size,
                 "has_meta": (self.dir / f"{p.stem}.meta.json").exists()} for p in corpus_files(self.dir)]

    def files_of(self, doc_id: str) -> list[Path]:
        """The plan's file(s) under any supported suffix, and its sidecar."""
        names = [f"{doc_id}{s}" for s in loaders.SUPPORTED_SUFFIXES] + [f"{doc_id}.meta.json"]
        return [self.dir / n for n in names if (self.dir / n).is_file()]

    def _set_aside(self, doc_id: str, files: list[Path]) -> Path:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        folder = self.removed / f"{stamp}-{doc_id}-{secrets.token_hex(2)}"
        folder.mkdir(parents=True)
        for path in files:
            shutil.move(str(path), folder / path.name)
        return folder

    def publish(self, staged: StagedPlan, *, replace: bool) -> Path | None:
        """Put the staged plan (and its sidecar) into corpus/; returns where a replaced plan was moved."""
        with self._locked():
            existing = self.files_of(staged.doc_id)
            if any(p.suffix != ".json" for p in existing) and not replace:
                raise PlanExists(f"Đã có văn bản “{staged.doc_id}” trong kho. Hãy chọn “Thay thế văn bản cũ” "
                                 "nếu muốn thay, hoặc đổi mã văn bản.")
            temporaries: list[tuple[Path, Path]] = []
            backup: Path | None = None
            try:
                sources = [staged.path] + ([staged.meta_path] if staged.meta_path.exists() else [])
                for source in sources:  # the plan itself must be there: copying it raises otherwise
                    target = self.dir / source.name
                    temporary = self.dir / f".admin-{secrets.token_hex(6)}-{target.name}"
                    temporaries.append((temporary, target))
                    shutil.copyfile(source, temporary)
                backup = self._set_aside(staged.doc_id, existing) if existing else None
                for temporary, target in reversed(temporaries):  # sidecar first, the plan last
                    os.replace(temporary, target)
            except BaseException:
                for temporary, _ in temporaries:
                    temporary.unlink(missing_ok=True)
                if backup is not None:  # put the old plan back where it was
                    for saved in backup.iterdir():
                        os.replace(saved, self.dir / saved.name)
                raise
        shutil.rmtree(staged.folder, ignore_errors=True)
        return backup

    def remove(self, doc_id: str) -> Path:
        """Move a plan and its sidecar out of corpus/ (into `removed`); the last plan stays."""
        with self._locked():
            if doc_id not in {p["doc_id"] for p in self.plans()}:  # only names the corpus itself lists
                raise NotFound(f"Không có văn bản “{doc_id[:100]}” trong kho.")
            files = self.files_of(doc_id)
            if not any(p.suffix != ".json" for p in files):
                raise NotFound(f"Không có văn bản “{doc_id}” trong kho.")
            if len(self.plans()) <= 1:
                raise UploadRejected("Không thể gỡ văn bản cuối cùng: trợ lý cần ít nhất một văn bản.")
            return self._set_aside(doc_id, files)
