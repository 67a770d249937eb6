"""The one-line widget on a page of another origin, in Chromium."""

from __future__ import annotations

import re
import sqlite3

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DONG_NAI_Q = "Tỷ lệ TMĐT trong tổng mức bán lẻ của Đồng Nai năm 2025?"


def open_widget(page):
    launcher = page.get_by_role("button", name="Mở Trợ lý ảo")
    expect(launcher).to_be_visible()
    launcher.click()
    expect(page.locator("tro-ly-ao-widget iframe")).to_be_visible()
    return page.frame_locator("tro-ly-ao-widget iframe")


def test_the_widget_answers_with_a_citation_on_another_origin(page, host_url, app_url, feedback_db, shoot):
    page.goto(host_url + "/portal.html")
    assert host_url != app_url  # two origins: different ports
    shoot(page, "20-widget-closed")
    chat = open_widget(page)
    iframe = page.locator("tro-ly-ao-widget iframe")
    assert iframe.get_attribute("src").startswith(app_url + "/embed?title=")
    assert iframe.get_attribute("title") == "Trợ lý ảo — khung trò chuyện"
    box = chat.get_by_label("Câu hỏi của bạn")
    expect(box).to_be_focused()
    box.fill(DONG_NAI_Q)
    box.press("Enter")
    answer = chat.locator(".msg.bot").first
    expect(answer).not_to_have_attribute("aria-busy", "true", timeout=60_000)
    chip = answer.locator(".chip").first
    expect(chip).to_contain_text("Đồng Nai")
    assert chip.get_attribute("target") == "_blank"  # the source opens in a new tab, not inside the small panel
    shoot(page, "21-widget-answer", publish="widget.png")

    down = answer.get_by_role("button", name="Câu trả lời chưa tốt")
    down.click()
    expect(down).to_have_attribute("aria-pressed", "true")
    conn = sqlite3.connect(feedback_db)
    try:
        rows = conn.execute("SELECT rating, page FROM feedback WHERE page LIKE 'widget%'").fetchall()
    finally:
        conn.close()
    assert rows == [("down", f"widget {host_url}")]  # which portal the reader was on

    # the portal's greedy CSS (`button {...}`, `iframe {display:none}`) did not reach the widget
    launcher_bg = page.locator("tro-ly-ao-widget .launcher").evaluate("b => getComputedStyle(b).backgroundColor")
    assert launcher_bg == "rgb(11, 87, 208)"

    with page.context.expect_page() as new_tab:
        chip.click()
    source = new_tab.value
    source.wait_for_load_state()
    assert source.url.startswith(app_url + "/documents/dong-nai-kh-198-2022?")
    expect(source.locator("mark#trich-dan")).to_be_visible()
    source.close()

    page.get_by_role("button", name="Đóng Trợ lý ảo").first.click()
    expect(page.locator("tro-ly-ao-widget .panel")).to_be_hidden()
    expect(page.get_by_role("button", name="Mở Trợ lý ảo")).to_be_focused()


def test_escape_inside_the_chat_closes_the_widget(page, host_url):
    page.goto(host_url + "/portal.html")
    chat = open_widget(page)
    panel = page.locator("tro-ly-ao-widget .panel")
    # The frame's key handler attaches as its script runs; a key pressed before that is lost, as it
    # would be for a person, so press again (at most three times) until the panel closes.
    for _ in range(3):
        chat.get_by_label("Câu hỏi của bạn").press("Escape")
        try:
            expect(panel).to_be_hidden(timeout=2_000)
            break
        except AssertionError:
            continue
    expect(panel).to_be_hidden()


def test_the_api_answers_fetches_from_another_origin(page, host_url, app_url):
    page.goto(host_url + "/portal.html")
    status, body = page.evaluate(
        """async (url) => {
             const r = await fetch(url + "/api/ask", {method: "POST", headers: {"Content-Type": "application/json"},
                                                    body: JSON.stringify({question: "Ai ký Kế hoạch 198/KH-UBND của tỉnh Đồng Nai?"})});
             return [r.status, await r.json()];
           }""", app_url)
    assert status == 200 and body["citations"][0]["doc_id"] == "dong-nai-kh-198-2022"


def test_the_widget_takes_the_whole_screen_on_a_phone(launch, host_url, shoot):
    context = launch(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.pages[0]
    page.goto(host_url + "/portal.html")
    chat = open_widget(page)
    box = page.locator("tro-ly-ao-widget iframe").bounding_box()
    assert box["width"] == 390
    chat.get_by_label("Câu hỏi của bạn").fill(DONG_NAI_Q)
    chat.get_by_label("Câu hỏi của bạn").press("Enter")
    expect(chat.locator(".msg.bot .chip").first).to_contain_text("Đồng Nai", timeout=60_000)
    expect(page.locator("tro-ly-ao-widget .launcher")).to_be_hidden()  # the panel's own close button takes over
    shoot(page, "22-widget-mobile")
    page.get_by_role("button", name="Đóng Trợ lý ảo").click()
    expect(page.get_by_role("button", name="Mở Trợ lý ảo")).to_be_visible()


def test_the_embed_page_names_the_widget_title_from_the_script_tag(page, app_url):
    page.goto(app_url + "/embed?title=" + "C%E1%BB%95ng%20h%E1%BB%8Fi%20%C4%91%C3%A1p")
    expect(page).to_have_title(re.compile("Cổng hỏi đáp"))


def test_the_embedding_guide_shows_the_line_and_a_live_preview(page, app_url, shoot):
    page.goto(app_url + "/widget")
    expect(page.locator("#snippet")).to_have_text(f'<script src="{app_url}/widget.js" data-title="Trợ lý ảo" defer></script>')
    open_widget(page)
    shoot(page, "23-widget-guide")
