"""Pins assistant.vi.agencies and how the answerer treats a named agency a plan never names."""

import pytest

from assistant.vi.agencies import find_agency, mentions_agency


@pytest.mark.parametrize("text, name, found", [
    ("Giao Sở Y tế chủ trì, phối hợp các đơn vị", "so y te", True),
    ("SỞ Y TẾ", "so y te", True),
    ("giao So Y te chu tri", "so y te", True),  # typed without diacritics, still capitalised
    ("Các cơ sở y tế xây dựng cơ sở dữ liệu", "so y te", False),  # "cơ sở y tế" is a health facility
    ("cơ sở y tế tuyến xã", "so y te", False),
    ("Công an tỉnh chủ trì", "cong an", True),
    ("lực lượng công an xã", "cong an", False),
])
def test_an_agency_is_found_capitalised_on_word_boundaries(text, name, found):
    assert mentions_agency(text, name) is found


def test_the_agency_is_shown_as_the_text_writes_it():
    assert find_agency("Sở Y tế Phú Yên có nhiệm vụ gì?", "so y te") == "Sở Y tế"
    assert find_agency("Các cơ sở y tế", "so y te") == ""


def test_an_agency_the_plan_never_names_is_said_to_be_absent(fast_assistant):
    # Phú Yên's decision speaks of "các cơ sở y tế" (health facilities) but never of the Sở Y tế.
    answer = fast_assistant.ask("Sở Y tế Phú Yên có nhiệm vụ gì?")
    assert answer.refused
    assert "Sở Y tế" in answer.answer and "Phú Yên" in answer.answer
    assert answer.citations == []


def test_an_agency_the_plan_names_gets_its_own_duties(fast_assistant):
    answer = fast_assistant.ask("Sở Y tế Đồng Nai có nhiệm vụ gì?")
    assert not answer.refused
    assert answer.answer.startswith("Sở Y tế")
    assert "hồ sơ sức khỏe điện tử" in answer.answer
    assert {c.label for c in answer.citations} == {"KH 198/KH-UBND (Đồng Nai), mục VI.8"}
