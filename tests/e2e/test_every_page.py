"""Every page of the router, in Chromium, as the administrator: it renders its title, shows
「資料截至」, no error box, and asks nothing of any other server. Desktop and phone (390 px)
screenshots of each go to tests/e2e/screenshots/ for a person to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import app
from tests.e2e.ui import idle, sign_in

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parent / "screenshots"


def _on_screen(locator: Any, width: int) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["x"] < width


def _sign_in(page: Any, server: str) -> None:
    page.goto(server)
    sign_in(page, "demo", "總覽")


def _go(page: Any, title: str, width: int) -> None:
    """Through the sidebar, as a user does: a full reload starts a new, signed-out session."""
    link = page.get_by_role("link", name=title)
    if not _on_screen(link, width):  # the phone's sidebar is folded away
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_function(
            "([t, w]) => [...document.querySelectorAll('[data-testid=stSidebarNavLink]')]"
            ".some(a => a.innerText.includes(t) && a.getBoundingClientRect().left >= 0"
            " && a.getBoundingClientRect().left < w)",
            arg=[title, width],
        )
        page.wait_for_timeout(300)  # let the slide-in finish before clicking
    link.click()
    page.get_by_role("heading", name=title).first.wait_for(timeout=30_000)
    fold = page.get_by_test_id("stSidebarCollapseButton")
    if width < 640 and fold.count() and fold.is_visible():  # as a phone user folds it with «
        fold.click()
        page.wait_for_timeout(500)


def _settle(page: Any) -> None:
    idle(page)
    # Data grids draw on a canvas after their script chunk loads, and only once in view; one in
    # a hidden tab or below the fold never does until scrolled to.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stDataFrame]')]"
        ".filter(d => d.offsetParent !== null && d.getBoundingClientRect().top < innerHeight)"
        ".every(d => d.querySelector('canvas'))",
        timeout=30_000,
    )
    page.wait_for_timeout(500)


@pytest.mark.parametrize(("width", "height", "tag"), [(1400, 1000, "desktop"), (390, 844, "phone")])
def test_every_page_renders(server: str, browser: Any, width: int, height: int, tag: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-TW")
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    _sign_in(page, server)
    for route in app.ROUTES:
        _go(page, route.title, width)
        try:
            _settle(page)
        except Exception as exc:
            page.screenshot(path=str(SHOTS / f"failed_{route.url_path}_{tag}.png"), full_page=True)
            raise AssertionError(f"{route.title} ({tag}) did not settle") from exc
        page.screenshot(path=str(SHOTS / f"page_{route.url_path}_{tag}.png"), full_page=True)
        body = page.locator("body").inner_text()
        assert "發生未預期的錯誤" not in body, route.url_path
        assert "Traceback" not in body, route.url_path
        assert "資料截至" in body, route.url_path
    assert outside == [], f"requests outside the server: {outside[:5]}"
    context.close()
