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
    """Pick `option` in the select box with widget key `key` (a react-aria combobox)."""
    box = page.locator(f".st-key-{key} [role=combobox]")
    # Centre it first: near the bottom edge the list can open outside the viewport.
    box.evaluate("el => el.scrollIntoView({block: 'center'})")
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    idle(page)
