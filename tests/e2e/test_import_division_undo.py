"""End to end in Chromium: 進修部教務組 imports its own 115-1 roster (a handful of rows), sees
the scope it replaces and must tick the box that names the loss; 日間部's figures do not move;
then the import is undone from 匯入紀錄 and every card is as before. Screenshots go to
tests/e2e/screenshots/ for a person to look at."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dashboard.demo.bundle import DEMO_DIR
from dashboard.ingest.kinds import ACTIVE_STATUSES
from tests.e2e.ui import idle, open_signed_in, upload_and_check

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parent / "screenshots"
KEPT = 20
CARDS = ("school", "day", "continuing")


def _cards(page: Any) -> dict[str, str]:
    page.get_by_role("link", name="總覽").click()
    page.get_by_role("heading", name="總覽").wait_for()
    page.locator(".st-key-overview_cards_continuing [data-testid='stMetricValue']").nth(5).wait_for()
    idle(page)
    shown = {}
    for card in CARDS:
        values = page.locator(f".st-key-overview_cards_{card} [data-testid='stMetricValue']")
        shown[card] = " | ".join(values.all_inner_texts())
    return shown


def _active(cards: dict[str, str], card: str) -> int:
    return int(cards[card].split(" | ")[0].replace(",", ""))


def _night_roster(tmp_path: Path) -> tuple[Path, int, int]:
    """The first KEPT active 進修部 rows of 115-1; returns the file, its rows, the rows it drops."""
    roster = pd.read_csv(DEMO_DIR / "學生名冊.csv", dtype=str, keep_default_na=False)
    night = roster[(roster["學年度"] == "115") & (roster["學期"] == "1") & (roster["部別"] == "進修部")]
    kept = night[night["學籍狀態"].isin(ACTIVE_STATUSES)].head(KEPT)
    path = tmp_path / "進修部115-1學生名冊.xlsx"
    kept.to_excel(path, index=False, engine="xlsxwriter")
    return path, len(kept), len(night) - len(kept)


def _to_import_page(page: Any) -> None:
    page.get_by_role("link", name="資料匯入").click()
    page.get_by_role("heading", name="資料匯入").wait_for()
    idle(page)


def test_a_one_division_import_leaves_the_other_alone_and_undo_gives_everything_back(
    server: str, browser: Any, tmp_path: Path
) -> None:
    context, page = open_signed_in(browser, server, "/import_data", "registry", "資料匯入")
    before = _cards(page)
    upload, rows, dropped = _night_roster(tmp_path)

    _to_import_page(page)
    upload_and_check(page, upload)
    page.get_by_text("檢查通過").wait_for(timeout=60_000)
    page.get_by_text("匯入後將整批取代下列範圍").wait_for()
    idle(page)
    # The plan names the one scope and the loss, in the box the clerk has to tick.
    ack = page.get_by_role("checkbox", name=f"學生名冊 115-1 進修部 {dropped:,} 筆")
    ack.wait_for()
    assert page.get_by_role("button", name="確認匯入").is_disabled()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "10_division_plan.png"), full_page=True)
    page.get_by_text(f"學生名冊 115-1 進修部 {dropped:,} 筆").first.click()
    page.wait_for_selector(".st-key-import_confirm button:not([disabled])", timeout=30_000)
    idle(page)
    page.get_by_role("button", name="確認匯入").click()
    page.get_by_text("匯入完成").wait_for(timeout=60_000)
    idle(page)
    page.screenshot(path=str(SHOTS / "11_division_imported.png"), full_page=True)

    after = _cards(page)
    page.screenshot(path=str(SHOTS / "12_overview_division_imported.png"), full_page=True)
    assert after["day"] == before["day"]  # every 日間部 figure, not only the count
    assert _active(after, "continuing") == rows
    assert _active(after, "school") == _active(before, "day") + rows

    _to_import_page(page)
    page.get_by_text("匯入紀錄").first.wait_for()
    page.get_by_role("button", name="復原這次匯入").click()
    page.get_by_text("將復原").wait_for(timeout=30_000)
    idle(page)
    page.screenshot(path=str(SHOTS / "13_undo_asks.png"), full_page=True)
    page.get_by_role("button", name="確定復原").click()
    page.get_by_text("已復原").wait_for(timeout=60_000)
    idle(page)
    page.screenshot(path=str(SHOTS / "14_undone.png"), full_page=True)

    assert _cards(page) == before
    context.close()


def _far_corner_xlsx(path: Path) -> Path:
    """5 KB on disk: a header row, then one cell at XFD1048576 (the last row and column Excel
    has). Readers that size a sheet by its corner ask for hundreds of GB."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("學生名冊")
    for c, header in enumerate(["學年度", "學期", "部別", "學號", "姓名"]):
        sheet.write(0, c, header)
    sheet.write(1_048_575, 16_383, "x")
    book.close()
    return path


def _healthy(server: str) -> bool:
    try:
        with urllib.request.urlopen(f"{server}/_stcore/health", timeout=5) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def test_a_far_corner_sheet_is_refused_in_chinese_and_the_server_stays_up(
    server: str, browser: Any, tmp_path: Path
) -> None:
    bystander, watching = open_signed_in(browser, server, "/", "principal", "總覽")
    context, page = open_signed_in(browser, server, "/import_data", "registry", "資料匯入")
    upload = _far_corner_xlsx(tmp_path / "名冊（延伸到最後一格）.xlsx")
    assert upload.stat().st_size < 10_000
    upload_and_check(page, upload)
    page.get_by_text("尚未寫入任何資料").wait_for(timeout=60_000)
    idle(page)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "15_far_corner_refused.png"), full_page=True)
    assert page.get_by_role("button", name="確認匯入").count() == 0
    assert _healthy(server)
    # The other signed-in user is still connected: their page still answers a rerun.
    watching.get_by_role("link", name="學期進度").click()
    watching.get_by_role("heading", name="學期進度").wait_for(timeout=30_000)
    idle(watching)
    context.close()
    bystander.close()
