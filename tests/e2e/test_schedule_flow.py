"""Issue 6 end to end in Chromium: the registry moves a phase's end date on 作業期程 and the
總覽 timeline shows the new date; the published schedule page opens with no network request."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from dashboard import db
from dashboard.records import schedule
from tests.e2e.ui import idle, open_signed_in

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parent / "screenshots"
PHASE = "教師認證"

# The timeline's bars as drawn: label, first day, and length in milliseconds (end day included).
# Only bar traces with a base (the timeline's) count, whichever chart on the page holds them.
BARS_JS = """() => {
  const traces = Array.from(document.querySelectorAll('.js-plotly-plot'))
    .flatMap(plot => plot._fullData || []).filter(t => t.type === 'bar' && t.base);
  if (!traces.length) return null;
  return traces.flatMap(t => {
    const base = Array.from(t.base), length = Array.from(t.x);
    return Array.from(t.y).map((label, i) => [label, base[i], Number(length[i])]);
  });
}"""
# true once the bar of PHASE (both divisions' row) ends on the given day
ENDS_ON_JS = """([phase, day]) => {
  const bars = (BARS)();
  return !!bars && bars.some(b => String(b[0]).startsWith(phase) && !String(b[0]).includes('進修部')
    && new Date(new Date(b[1]).getTime() + b[2]).toISOString().slice(0, 10) === day);
}""".replace("BARS", BARS_JS)


def _end_on_timeline(page: Any, phase: str) -> date:
    page.wait_for_function(f"({BARS_JS})() !== null", timeout=30_000)
    bars = page.evaluate(BARS_JS)
    found = [b for b in bars if b[0].startswith(phase) and "進修部" not in b[0]]
    assert found, bars
    _, base, length = found[0]
    first = date.fromisoformat(str(base)[:10])
    return first + timedelta(milliseconds=length) - timedelta(days=1)


def _type_date(field: Any, day: date) -> None:
    """Type into Streamlit's date field as a user does: it is three spin segments (year, month,
    day) that move on by themselves as digits are typed; Tab leaves the field."""
    year = field.locator("[role=spinbutton][data-type=year]")
    year.wait_for(timeout=30_000)
    year.click()
    field.page.keyboard.type(day.strftime("%Y%m%d"), delay=40)
    field.page.keyboard.press("Tab")
    field.locator("input[type=date]").wait_for(state="attached")
    assert field.locator("input[type=date]").input_value() == day.isoformat()


def test_a_phase_edited_in_the_browser_moves_on_the_overview_timeline(
    server: str, browser: Any, demo_db_template: Path
) -> None:
    con = db.connect(demo_db_template)
    try:
        stored = {e.phase: e for e in schedule.load(con, 115, 1, None)}
    finally:
        con.close()
    old_end = stored[PHASE].end_date
    assert old_end is not None
    new_end = old_end + timedelta(days=7)

    context, page = open_signed_in(browser, server, "/?semester=115-1", "registry", "總覽")
    assert _end_on_timeline(page, PHASE) == old_end

    page.get_by_role("link", name="作業期程").click()
    page.get_by_role("heading", name="作業期程", exact=True).wait_for(timeout=30_000)
    idle(page)
    index = schedule.PHASES.index(PHASE)
    box = page.locator(f".st-key-sch_115_1_all_{index}_end")
    box.scroll_into_view_if_needed()
    _type_date(box, new_end)
    # the self-check date must stay within a week after the new end: move it along
    check = page.locator(f".st-key-sch_115_1_all_{index}_check")
    _type_date(check, new_end)
    page.locator(".st-key-schedule_save button").click()
    page.get_by_text("已儲存作業期程").wait_for(timeout=30_000)
    idle(page)
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "schedule_saved.png"))
    saved = page.locator(f".st-key-sch_115_1_all_{index}_end input[type=date]")
    assert saved.input_value() == new_end.isoformat()  # the form reloaded from what was stored

    page.get_by_role("link", name="總覽").click()
    page.get_by_role("heading", name="總覽", exact=True).wait_for(timeout=30_000)
    idle(page)
    page.wait_for_function(ENDS_ON_JS, arg=[PHASE, str(new_end + timedelta(days=1))], timeout=30_000)
    assert _end_on_timeline(page, PHASE) == new_end
    page.locator(".js-plotly-plot").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "overview_timeline_after_edit.png"), full_page=True)
    context.close()


def test_the_published_schedule_page_opens_without_any_network_request(
    server: str, browser: Any, tmp_path: Path, demo_db_template: Path
) -> None:
    con = db.connect(demo_db_template)
    try:
        phases = {entry.phase for _, entry in schedule.rows(con, 115, 1)}
    finally:
        con.close()
    assert phases
    context, page = open_signed_in(browser, server, "/schedule?semester=115-1", "registry", "作業期程")
    with page.expect_download(timeout=60_000) as info:
        page.locator(".st-key-schedule_html button").click()
    html = tmp_path / "schedule.html"
    html.write_bytes(Path(info.value.path()).read_bytes())
    context.close()

    offline = browser.new_context(viewport={"width": 1000, "height": 1200}, locale="zh-TW")
    viewer = offline.new_page()
    requests: list[str] = []
    viewer.on("request", lambda r: requests.append(r.url))
    viewer.goto(html.as_uri())
    viewer.wait_for_load_state("networkidle")
    assert [u for u in requests if not u.startswith("file:")] == []
    text = viewer.locator("body").inner_text()
    for phase in phases:
        assert phase in text, phase
    viewer.screenshot(path=str(SHOTS / "schedule_published.png"), full_page=True)
    offline.close()
    small = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-TW")
    phone = small.new_page()
    phone.goto(html.as_uri())
    phone.wait_for_load_state("networkidle")
    wide = phone.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not wide, "the published page scrolls sideways on a phone"
    phone.screenshot(path=str(SHOTS / "schedule_published_phone.png"), full_page=True)
    small.close()
