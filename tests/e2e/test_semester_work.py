"""Issue 3 end to end in Chromium: drill 學期進度 from 全校 down to one class and back, and
download the teachers' reminder workbook and open it. Screenshots at desktop and 390 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.ui import PHONE, choose, idle, open_signed_in, sign_in

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parent / "screenshots"


def _sign_in(page: Any, server: str, user: str) -> None:
    page.goto(server)
    sign_in(page, user, "總覽")


def test_drill_from_school_to_a_class_and_back(server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-TW")
    page = context.new_page()
    _sign_in(page, server, "registry")
    page.get_by_role("link", name="學期進度").click()
    page.get_by_role("heading", name="學期進度").wait_for()
    idle(page)
    choose(page, "pipeline_semester", "114學年度第2學期")
    choose(page, "pipeline_division", "日間部")
    choose(page, "pipeline_department", "機械科")
    choose(page, "pipeline_class", "機一甲")
    try:
        page.get_by_text("機一甲 在籍學生").wait_for(timeout=30_000)
    except Exception:
        page.screenshot(path=str(SHOTS / "pipeline_class_failed.png"), full_page=True)
        raise
    assert "department=" in page.url and "class=" in page.url
    crumbs = page.locator(".st-key-pipeline_breadcrumbs").inner_text()
    assert all(level in crumbs for level in ("全校", "日間部", "機械科", "機一甲"))
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "pipeline_class_desktop.png"), full_page=True)

    page.locator(".st-key-pipeline_up button").click()  # one level up: the department
    page.wait_for_function("() => !location.search.includes('class=')", timeout=30_000)
    idle(page)
    assert "department=" in page.url
    page.locator(".st-key-pipeline_crumb_school button").click()  # and home
    page.wait_for_function("() => !location.search.includes('department=')", timeout=30_000)
    idle(page)
    assert "division=" in page.url and "class=" not in page.url
    # Streamlit keeps the old elements on screen until the rerun replaces them.
    page.get_by_text("機一甲 在籍學生").wait_for(state="detached", timeout=30_000)
    context.close()


def test_pipeline_on_a_phone(server: str, browser: Any) -> None:
    path = "/pipeline?semester=115-1&division=進修部"
    context, page = open_signed_in(browser, server, path, "principal", "學期進度", PHONE)
    assert "115學年度第1學期" in page.locator("body").inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "pipeline_phone.png"), full_page=True)
    context.close()
