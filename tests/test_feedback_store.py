"""The feedback stores behave the same: filters by rating, day and cited plan, newest first, CSV export.

Runs on SQLite and on a real PostgreSQL server (the `feedback_backend` fixture of conftest.py).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest

from assistant.api.feedback_store import FeedbackIn, FeedbackQuery, create_feedback_store, now_utc, to_csv

DN = {"doc_id": "dong-nai-kh-198-2022", "label": "KH 198/KH-UBND (Đồng Nai), mục II.1.a"}
HD = {"doc_id": "hai-duong-kh-780-2022", "label": "KH 780/KH-UBND (Hải Dương), mục I"}


@pytest.fixture
def store(fast_settings, feedback_backend):
    store = create_feedback_store(fast_settings.model_copy(update=feedback_backend))
    store.add(FeedbackIn(question="Đồng Nai 2025?", answer="20% GRDP.", rating="up", citations=[DN]))
    store.add(FeedbackIn(question="Hải Dương cáp quang?", answer="80%.", rating="down", citations=[HD], comment="Sai năm"))
    store.add(FeedbackIn(question="Cả hai tỉnh?", answer="…", rating="down", citations=[DN, HD], refused=False))
    return store


def test_listing_without_filters_returns_every_row_newest_first(store):
    assert [r["question"] for r in store.list(FeedbackQuery())] == ["Cả hai tỉnh?", "Hải Dương cáp quang?", "Đồng Nai 2025?"]


def test_rows_come_back_in_one_shape(store):
    row = store.list(FeedbackQuery(rating="up"))[0]
    assert set(row) == {"id", "feedback_id", "created_at", "updated_at", "rating", "question", "answer", "comment",
                        "citations", "refused", "page"}
    assert row["citations"] == [DN] and row["refused"] is None and row["comment"] is None
    assert datetime.fromisoformat(row["created_at"]).tzinfo is not None
    assert store.list(FeedbackQuery(doc_id="hai-duong-kh-780-2022"))[0]["refused"] is False


@pytest.mark.parametrize("query, questions", [
    (FeedbackQuery(rating="down"), ["Cả hai tỉnh?", "Hải Dương cáp quang?"]),
    (FeedbackQuery(rating="up"), ["Đồng Nai 2025?"]),
    (FeedbackQuery(doc_id="dong-nai-kh-198-2022"), ["Cả hai tỉnh?", "Đồng Nai 2025?"]),
    (FeedbackQuery(rating="down", doc_id="dong-nai-kh-198-2022"), ["Cả hai tỉnh?"]),
    (FeedbackQuery(doc_id="phu-yen-qd-1728-2020"), []),
    (FeedbackQuery(limit=1), ["Cả hai tỉnh?"]),
])
def test_filters_by_rating_plan_and_limit(store, query, questions):
    assert [r["question"] for r in store.list(query)] == questions


def test_date_filters_take_whole_days_inclusive(store):
    today = now_utc().date()
    assert len(store.list(FeedbackQuery(date_from=today, date_to=today))) == 3
    assert store.list(FeedbackQuery(date_from=today + timedelta(days=1))) == []
    assert store.list(FeedbackQuery(date_to=today - timedelta(days=1))) == []


def test_a_filter_on_a_plan_is_not_fooled_by_the_plan_name_inside_text(store):
    store.add(FeedbackIn(question="phu-yen-qd-1728-2020 là gì?", answer="phu-yen-qd-1728-2020", rating="up"))
    assert store.list(FeedbackQuery(doc_id="phu-yen-qd-1728-2020")) == []


def test_csv_export_holds_every_row_and_neutralises_formulas(store):
    store.add(FeedbackIn(question="=HYPERLINK(\"http://x\")", answer="+1", rating="down", comment="@cmd"))
    text = to_csv(store.list(FeedbackQuery()))
    assert text.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(table) == 4
    first = table[0]
    assert (first["question"], first["answer"], first["comment"]) == ("'=HYPERLINK(\"http://x\")", "'+1", "'@cmd")
    both = next(r for r in table if r["question"] == "Cả hai tỉnh?")
    assert both["citations"].splitlines() == [f"{DN['doc_id']}: {DN['label']}", f"{HD['doc_id']}: {HD['label']}"]
    assert both["refused"] == "0" and both["rating"] == "down"
