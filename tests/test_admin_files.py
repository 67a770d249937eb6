"""Uploads become plans safely: type by content, size cap, safe names, staging, no silent overwrite, backups."""

from __future__ import annotations

import io
import json

import pytest

from assistant.api.admin_files import (
    Corpus, PlanExists, Staging, UploadRejected, check_content, safe_doc_id, sniff, split_upload_name,
)
from assistant.errors import NotFound

PLAN = (b"UY BAN NHAN DAN TINH LAM DONG\nKE HOACH\nChuyen doi so nam 2024\n"
        b"I. MUC TIEU\n1. Muc tieu chung\nPhat trien chinh quyen so.\n")


def docx_bytes(text: str = "KẾ HOẠCH\nI. MỤC TIÊU\nPhát triển kinh tế số.") -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "KE HOACH chuyen doi so")
    page.drawString(72, 700, "I. MUC TIEU")
    page.save()
    return out.getvalue()


@pytest.mark.parametrize("raw, doc_id", [
    ("Kế hoạch 12-KH Lâm Đồng", "ke-hoach-12-kh-lam-dong"),
    ("../../etc/passwd", "etc-passwd"),
    ("  ĐỒNG   NAI__2024 ", "dong-nai-2024"),
    ("a\x00b\u202ec", "a-b-c"),
    ("x" * 200, "x" * 80),
])
def test_names_become_safe_doc_ids(raw, doc_id):
    assert safe_doc_id(raw) == doc_id


@pytest.mark.parametrize("name", ["...", "", "đ/", "—"])
def test_a_name_with_nothing_usable_is_refused(name):
    with pytest.raises(UploadRejected, match="Tên tệp không hợp lệ"):
        safe_doc_id(name if name != "đ/" else "/")


@pytest.mark.parametrize("filename, expected", [
    ("C:\\Users\\cb\\Kế hoạch CĐS.PDF", ("ke-hoach-cds", ".pdf")),
    ("../../corpus/dong-nai.txt", ("dong-nai", ".txt")),
    ("plan.pdf.txt", ("plan-pdf", ".txt")),
    (".hidden.md", ("hidden", ".md")),
])
def test_upload_names_keep_only_their_last_part_and_suffix(filename, expected):
    assert split_upload_name(filename) == expected


@pytest.mark.parametrize("filename", ["virus.exe", "plan.doc", "plan", "plan.txt.exe", "bảng.xlsx"])
def test_unsupported_suffixes_are_refused(filename):
    with pytest.raises(UploadRejected, match="Chỉ nhận tệp .txt, .md, .pdf, .docx"):
        split_upload_name(filename)


@pytest.mark.parametrize("data, kind", [
    (b"%PDF-1.7\n...", "pdf"), (b"PK\x03\x04rest", "zip"), (b"\x7fELF\x02", "program"), (b"MZ\x90\x00", "program"),
    (b"\x89PNG\r\n", "image"), ("Kế hoạch".encode(), "text"), ("Kế hoạch".encode("utf-16"), "text"),
    (b"abc\x00\x01\x02def", "binary"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),
])
def test_the_type_is_read_from_the_bytes(data, kind):
    assert sniff(data) == kind


@pytest.mark.parametrize("data, suffix, message", [
    (b"%PDF-1.4 fake", ".txt", "Nội dung tệp là PDF, không khớp với đuôi .txt"),
    (b"MZ\x90\x00program", ".pdf", "Nội dung tệp là chương trình máy tính, không khớp với đuôi .pdf"),
    (PLAN, ".docx", "Nội dung tệp là văn bản thuần, không khớp với đuôi .docx"),
    (b"\x00\x01\x02\x03" * 100, ".txt", "Nội dung tệp là dữ liệu nhị phân"),
    (b"", ".txt", "Tệp rỗng."),
    (PLAN * 100, ".txt", "Tệp quá lớn"),
])
def test_mislabelled_empty_or_oversized_files_are_refused(data, suffix, message):
    with pytest.raises(UploadRejected, match=message.replace(".", r"\.")):
        check_content(data, suffix, max_bytes=2000)


def test_a_zip_that_is_not_a_word_document_is_refused():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UploadRejected, match="không phải tài liệu Word"):
        check_content(out.getvalue(), ".docx", max_bytes=10**6)


@pytest.mark.parametrize("data, filename", [(PLAN, "ke-hoach.txt"), (None, "ke-hoach.docx"), (None, "ke-hoach.pdf")])
def test_real_plans_of_each_type_are_staged_with_their_record(tmp_path, data, filename):
    data = data or (docx_bytes() if filename.endswith(".docx") else pdf_bytes())
    staged = Staging(tmp_path / "staging").add(data, filename, doc_id=None, max_bytes=10**6)
    assert staged.path.read_bytes() == data
    again = Staging(tmp_path / "staging").get(staged.staging_id)
    assert (again.doc_id, again.suffix, again.size) == ("ke-hoach", "." + filename.rsplit(".", 1)[1], len(data))
    assert json.loads((staged.folder / "upload.json").read_text())["original_name"] == filename


def test_a_file_the_loader_cannot_read_leaves_nothing_in_staging(tmp_path):
    staging = Staging(tmp_path / "staging")
    with pytest.raises(UploadRejected, match="PDF hỏng"):
        staging.add(b"%PDF-1.4\nthis is not really a pdf", "hong.pdf", doc_id=None, max_bytes=10**6)
    assert staging.list() == [] and list((tmp_path / "staging").iterdir()) == []


@pytest.mark.parametrize("staging_id", ["../../corpus", "0123", "zzzzzzzzzzzzzzzz"])
def test_unknown_or_malformed_staging_ids_are_not_found(tmp_path, staging_id):
    with pytest.raises(NotFound):
        Staging(tmp_path).get(staging_id)


def test_metadata_is_written_in_the_corpus_sidecar_format_and_checked(tmp_path):
    staging = Staging(tmp_path / "staging")
    staged = staging.add(PLAN, "lam-dong.txt", doc_id=None, max_bytes=10**6)
    staging.save_meta(staged, {"province": "Lâm Đồng", "number": "", "starter_questions": ["Mục tiêu 2024?"]})
    assert json.loads(staged.meta_path.read_text(encoding="utf-8")) == {"province": "Lâm Đồng", "starter_questions": ["Mục tiêu 2024?"]}
    with pytest.raises(UploadRejected, match="Ngày ban hành"):
        staging.save_meta(staged, {"date": "15/03/2024"})
    staging.save_meta(staged, {})
    assert not staged.meta_path.exists()


def test_publishing_never_overwrites_a_plan_silently(tmp_path, corpus_copy):
    corpus, staging = Corpus(corpus_copy, tmp_path / "admin"), Staging(tmp_path / "admin" / "staging")
    original = (corpus_copy / "dong-nai-kh-198-2022.txt").read_bytes()
    staged = staging.add(PLAN, "x.txt", doc_id="dong-nai-kh-198-2022", max_bytes=10**6)
    with pytest.raises(PlanExists, match="Đã có văn bản “dong-nai-kh-198-2022”"):
        corpus.publish(staged, replace=False)
    assert (corpus_copy / "dong-nai-kh-198-2022.txt").read_bytes() == original
    backup = corpus.publish(staged, replace=True)
    assert (corpus_copy / "dong-nai-kh-198-2022.txt").read_bytes() == PLAN
    assert not (corpus_copy / "dong-nai-kh-198-2022.meta.json").exists()  # the old sidecar went with the old plan
    assert (backup / "dong-nai-kh-198-2022.txt").read_bytes() == original
    assert (backup / "dong-nai-kh-198-2022.meta.json").exists()
    assert not staged.folder.exists()


def test_a_plan_under_another_suffix_counts_as_the_same_plan(tmp_path, corpus_copy):
    corpus, staging = Corpus(corpus_copy, tmp_path / "admin"), Staging(tmp_path / "admin" / "staging")
    staged = staging.add(docx_bytes(), "phu-yen-qd-1728-2020.docx", doc_id=None, max_bytes=10**6)
    with pytest.raises(PlanExists):
        corpus.publish(staged, replace=False)


def test_a_failed_publish_leaves_the_corpus_as_it_was(tmp_path, corpus_copy):
    corpus, staging = Corpus(corpus_copy, tmp_path / "admin"), Staging(tmp_path / "admin" / "staging")
    before = {p.name: p.read_bytes() for p in corpus_copy.iterdir()}
    staged = staging.add(PLAN, "hai-duong-kh-780-2022.txt", doc_id=None, max_bytes=10**6)
    staged.path.unlink()  # the staged file vanished (disk trouble) between preview and publish
    with pytest.raises(FileNotFoundError):
        corpus.publish(staged, replace=True)
    assert {p.name: p.read_bytes() for p in corpus_copy.iterdir()} == before


def test_removing_moves_the_plan_aside_and_keeps_the_last_one(tmp_path, corpus_copy):
    corpus = Corpus(corpus_copy, tmp_path / "admin")
    moved = corpus.remove("phu-yen-qd-1728-2020")
    assert sorted(p.name for p in moved.iterdir()) == ["phu-yen-qd-1728-2020.meta.json", "phu-yen-qd-1728-2020.txt"]
    assert "phu-yen-qd-1728-2020" not in {p["doc_id"] for p in corpus.plans()}
    for doc_id in [p["doc_id"] for p in corpus.plans()][:-1]:
        corpus.remove(doc_id)
    with pytest.raises(UploadRejected, match="văn bản cuối cùng"):
        corpus.remove(corpus.plans()[0]["doc_id"])


@pytest.mark.parametrize("doc_id", ["../corpus/dong-nai-kh-198-2022", "khong-co", "dong-nai-kh-198-2022.meta"])
def test_removing_an_unknown_plan_is_not_found(tmp_path, corpus_copy, doc_id):
    with pytest.raises(NotFound):
        Corpus(corpus_copy, tmp_path / "admin").remove(doc_id)
