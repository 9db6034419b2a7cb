"""The principal opens a link on a phone: after signing in, the same compact view at 390 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.ui import PHONE, sign_in

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parent / "screenshots"


def test_link_with_filters_survives_sign_in_on_a_phone(server: str, browser: Any) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server}/?semester=114-2&view=compact")  # the default page lives at /
    sign_in(page, "principal")
    table = page.locator(".st-key-overview_compact_table table")
    table.wait_for(timeout=30_000)
    assert "114學年度第2學期" in page.locator("body").inner_text()
    assert "semester=114-2" in page.url and "view=compact" in page.url
    header = [c.inner_text().strip() for c in table.locator("th").all()]
    assert header == ["指標", "全校", "日間部", "進修部"]
    assert table.locator("tbody tr").count() == 6
    # Readable on the phone: the table fits the screen, nothing scrolls sideways.
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "principal_phone_compact.png"), full_page=True)
    context.close()
