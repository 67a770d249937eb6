"""The chat page in Chromium: streamed cited answers, the source view, follow-ups, feedback, safety."""

from __future__ import annotations

import json
import re
import sqlite3
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DONG_NAI_Q = "Mục tiêu tỷ trọng kinh tế số của Đồng Nai đến năm 2025?"
FOLLOW_UP_Q = "Còn xã hội số thì sao?"
ECOMMERCE_Q = "Tỷ lệ TMĐT trong tổng mức bán lẻ của Đồng Nai năm 2025?"
XSS_IMG = '<img src=x onerror="window.__xss=1">'
XSS_SCRIPT = "<script>window.__xss=1</script>"


def ask(page, question: str):
    """Type a question, press Enter, wait for the finished answer; returns its locator."""
    before = page.locator(".msg.bot").count()
    box = page.get_by_label("Câu hỏi của bạn")
    box.fill(question)
    box.press("Enter")
    answer = page.locator(".msg.bot").nth(before)
    expect(answer).not_to_have_attribute("aria-busy", "true", timeout=60_000)
    expect(answer).not_to_have_class(re.compile(r"\bpending\b"))
    return answer


def test_the_chat_page_answers_with_a_cited_clause(page, app_url, shoot):
    page.goto(app_url + "/")
    expect(page.get_by_label("Câu hỏi của bạn")).to_be_focused()
    expect(page.locator(".starter").first).to_be_visible()
    shoot(page, "01-chat-empty")
    answer = ask(page, DONG_NAI_Q)
    expect(answer.locator(".text")).not_to_be_empty()
    chip = answer.locator(".chip").first
    expect(chip).to_contain_text("Đồng Nai")
    expect(chip).to_contain_text("KH 198/KH-UBND")
    expect(page.locator(".msg.user .text")).to_have_text(DONG_NAI_Q)
    expect(page.locator("#intro")).to_be_hidden()
    shoot(page, "02-chat-answer")


def test_answers_stream_in_through_server_sent_events(page, app_url):
    page.goto(app_url + "/")
    with page.expect_response(lambda r: r.url.endswith("/api/ask/stream")) as info:
        ask(page, DONG_NAI_Q)
    response = info.value
    assert response.headers["content-type"].startswith("text/event-stream")
    body = response.text()
    assert body.index("event: contexts") < body.index("event: delta") < body.index("event: answer")


def test_a_citation_opens_the_document_at_the_highlighted_quote(page, app_url, shoot):
    page.goto(app_url + "/")
    answer = ask(page, ECOMMERCE_Q)
    citation = page.evaluate("JSON.parse(sessionStorage.getItem('tro-ly-ao:conversation:v1'))[0].answer.citations[0]")
    answer.locator(".chip").first.click()
    page.wait_for_url(re.compile(r"/documents/dong-nai-kh-198-2022\?start=\d+&end=\d+"))
    mark = page.locator("mark#trich-dan")
    expect(mark).to_be_visible()
    expect(mark).to_be_in_viewport()
    expect(mark).to_be_focused()
    squash = lambda s: " ".join(s.split())  # noqa: E731
    assert squash(mark.inner_text()) == squash(citation["quote"])
    expect(page.locator(".cited-banner")).to_contain_text(citation["label"])
    shoot(page, "03-source-highlighted", publish="source.png")
    expect(page.locator(".doc-body .clause")).to_contain_text(citation["quote"].split()[0])  # the whole clause is tinted
    page.go_back()
    expect(page.locator(".msg.bot .chip").first).to_contain_text("Đồng Nai")  # the conversation survived the round trip


def test_a_follow_up_in_the_same_tab_sends_the_conversation_as_history(page, app_url, shoot):
    page.goto(app_url + "/")
    ask(page, DONG_NAI_Q)
    with page.expect_request(lambda r: r.url.endswith("/api/ask/stream") and FOLLOW_UP_Q in (r.post_data or "")) as info:
        ask(page, FOLLOW_UP_Q)
    sent = info.value.post_data_json
    assert sent["question"] == FOLLOW_UP_Q
    assert [turn["question"] for turn in sent["history"]] == [DONG_NAI_Q]
    assert sent["history"][0]["answer"]
    shoot(page, "04-follow-up")
    page.reload()
    expect(page.locator(".msg.user .text")).to_have_text([DONG_NAI_Q, FOLLOW_UP_Q])
    page.get_by_role("button", name="Bắt đầu cuộc trò chuyện mới").click()
    expect(page.locator(".msg")).to_have_count(0)
    expect(page.locator("#intro")).to_be_visible()


def test_the_document_filter_is_sent_as_doc_ids(page, app_url):
    page.goto(app_url + "/")
    page.get_by_label("Phạm vi").select_option("hai-duong-kh-780-2022")
    with page.expect_request(lambda r: r.url.endswith("/api/ask/stream")) as info:
        answer = ask(page, "Mục tiêu phát triển hạ tầng số?")
    assert info.value.post_data_json["doc_ids"] == ["hai-duong-kh-780-2022"]
    for chip in answer.locator(".chip").all():
        expect(chip).to_contain_text("Hải Dương")


def test_a_starter_question_chip_asks_it(page, app_url, shoot):
    page.goto(app_url + "/")
    starter = page.locator(".starter").first
    text = starter.inner_text()
    starter.click()
    expect(page.locator(".msg.user .text").first).to_have_text(text)
    first = page.locator(".msg.bot").first
    expect(first).not_to_have_attribute("aria-busy", "true", timeout=60_000)
    # The answer cites the plan of the province the starter names.
    label = first.locator(".chip").first.inner_text()
    province = label[label.index("(") + 1 : label.index(")")]
    assert province.split(" - ")[0] in text or province.replace("Thành phố ", "TP. ") in text, (label, text)
    second = ask(page, ECOMMERCE_Q)
    expect(second.locator(".text")).to_contain_text("10%")
    shoot(page, "02-chat-conversation", publish="chat.png")


def test_shift_enter_adds_a_line_and_enter_sends(page, app_url):
    page.goto(app_url + "/")
    box = page.get_by_label("Câu hỏi của bạn")
    box.type("Dòng một")
    box.press("Shift+Enter")
    box.type("dòng hai")
    assert box.input_value() == "Dòng một\ndòng hai"
    expect(page.locator(".msg.user")).to_have_count(0)
    box.press("Enter")
    expect(page.locator(".msg.user .text")).to_have_text("Dòng một\ndòng hai")
    expect(box).to_have_value("")


@pytest.mark.parametrize("payload", [XSS_IMG, XSS_SCRIPT], ids=["img-onerror", "script"])
def test_markup_in_a_question_is_shown_as_text_and_never_runs(page, app_url, payload, shoot):
    page.goto(app_url + "/")
    ask(page, payload + " Đồng Nai kinh tế số")
    expect(page.locator(".msg.user .text")).to_have_text(payload + " Đồng Nai kinh tế số")
    assert page.locator("#log img, #log script").count() == 0
    time.sleep(0.3)  # an onerror handler would have fired by now
    assert page.evaluate("typeof window.__xss") == "undefined"
    page.reload()  # and again when the conversation is restored from sessionStorage
    expect(page.locator(".msg.user .text")).to_have_text(payload + " Đồng Nai kinh tế số")
    assert page.evaluate("typeof window.__xss") == "undefined"
    shoot(page, "05-xss-" + ("img" if "img" in payload else "script"))


def test_a_refusal_is_shown_distinctly(page, app_url, shoot):
    # The UI's side of a refusal, independent of which questions today's answerer refuses.
    question = "Giá vé tham quan Vịnh Hạ Long năm 2024 là bao nhiêu?"
    refusal = {"question": question, "refused": True, "citations": [], "contexts": [], "timings_ms": {},
               "answer": "Xin lỗi, tôi không tìm thấy thông tin này trong các văn bản hiện có."}
    body = ("event: contexts\ndata: {\"contexts\": []}\n\n"
            f"event: delta\ndata: {json.dumps({'text': refusal['answer']}, ensure_ascii=False)}\n\n"
            f"event: answer\ndata: {json.dumps(refusal, ensure_ascii=False)}\n\n")
    page.route("**/api/ask/stream", lambda route: route.fulfill(status=200, content_type="text/event-stream", body=body))
    page.goto(app_url + "/")
    answer = ask(page, question)
    expect(answer).to_have_class(re.compile(r"\brefused\b"))
    expect(answer.locator(".badge-line")).to_have_text("Không tìm thấy trong văn bản")
    expect(answer.locator(".text")).to_have_text(refusal["answer"])
    expect(answer.locator(".chip")).to_have_count(0)
    shoot(page, "06-refused")


def test_thumbs_up_and_a_comment_are_stored(page, app_url, feedback_db, shoot):
    page.goto(app_url + "/")
    answer = ask(page, DONG_NAI_Q)
    up = answer.get_by_role("button", name="Câu trả lời hữu ích")
    up.click()
    expect(up).to_have_attribute("aria-pressed", "true")
    comment = answer.get_by_label("Góp ý thêm (không bắt buộc)")
    expect(comment).to_be_focused()
    comment.fill("Trả lời đúng, trích dẫn rõ <b>ràng</b>")
    shoot(page, "07-feedback")
    answer.get_by_role("button", name="Gửi góp ý").click()
    expect(answer.locator(".feedback-done")).to_have_text("Đã gửi góp ý. Cảm ơn bạn!")
    conn = sqlite3.connect(feedback_db)
    try:
        rows = conn.execute("SELECT rating, question, comment, page FROM feedback WHERE comment LIKE 'Trả lời đúng%'").fetchall()
    finally:
        conn.close()
    assert rows == [("up", DONG_NAI_Q, "Trả lời đúng, trích dẫn rõ <b>ràng</b>", "chat")]


def test_copy_button_copies_the_answer_with_its_source(launch, app_url):
    context = launch()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    page = context.pages[0]
    page.goto(app_url + "/")
    answer = ask(page, DONG_NAI_Q)
    answer.get_by_role("button", name="Sao chép câu trả lời").click()
    expect(page.locator("#status")).to_have_text("Đã sao chép câu trả lời.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert answer.locator(".text").inner_text() in copied and "Nguồn:" in copied and "Đồng Nai" in copied


def test_an_unreachable_server_gets_a_clear_vietnamese_message(page, app_url):
    page.goto(app_url + "/")
    page.route("**/api/ask/stream", lambda route: route.abort("connectionrefused"))
    answer = ask(page, DONG_NAI_Q)
    expect(answer).to_have_class(re.compile(r"\berror\b"))
    expect(answer.locator(".text")).to_have_text(
        "Không kết nối được tới máy chủ trợ lý. Vui lòng kiểm tra kết nối mạng rồi thử lại.")
    page.unroute("**/api/ask/stream")
    answer.get_by_role("button", name="Thử lại").click()
    expect(page.locator(".msg.bot .chip").first).to_contain_text("Đồng Nai", timeout=60_000)


def test_a_server_error_shows_its_message(page, app_url):
    page.goto(app_url + "/")
    page.route("**/api/ask/stream", lambda route: route.fulfill(
        status=503, content_type="application/json",
        body='{"error": {"code": "index_error", "message": "Chỉ mục đang được xây dựng lại; vui lòng thử lại sau."}}'))
    answer = ask(page, DONG_NAI_Q)
    expect(answer.locator(".text")).to_have_text("Chỉ mục đang được xây dựng lại; vui lòng thử lại sau.")
    page.route("**/api/ask/stream", lambda route: route.fulfill(status=502, body="Bad Gateway"))
    answer = ask(page, DONG_NAI_Q)
    expect(answer.locator(".text")).to_have_text("Máy chủ đang gặp sự cố (mã 502). Vui lòng thử lại sau.")


def test_documents_page_and_outline(page, app_url, shoot):
    page.goto(app_url + "/documents")
    expect(page.locator(".doc-card")).to_have_count(5)
    expect(page.get_by_text("Nguyễn Sơn Hùng")).to_be_visible()
    shoot(page, "08-documents", full_page=True)
    page.locator(".doc-card h2 a").first.click()
    outline_links = page.locator("nav.outline a")
    assert outline_links.count() > 5
    target = outline_links.nth(3)
    anchor = target.get_attribute("href")
    target.click()
    expect(page.locator(anchor)).to_be_in_viewport()
    shoot(page, "09-document-outline")


def test_mobile_layout(launch, app_url, shoot):
    context = launch(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.pages[0]
    page.goto(app_url + "/")
    shoot(page, "10-mobile-empty")
    ask(page, ECOMMERCE_Q)
    expect(page.locator(".msg.bot .chip").first).to_be_visible()
    expect(page.locator(".sidebar")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.get_by_label("Câu hỏi của bạn")).to_be_in_viewport()
    shoot(page, "11-mobile-answer", publish="mobile.png")
