"""What every browser test does to a Streamlit page: sign in, wait for a rerun to finish, pick an option."""

from __future__ import annotations

from typing import Any


def idle(page: Any) -> None:
    """The network is quiet and Streamlit's running indicator is gone."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )


def choose(page: Any, key: str, option: str) -> None:
    """Pick `option` in the select box with widget key `key` (a react-aria combobox).

    By keyboard, as a user can: type to filter the list, arrow to the match, Enter. Clicking the
    option failed on fresh CI runs when the list opened outside the viewport.
    """
    box = page.locator(f".st-key-{key} [role=combobox]")
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).wait_for(timeout=30_000)
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_function(
        "([k, v]) => document.querySelector(`.st-key-${k} [role=combobox]`).value === v",
        arg=[key, option],
        timeout=30_000,
    )
    idle(page)


def _wait_for_session_cookie(page: Any) -> None:
    """The first run after signing in has the browser fetch its (HttpOnly) session cookie; a
    download before it arrives is refused, as it would be for anyone not signed in."""
    for _ in range(300):
        if any(c["name"] == "lp_session" for c in page.context.cookies()):
            return
        page.wait_for_timeout(100)
    raise AssertionError("signed in, but the browser never got its session cookie")


def sign_in(page: Any, user: str, heading: str | None = None) -> None:
    """On the sign-in form: sign in as the demo account `user`; with `heading`, wait until the
    page titled so has finished its rerun."""
    page.get_by_label("帳號").fill(user)
    page.get_by_label("密碼").fill("demo1234")
    page.get_by_role("button", name="登入").click()
    _wait_for_session_cookie(page)
    if heading is not None:
        page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=30_000)
        idle(page)


DESKTOP = {"viewport": {"width": 1400, "height": 1000}, "locale": "zh-TW", "accept_downloads": True}
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-TW", "is_mobile": True}


def open_signed_in(
    browser: Any, server: str, path: str, user: str, heading: str, device: dict[str, Any] = DESKTOP
) -> tuple[Any, Any]:
    """A new browser context (by default a desktop one that allows downloads) on `path`, signed in
    as the demo account `user`; returns (context, page) once the page titled `heading` has
    finished its rerun."""
    context = browser.new_context(**device)
    page = context.new_page()
    page.goto(f"{server}{path}")
    sign_in(page, user, heading)
    return context, page


def upload_and_check(page: Any, path: Any) -> None:
    """On 資料匯入: choose `path` in the uploader, wait for it to arrive, press 檢查檔案."""
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text(path.name).wait_for()
    idle(page)
    page.get_by_role("button", name="檢查檔案").click()
