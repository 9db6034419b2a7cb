"""End to end in Chromium: the sign-in gate on a deep link, sign in, import through the page, and
see 總覽 change. Screenshots go to tests/e2e/screenshots/ for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dashboard.demo.bundle import DEMO_DIR
from tests.e2e.ui import idle, open_signed_in, sign_in, upload_and_check

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parent / "screenshots"
SUSPENDED = 10


def _overview_ready(page: Any) -> None:
    # The three cards render one after another; the last figure of the last card means done.
    page.locator(".st-key-overview_cards_continuing [data-testid='stMetricValue']").nth(5).wait_for()


def _active_students_shown(page: Any) -> int:
    block = page.locator(".st-key-overview_cards_school")
    value = block.locator('[data-testid="stMetricValue"]').first.inner_text()
    return int(value.replace(",", ""))


def _roster_with_suspensions(tmp_path: Path) -> tuple[Path, int]:
    roster = pd.read_csv(DEMO_DIR / "學生名冊.csv", dtype=str, keep_default_na=False)
    current = roster[(roster["學年度"] == "115") & (roster["學期"] == "1")].copy()
    enrolled = current.index[current["學籍狀態"] == "在學"][:SUSPENDED]
    current.loc[enrolled, "學籍狀態"] = "休學"
    current.loc[enrolled, "異動日期"] = "2026-11-10"
    path = tmp_path / "115-1學生名冊.xlsx"
    current.to_excel(path, index=False, engine="xlsxwriter")
    return path, len(enrolled)


def test_gate_login_import_and_overview(server: str, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-TW")
    page = context.new_page()
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(server) else None)

    # 1. A deep link before anything else shows only the sign-in form.
    page.goto(f"{server}/import_data")
    page.get_by_label("帳號").wait_for(timeout=30_000)
    idle(page)
    assert page.get_by_role("heading", name="資料匯入").count() == 0
    page.screenshot(path=str(SHOTS / "01_deep_link_login.png"), full_page=True)

    # 2. Sign in as the registry clerk: they land on the page the link asked for.
    sign_in(page, "registry", "資料匯入")

    page.get_by_role("link", name="總覽").click()
    page.get_by_role("heading", name="總覽").wait_for(timeout=30_000)
    _overview_ready(page)
    idle(page)
    before = _active_students_shown(page)
    assert page.get_by_text(re.compile("資料截至 115/11/16 08:00")).count() > 0
    page.screenshot(path=str(SHOTS / "02_overview_before.png"), full_page=True)

    # 3. Import a roster with students on leave through the page.
    upload, changed = _roster_with_suspensions(tmp_path)
    page.get_by_role("link", name="資料匯入").click()
    page.get_by_role("heading", name="資料匯入").wait_for()
    upload_and_check(page, upload)
    try:
        page.get_by_text("檢查通過").wait_for(timeout=60_000)
    except Exception:
        page.screenshot(path=str(SHOTS / "03_check_failed.png"), full_page=True)
        raise
    page.get_by_role("button", name="確認匯入").click()
    page.get_by_text("匯入完成").wait_for(timeout=60_000)
    idle(page)
    page.screenshot(path=str(SHOTS / "03_import_done.png"), full_page=True)

    # 4. 總覽 shows the new figure.
    page.get_by_role("link", name="總覽").click()
    page.get_by_role("heading", name="總覽").wait_for()
    _overview_ready(page)
    idle(page)
    after = _active_students_shown(page)
    assert after == before - changed
    page.screenshot(path=str(SHOTS / "04_overview_after.png"), full_page=True)
    assert external == [], f"the page reached outside the server: {external[:5]}"
    context.close()


def test_a_broken_excel_file_lists_every_problem_and_writes_nothing(
    server: str, browser: Any, tmp_path: Path
) -> None:
    roster = pd.read_csv(DEMO_DIR / "學生名冊.csv", dtype=str, keep_default_na=False)
    current = roster[(roster["學年度"] == "115") & (roster["學期"] == "1")].head(40).copy()
    current.iloc[5, current.columns.get_loc("學籍狀態")] = "放假"  # Excel row 7
    current.iloc[30, current.columns.get_loc("年級")] = "三年"  # Excel row 32
    bad = tmp_path / "壞掉的名冊.xlsx"
    current.to_excel(bad, index=False, engine="xlsxwriter")

    context, page = open_signed_in(browser, server, "/import_data", "registry", "資料匯入")
    upload_and_check(page, bad)
    page.get_by_text("發現 2 個問題，尚未寫入任何資料").wait_for(timeout=60_000)
    page.get_by_text("匯出問題清單").wait_for(timeout=30_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stDataFrame]')]"
        ".every(d => d.querySelector('canvas'))"
    )
    idle(page)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "05_import_problems.png"), full_page=True)
    assert page.get_by_role("button", name="確認匯入").count() == 0
    context.close()
