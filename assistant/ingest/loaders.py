"""Read a plan file (.txt/.md, .docx, .pdf) into NFC text with `\\n` line ends — the text every offset points into.

Tables in .docx come out in the same flattened style as the shipped plans (one cell per line, a `|`
line after each cell), so `tables.py` rebuilds them the same way whatever the source format.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from assistant.errors import DocumentError

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".pdf")
_TEXT_SUFFIXES = (".txt", ".md")
_MAX_BAD_RATIO = 0.02  # share of control/replacement characters above which a file is not text


def _fail(path: Path, reason: str) -> DocumentError:
    return DocumentError(f"Không đọc được tệp {path.name}: {reason}")


def _decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or evident zero bytes), then the Vietnamese code page cp1258."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _fail(path, f"mã hóa UTF-16 không hợp lệ ({exc.reason}).") from exc
    if b"\x00" in data:
        odd = data[1::2].count(0)
        even = data[0::2].count(0)
        half = max(len(data) // 2, 1)
        for encoding, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
            if zeros / half > 0.3:
                try:
                    return data.decode(encoding)
                except UnicodeDecodeError:
                    break
        raise _fail(path, "tệp chứa dữ liệu nhị phân, không phải văn bản.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise _fail(path, "không nhận ra bảng mã (đã thử UTF-8, UTF-16, Windows-1258).") from exc


def _looks_binary(text: str) -> bool:
    bad = sum(1 for ch in text if (unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f") or ch == "\ufffd")
    return bad > _MAX_BAD_RATIO * max(len(text), 1)


def _read_docx(path: Path) -> str:
    """Paragraphs and tables in document order; table cells one per line, each followed by a `|` line."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a core dependency
        raise DocumentError("Cần cài gói python-docx để đọc tệp .docx (pip install python-docx).") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for broken packages
        raise _fail(path, f"tệp .docx hỏng hoặc không đúng định dạng ({exc.__class__.__name__}).") from exc
    out: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(element, document).text)
        elif tag == "tbl":
            for row in Table(element, document).rows:
                seen: set[int] = set()
                for cell in row.cells:
                    # A merged cell repeats across the row: write it once, then empty cells, so the
                    # column count stays what tables.py expects.
                    text = "" if id(cell._tc) in seen else "\n".join(p.text for p in cell.paragraphs).strip()
                    seen.add(id(cell._tc))
                    if text:
                        out.append(text)
                    out.append("|")
    return "\n".join(out)


def _read_pdf(path: Path) -> str:
    try:
        from pypdf import PdfReader
    except ImportError as exc:  # pragma: no cover - pypdf is a core dependency
        raise DocumentError("Cần cài gói pypdf để đọc tệp .pdf (pip install pypdf).") from exc
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _fail(path, "tệp PDF được đặt mật khẩu.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        raise _fail(path, f"tệp PDF hỏng hoặc không đúng định dạng ({exc.__class__.__name__}).") from exc
    return "\n".join(pages)


def load_text(path: Path) -> str:
    """The document's text, NFC-normalised with `\\n` line ends; DocumentError (Vietnamese message) if unusable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"Không hỗ trợ định dạng tệp {path.name}: chỉ nhận {', '.join(SUPPORTED_SUFFIXES)}.")
    if not path.is_file():
        raise DocumentError(f"Không tìm thấy tệp {path}.")
    if suffix in _TEXT_SUFFIXES:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _fail(path, str(exc)) from exc
        text = _decode(data, path)
    elif suffix == ".docx":
        text = _read_docx(path)
    else:
        text = _read_pdf(path)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).lstrip("\ufeff")
    if _looks_binary(text):
        raise _fail(path, "tệp chứa dữ liệu nhị phân, không phải văn bản.")
    if not text.strip():
        raise _fail(path, "tệp rỗng, không có nội dung văn bản.")
    return text
