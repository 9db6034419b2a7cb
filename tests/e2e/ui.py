"""What every browser test does to a Streamlit page: wait for a rerun to finish, pick an option."""

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
