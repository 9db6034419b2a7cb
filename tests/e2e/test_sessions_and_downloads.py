"""Issue [8/11] findings 1 and 6 in Chromium: a download's address answers only to a signed-in
session (not to a bare request, not after sign-out), and a reload keeps the session."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.e2e.conftest import SHOTS
from tests.e2e.ui import idle, open_signed_in

pytestmark = pytest.mark.e2e
HEADING = "收訖確認"


def _status_without_cookie(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


def test_a_download_needs_the_session_and_a_reload_keeps_it(server: str, browser: Any) -> None:
    context, page = open_signed_in(browser, server, "/receipts?semester=114-2", "registry", HEADING)
    with page.expect_download(timeout=60_000) as info:
        page.locator(".st-key-receipts_disputes_export button").click()
    url = info.value.url
    (cookie,) = [c for c in context.cookies() if c["name"] == "lp_session"]
    assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Strict")
    assert "/media/" in url
    assert context.request.get(url).status == 200  # the signed-in browser may fetch it again
    assert _status_without_cookie(url) == 403  # a copied link, a proxy, a screen share: refused
    assert _status_without_cookie(f"{server}/_stcore/metrics") == 403
    with urllib.request.urlopen(f"{server}/_stcore/host-config", timeout=30) as answer:
        assert json.loads(answer.read())["allowedOrigins"] == []  # no outside origin may embed it

    # a reload keeps the session: the page, not the sign-in form
    page.reload()
    page.get_by_role("heading", name=HEADING, exact=True).wait_for(timeout=30_000)
    idle(page)
    assert page.get_by_label("密碼").count() == 0
    page.screenshot(path=str(SHOTS / "reload_still_signed_in.png"), full_page=True)

    # sign-out ends it for every copy of the cookie
    page.get_by_role("button", name="登出").click()
    page.get_by_label("密碼").wait_for(timeout=30_000)
    assert context.request.get(url).status == 403
    page.reload()
    page.get_by_label("密碼").wait_for(timeout=30_000)
    context.close()
