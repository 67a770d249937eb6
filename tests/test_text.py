"""Pins assistant.text: normalisation, folding, syllables and the BM25 tokenizer."""

import time
import unicodedata
from pathlib import Path

import pytest

from assistant.vi.documents import doc_number_keys
from assistant.vi.normalize import fold_diacritics, nfc, normalize
from assistant.vi.phrases import PhraseMatcher
from assistant.vi.resources import VIETNAMESE_STOPWORDS, read_data
from assistant.vi.segment import segment_words
from assistant.vi.syllables import scan, syllables
from assistant.vi.tokens import bm25_tokens

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


# --------------------------------------------------------------------------- normalisation


def test_nfc_composes_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Chuyển đổi số")
    assert decomposed != "Chuyển đổi số"
    assert nfc(decomposed) == "Chuyển đổi số"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Kế   hoạch\n\tCHUYỂN ĐỔI SỐ ", "kế hoạch chuyển đổi số"),
        ("“Chuyển đổi số”", '"chuyển đổi số"'),
        ("‘số’", "'số'"),
        ("Bà Rịa – Vũng Tàu", "bà rịa - vũng tàu"),
        ("2021—2025", "2021-2025"),
        ("tỷ\u00a0lệ\u200b", "tỷ lệ"),
        (unicodedata.normalize("NFD", "ĐỒNG NAI"), "đồng nai"),
    ],
)
def test_normalize_unifies_case_quotes_dashes_and_spaces(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("new_style", "old_style"),
    [("Hoà Bình", "hòa bình"), ("Khánh Hoà", "khánh hòa"), ("thuỷ sản", "thủy sản"),
     ("sức khoẻ", "sức khỏe"), ("Uỷ ban", "ủy ban"), ("số hoá", "số hóa")],
)
def test_normalize_settles_on_one_tone_placement(new_style, old_style):
    assert normalize(new_style) == normalize(old_style) == old_style


@pytest.mark.parametrize("word", ["quý", "hoàn thành", "toàn trình", "huyện", "khuyến khích"])
def test_normalize_leaves_words_whose_tone_placement_is_fixed(word):
    assert normalize(word) == word


# --------------------------------------------------------------------------- folding


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Kế hoạch chuyển đổi số Đồng Nai", "Ke hoach chuyen doi so Dong Nai"),
        ("ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN", "UY BAN NHAN DAN TINH PHU YEN"),
        ("đ Đ ơ ư ă â ê ô", "d D o u a a e o"),
        (unicodedata.normalize("NFD", "Hải Dương"), "Hai Duong"),
        ("tỷ lệ 20% (2025)", "ty le 20% (2025)"),
    ],
)
def test_fold_diacritics_removes_tone_and_vowel_marks(text, folded):
    assert fold_diacritics(text) == folded


# --------------------------------------------------------------------------- syllables


def test_syllables_keep_one_letter_syllables_and_drop_punctuation():
    assert syllables("Ở đó, y tế (và) a!") == ["ở", "đó", "y", "tế", "và", "a"]


@pytest.mark.parametrize("written", ["20%", "20 %", "20 phần trăm", "20 phan tram"])
def test_syllables_write_every_percent_as_one_token(written):
    assert syllables(f"đạt {written} GDP") == ["đạt", "20%", "gdp"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tăng 7,5% mỗi năm", ["tăng", "7.5%", "mỗi", "năm"]),
        ("2.002 thủ tục", ["2.002", "thủ", "tục"]),
        ("công nghiệp 4.0 và 5G", ["công", "nghiệp", "4.0", "và", "5g"]),
        ("giai đoạn 2021-2025", ["giai", "đoạn", "2021", "2025"]),
    ],
)
def test_syllables_keep_numbers_whole(text, expected):
    assert syllables(text) == expected


def test_syllables_split_a_document_number_into_its_parts():
    assert syllables("Số: 198/KH-UBND") == ["số", "198", "kh", "ubnd"]


# --------------------------------------------------------------------------- stopwords


def test_stopwords_are_loaded_from_the_data_file():
    assert isinstance(VIETNAMESE_STOPWORDS, frozenset)
    assert {"của", "và", "các", "những", "là", "được"} <= VIETNAMESE_STOPWORDS


@pytest.mark.parametrize(
    "content_word",
    # digital, no(n-cash), year, and syllables whose folded form a function word would share
    ["số", "sở", "không", "năm", "cơ", "trọng", "tài", "bảo", "thị", "đề", "đổi", "nền", "vị",
     "mới", "văn", "vệ", "rà", "bồi", "dõi", "thiết", "bị", "một", "theo"],
)
def test_stopwords_never_swallow_a_content_syllable_once_folded(content_word):
    folded_stopwords = {fold_diacritics(w) for w in VIETNAMESE_STOPWORDS}
    assert fold_diacritics(content_word) not in folded_stopwords


def test_bm25_stopwords_spelled_with_diacritics_drop_only_the_exact_word():
    tokens = bm25_tokens("cơ chế một cửa của tỉnh")
    assert {"cua", "mot_cua"} <= set(tokens)
    assert tokens.count("cua") == 1


def test_bm25_tokens_drop_stopwords_but_keep_so_and_khong():
    tokens = bm25_tokens("Thanh toán không dùng tiền mặt của các doanh nghiệp số")
    assert {"cua", "cac"}.isdisjoint(tokens)
    assert {"khong", "khong_dung", "so", "nghiep_so"} <= set(tokens)


# --------------------------------------------------------------------------- BM25 tokens


@pytest.mark.parametrize(
    "question",
    [
        "Mục tiêu tỷ trọng kinh tế số Đồng Nai",
        "Tỷ lệ thanh toán không dùng tiền mặt ở TP.HCM là bao nhiêu?",
        "Cơ quan nào chủ trì triển khai nền tảng LGSP?",
        "Sở TT&TT Hải Dương phụ trách những nhiệm vụ nào?",
        "CĐS Phú Yên đến 2030 có mục tiêu gì về CQS?",
        "Kế hoạch 780 do ai ký?",
    ],
)
def test_bm25_query_tokens_are_the_same_with_or_without_diacritics(question):
    plain = fold_diacritics(question).lower()
    assert bm25_tokens(question, is_query=True) == bm25_tokens(plain, is_query=True)


def test_bm25_tokens_are_folded_unigrams_and_bigrams():
    tokens = bm25_tokens("Phát triển kinh tế số")
    assert tokens == ["phat", "trien", "phat_trien", "kinh", "trien_kinh", "te", "kinh_te",
                      "so", "te_so"]


def test_bm25_tokens_make_no_bigram_across_punctuation():
    tokens = bm25_tokens("Đồng Nai, Bình Dương; năm 2025. Tỷ lệ")
    assert "dong_nai" in tokens and "binh_duong" in tokens
    assert {"nai_binh", "duong_nam", "2025_ty"}.isdisjoint(tokens)


def test_bm25_tokens_bridge_hyphens_in_names():
    assert "ria_vung" in bm25_tokens("tỉnh Bà Rịa - Vũng Tàu")


def test_bm25_tokens_keep_one_letter_syllables():
    assert {"y", "y_te"} <= set(bm25_tokens("phát triển y tế số"))


@pytest.mark.parametrize("query", ["20%", "20 %", "20 phần trăm"])
def test_bm25_percent_forms_match(query):
    assert "20%" in set(bm25_tokens("đạt 20 % GDP")) & set(bm25_tokens(query, is_query=True))


def test_bm25_percent_also_yields_the_bare_number():
    assert {"60%", "60"} <= set(bm25_tokens("đạt trên 60%"))


@pytest.mark.parametrize(
    "query",
    ["198", "kh 198", "KH 198", "kế hoạch 198", "Kế hoạch số 198", "ke hoach so 198", "198/KH-UBND"],
)
def test_bm25_document_number_matches_its_short_forms(query):
    document = set(bm25_tokens("Số: 198/KH-UBND Đồng Nai, ngày 09 tháng 9 năm 2022"))
    assert "198" in document & set(bm25_tokens(query, is_query=True))


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Số: 198/KH-UBND", ["198/kh"]),
        ("Quyết định số 1728/QĐ-UBND", ["1728/qd"]),
        ("quyết định 1728", ["1728/qd"]),
        ("QĐ 1728", ["1728/qd"]),
        ("KH 780", ["780/kh"]),
        ("kế hoạch số 2024", ["2024/kh"]),
        ("Nghị quyết số 52-NQ/TW", ["52/nq"]),
        ("Tờ trình số 164/TTr- STTTT", ["164/ttr"]),
        ("kế hoạch 2024", []),  # a year, not a number
        ("ngày 27/9/2019", []),
        ("giai đoạn 2021-2025", []),
    ],
)
def test_doc_number_keys(text, keys):
    assert doc_number_keys(text) == keys


def test_bm25_document_number_key_joins_full_and_spoken_forms():
    assert "198/kh" in bm25_tokens("Kế hoạch số 198/KH-UBND")
    assert "198/kh" in bm25_tokens("kế hoạch 198 có mục tiêu gì", is_query=True)
    assert "1728/qd" in bm25_tokens("quyet dinh 1728", is_query=True)


@pytest.mark.parametrize(
    ("abbreviation", "expected"),
    [
        ("CĐS", {"chuyen_doi", "doi_so"}),
        ("CDS", {"chuyen_doi", "doi_so"}),
        ("cds", {"chuyen_doi", "doi_so"}),
        ("KTS", {"kinh_te", "te_so"}),
        ("XHS", {"xa_hoi", "hoi_so"}),
        ("CQS", {"chinh_quyen", "quyen_so"}),
        ("CQĐT", {"chinh_quyen", "dien_tu"}),
        ("TP.HCM", {"ho_chi", "chi_minh"}),
        ("TPHCM", {"ho_chi", "chi_minh"}),
        ("HCM", {"ho_chi", "chi_minh"}),
        ("Sài Gòn", {"ho_chi", "chi_minh"}),
        ("BR-VT", {"ba_ria", "ria_vung", "vung_tau"}),
        ("BRVT", {"ba_ria", "ria_vung", "vung_tau"}),
        ("UBND", {"uy_ban", "nhan_dan"}),
        ("HĐND", {"hoi_dong", "nhan_dan"}),
        ("Sở TT&TT", {"so", "thong_tin", "truyen_thong"}),
        ("Sở TTTT", {"so", "thong_tin", "truyen_thong"}),
        ("STTTT", {"so", "thong_tin", "truyen_thong"}),
        ("DVCTT", {"dich_vu", "truc_tuyen"}),
        ("NGSP", {"tich_hop", "quoc_gia"}),
        ("LGSP", {"tich_hop", "cap_tinh"}),
        ("IoT", {"internet", "van_vat"}),
        ("GRDP", {"tong_san"}),
        ("TMĐT", {"thuong_mai", "dien_tu"}),
        ("TMDT", {"thuong_mai", "dien_tu"}),
        ("CNTT", {"cong_nghe", "thong_tin"}),
        ("ATTT", {"an_toan", "thong_tin"}),
        ("KT-XH", {"kinh_te", "xa_hoi"}),
        ("DN", {"doanh_nghiep"}),
        ("DNNVV", {"doanh_nghiep", "nho", "vua"}),
        ("DNVVN", {"doanh_nghiep", "nho", "vua"}),
        ("VNeID", {"dinh_danh"}),
        ("AI", {"tri_tue", "nhan_tao"}),
        ("THCS", {"trung_hoc", "co_so"}),
        ("THPT", {"trung_hoc", "pho_thong"}),
        ("ĐH", {"dai_hoc"}),
        ("CĐ", {"cao_dang"}),
        ("HĐĐT", {"hoa_don", "dien_tu"}),
        ("NSNN", {"ngan_sach", "nha_nuoc"}),
        ("BCĐ", {"ban_chi", "chi_dao"}),
    ],
)
def test_bm25_query_expands_abbreviations(abbreviation, expected):
    assert expected <= set(bm25_tokens(f"{abbreviation} của tỉnh", is_query=True))


@pytest.mark.parametrize("abbreviation", ["CĐS", "CNTT", "LGSP", "UBND", "TPHCM"])
def test_bm25_keeps_the_abbreviation_itself_for_texts_that_only_use_it(abbreviation):
    folded = fold_diacritics(abbreviation).lower()
    assert folded in bm25_tokens(abbreviation, is_query=True)
    assert folded in bm25_tokens(f"triển khai {abbreviation}")


def test_bm25_documents_expand_unambiguous_abbreviations_at_index_time():
    tokens = set(bm25_tokens("Ứng dụng CNTT và nền tảng LGSP của UBND tỉnh"))
    assert {"cntt", "cong_nghe", "thong_tin", "lgsp", "tich_hop", "uy_ban"} <= tokens


def test_bm25_documents_do_not_expand_query_only_abbreviations():
    assert "doanh_nghiep" not in bm25_tokens("mã DN")
    assert "doanh_nghiep" in bm25_tokens("mã DN", is_query=True)


def test_bm25_ai_is_artificial_intelligence_only_in_capitals():
    assert "tri_tue" in bm25_tokens("ứng dụng AI trong y tế")
    assert "tri_tue" not in bm25_tokens("ai chịu trách nhiệm", is_query=True)


def test_bm25_diacritics_that_disagree_block_an_abbreviation():
    # "ĐN" is not the abbreviation "DN" (doanh nghiệp)
    assert "doanh_nghiep" not in bm25_tokens("ĐN", is_query=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("thanh toán không dùng tiền mặt", {"thanh_toan", "dien_tu", "toan_so"}),
        ("thanh toán điện tử", {"khong_dung", "tien_mat"}),
        ("dịch vụ online", {"truc_tuyen"}),
        ("tỷ lệ hộ gia đình", {"phan_tram"}),
        ("chỉ tiêu năm 2025", {"muc_tieu"}),
        ("đơn vị chủ trì", {"co_quan", "quan_chu"}),
        ("thanh toan khong dung tien mat", {"thanh_toan", "dien_tu"}),
        ("doanh nghiệp nhỏ và vừa", {"nghiep_vua"}),  # found across the stopword "và"
    ],
)
def test_bm25_query_adds_domain_synonyms(query, expected):
    assert expected <= set(bm25_tokens(query, is_query=True))


def test_bm25_documents_get_no_synonyms():
    assert "phan_tram" not in bm25_tokens("tỷ lệ hộ gia đình")


@pytest.mark.parametrize("question_word", ["bao nhiêu", "là gì", "như thế nào", "khi nào", "thì sao"])
def test_bm25_query_drops_question_words(question_word):
    tokens = bm25_tokens(f"Tỷ trọng kinh tế số {question_word}?", is_query=True)
    folded = fold_diacritics(question_word).split()
    assert not set(folded) & set(tokens) - {"so"}
    assert {"ty_trong", "kinh_te"} <= set(tokens)


def test_bm25_query_drops_a_final_khong_but_keeps_an_inner_one():
    tokens = bm25_tokens("Có thanh toán không dùng tiền mặt không?", is_query=True)
    assert "khong_dung" in tokens
    assert tokens.count("khong") == 1


def test_bm25_query_tokens_are_unique():
    tokens = bm25_tokens("kinh tế số và xã hội số, kinh tế số", is_query=True)
    assert len(tokens) == len(set(tokens))


def test_bm25_tokens_of_a_chunk_take_well_under_a_millisecond_or_so():
    plan = CORPUS / "dong-nai-kh-198-2022.txt"
    if not plan.exists():
        pytest.skip(f"{plan} is not in this checkout")
    text = plan.read_text(encoding="utf-8")
    chunks = [text[i : i + 1000] for i in range(0, 50_000, 1000)]
    bm25_tokens(chunks[0])
    start = time.perf_counter()
    for chunk in chunks:
        bm25_tokens(chunk)
    per_chunk = (time.perf_counter() - start) / len(chunks)
    assert per_chunk < 0.005  # ~0.4 ms on a quiet core; generous for a shared machine


def test_bm25s_finds_the_right_document_for_a_query_without_diacritics():
    bm25s = pytest.importorskip("bm25s")
    documents = [
        "Tỷ trọng kinh tế số đạt 20% GRDP của tỉnh Đồng Nai vào năm 2025.",
        "Sở Thông tin và Truyền thông chủ trì xây dựng nền tảng LGSP của tỉnh Hải Dương.",
        "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến đạt 80% ở Phú Yên.",
    ]
    retriever = bm25s.BM25()
    retriever.index([bm25_tokens(d) for d in documents], show_progress=False)
    for query, expected in [
        ("ty trong kinh te so dong nai", 0),
        ("so tttt chu tri lgsp", 1),
        ("ho so thu tuc hanh chinh truc tuyen phu yen", 2),
    ]:
        results, scores = retriever.retrieve([bm25_tokens(query, is_query=True)], k=3, show_progress=False)
        assert results[0][0] == expected, query
        assert scores[0][0] > scores[0][1]


def test_bm25_accented_content_words_are_not_taken_for_question_words():
    # "ban" is not the particle "bạn", "chủ" is not "chứ", "máy" is not "mấy"
    tokens = bm25_tokens("Ủy ban ban hành máy chủ cho bạn?", is_query=True)
    assert {"uy_ban", "ban_hanh", "may_chu"} <= set(tokens)


# --------------------------------------------------------------------------- phrase matching


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Hà Nam", True),
        ("ha nam", True),
        ("hạ năm", False),  # diacritics that disagree block the match
        ("Hà năm", False),
    ],
)
def test_phrase_matcher_matches_folded_text_unless_diacritics_disagree(text, found):
    matcher = PhraseMatcher([("Hà Nam", "place")])
    sc = scan(text)
    assert bool(list(matcher.find(sc.acc, sc.fol))) is found


def test_phrase_matcher_strict_entries_need_diacritics_in_accented_text():
    matcher = PhraseMatcher([("bạn", "question")], loose=False)
    accented, plain = scan("Ủy ban hỏi bạn"), scan("uy ban hoi ban")
    assert [s for s, _, _ in matcher.find(accented.acc, accented.fol)] == [3]
    assert [s for s, _, _ in matcher.find(plain.acc, plain.fol)] == [1, 3]


def test_phrase_matcher_prefers_the_longest_phrase():
    matcher = PhraseMatcher([("TP", "city"), ("TP HCM", "hcm")])
    sc = scan("TP.HCM và TP Cần Thơ")
    assert [(s, e, p) for s, e, p in matcher.find(sc.acc, sc.fol)] == [(0, 2, "hcm"), (3, 4, "city")]


# --------------------------------------------------------------------------- segmentation


def test_segment_words_joins_the_syllables_of_a_word():
    pytest.importorskip("pyvi")
    segmented = segment_words("Kế hoạch chuyển đổi số tỉnh Đồng Nai")
    assert "chuyển_đổi" in segmented
    assert "Kế_hoạch" in segmented


def test_segment_words_of_nothing_is_empty():
    assert segment_words("  ") == ""


# --------------------------------------------------------------------------- data files


@pytest.mark.parametrize(
    "name", ["abbreviations.tsv", "synonyms.tsv", "stopwords.txt", "places.tsv", "query_cues.tsv"]
)
def test_data_files_ship_with_the_package(name):
    assert read_data(name)


def test_abbreviation_rows_have_an_expansion_and_a_scope():
    for row in read_data("abbreviations.tsv"):
        assert len(row) >= 3 and row[1], row
        assert row[2] in ("both", "query"), row


def test_an_ambiguous_short_form_is_expanded_in_questions_only():
    # "CĐ" reads as "cao đẳng" in a question; in a plan it may be anything (a section label, a code)
    assert "cao_dang" not in bm25_tokens("Phụ lục CĐ kèm theo")
    assert "cao_dang" in bm25_tokens("trường CĐ nghề của tỉnh", is_query=True)


def test_at_least_is_read_as_the_plans_minimum():
    assert "toi_thieu" in bm25_tokens("hỗ trợ ít nhất mấy doanh nghiệp", is_query=True)


@pytest.mark.parametrize("question", [
    "Cho em hỏi tỉnh có bao nhiêu tổ công nghệ số?",
    "ad ơi cho mình hỏi tỉnh có bao nhiêu tổ công nghệ số",
    "Em muốn hỏi tỉnh có bao nhiêu tổ công nghệ số ạ, giúp em với",
])
def test_a_casual_opener_is_no_part_of_what_is_asked(question):
    tokens = set(bm25_tokens(question, is_query=True))
    assert not tokens & {"em", "cho_em", "minh", "cho_minh", "ad", "giup"}
    assert {"to", "cong_nghe"} <= tokens
