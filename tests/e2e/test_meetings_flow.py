"""Issue 5 end to end in Chromium: the 執行秘書 enters a meeting through the browser, it shows in
the Art. 4 compliance panel on 總覽, its minutes are exported as PDF (rendered to PNG and read
back as text), and a second editor's stale save is refused while the first one's stands."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.ui import choose, idle, open_signed_in

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parent / "screenshots"
PLACE = "實習大樓三樓簡報室"
TITLE = "擴大辦理多元表現勾選說明會案"
HEADING = "工作小組會議"
DECISION = "照案通過，十二月底前各班完成宣導。"


def _type(page: Any, key: str, text: str, area: bool = False) -> None:
    box = page.locator(f".st-key-{key} {'textarea' if area else 'input'}")
    box.fill(text)
    box.press("Control+Enter" if area else "Enter")
    idle(page)


def _wait_value(page: Any, key: str, value: str) -> None:
    """Every input drawn for widget `key` holds `value` (a rerun may briefly draw two)."""
    page.wait_for_function(
        "([k, v]) => { const boxes = [...document.querySelectorAll(`.st-key-${k} input`)];"
        " return boxes.length > 0 && boxes.every((b) => b.value === v); }",
        arg=[key, value],
        timeout=30_000,
    )


def _save_and_wait(page: Any, expect: str) -> None:
    page.locator(".st-key-mtb_save button").click()
    try:
        page.get_by_text(expect).first.wait_for(timeout=30_000)
    except Exception:  # say what the page said instead, and keep a picture of it
        page.screenshot(path=str(SHOTS / "meeting_save_failed.png"), full_page=True)
        alerts = page.locator("[data-testid=stAlert]").all_inner_texts()
        raise AssertionError(f"no 「{expect}」 after saving; the page says: {alerts}") from None
    idle(page)


def test_a_meeting_entered_in_the_browser_is_counted_exported_and_guarded(
    server: str, browser: Any, tmp_path: Path
) -> None:
    context, page = open_signed_in(browser, server, "/meetings?meeting=new&year=115", "secretary", HEADING)
    page.get_by_role("heading", name="新增會議紀錄").wait_for(timeout=30_000)
    semester = "115 學年度第 1 學期"
    if page.locator(".st-key-mt_semester [role=combobox]").input_value() != semester:
        choose(page, "mt_semester", semester)
    page.screenshot(path=str(SHOTS / "meeting_new_form.png"), full_page=True)
    # the date field is segments (年 / 月 / 日): type the digits into the first, as a user does
    page.locator(".st-key-mt_held_on [role=spinbutton]").first.focus()
    page.keyboard.type("20261120", delay=20)
    page.keyboard.press("Enter")
    idle(page)
    _wait_value(page, "mt_held_on", "2026-11-20")  # the field's form value
    _type(page, "mt_place", PLACE)
    _type(page, "mt_recorder", "鄒晨維")
    page.locator(".st-key-mtb_add_item button").click()
    idle(page)
    page.locator(".st-key-mt_i0_title input").wait_for(timeout=30_000)
    _type(page, "mt_i0_title", TITLE)
    _type(page, "mt_i0_decision", DECISION, area=True)
    topics = page.locator(".st-key-mt_i0_topics input")
    topics.click()
    topics.fill("其他推動")
    page.get_by_role("option", name="其他推動及宣導事項").wait_for(timeout=30_000)
    topics.press("Enter")
    idle(page)
    page.keyboard.press("Escape")
    _save_and_wait(page, "已儲存")
    saved = page.locator("[data-testid=stAlertContentSuccess]").filter(has_text="已儲存").inner_text()
    label = re.search(r"115學年度第1學期第\d+次工作小組會議", saved)
    assert label, saved
    meeting_id = re.search(r"meeting=(\d+)", page.url)
    assert meeting_id, page.url
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "meeting_saved.png"), full_page=True)

    # the minutes as PDF: rendered to PNG, and its text holds the attendees and the resolution
    with page.expect_download(timeout=60_000) as info:
        page.locator(".st-key-meeting_pdf button").click()
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(Path(info.value.path()).read_bytes())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for expected in (label.group(0), "115年11月20日", PLACE, "陳郁美", "周浩宗", TITLE, DECISION):
        assert re.sub(r"\s+", "", expected) in flat, expected
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(pdf), str(SHOTS / "minutes_pdf")],
        check=True,
    )
    assert any(SHOTS.glob("minutes_pdf*.png"))

    # the compliance panel on 總覽 counts it
    page.get_by_role("link", name="總覽").click()
    page.get_by_role("heading", name="總覽").wait_for(timeout=30_000)
    idle(page)
    panel = page.locator(".st-key-overview_meetings_panel")
    panel.wait_for(timeout=30_000)
    if label.group(0) not in panel.inner_text():  # 總覽 opens on the newest semester
        choose(page, "overview_semester", "115學年度第1學期")
    assert label.group(0) in panel.inner_text()
    panel.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "overview_meetings_panel.png"), full_page=True)

    # two editors open the same version; the first save stands, the second is refused
    path = f"/meetings?meeting={meeting_id.group(1)}&year=115"
    context_b, page_b = open_signed_in(browser, server, path, "demo", HEADING)
    page.goto(f"{server}{path}")  # a reload keeps the session: the form, not the sign-in
    page.locator(".st-key-mt_place input").wait_for(timeout=30_000)
    assert page.get_by_label("密碼").count() == 0
    idle(page)
    page_b.locator(".st-key-mt_place input").wait_for(timeout=30_000)
    _type(page, "mt_place", "圖書館五樓會議室")
    _save_and_wait(page, "已儲存")
    _type(page_b, "mt_place", "行政大樓第二會議室")
    _save_and_wait(page_b, "沒有儲存")
    _wait_value(page_b, "mt_place", "行政大樓第二會議室")  # the refused input is still there
    page_b.wait_for_timeout(500)
    page_b.screenshot(path=str(SHOTS / "meeting_stale_refused.png"), full_page=True)
    # what the first editor saved is what the database holds
    page_b.locator(".st-key-mtb_reload button").click()
    idle(page_b)
    page_b.wait_for_function(
        "(v) => document.querySelector('.st-key-mt_place input').value === v",
        arg="圖書館五樓會議室",
        timeout=30_000,
    )
    context_b.close()
    context.close()
