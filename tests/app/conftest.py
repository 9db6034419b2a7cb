"""AppTest harness shared by every page test: the demo school, a fresh cache, a signed-in user.

Pages are rendered through their `render` functions (what app.py hands to st.Page), with a
signed-in user placed in session state; the router and its sign-in gate have tests of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import auth

TIMEOUT = 60
ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def _fresh_app_state(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The connection is cached per process; each test must reach its own copy of the database.
    monkeypatch.setenv("PORTFOLIO_DB", str(demo_db))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def _page(module: str) -> None:
    import importlib

    importlib.import_module(module).render()


def page_test(module: str, role: str = "管理者", query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_function(_page, args=(module,), default_timeout=TIMEOUT)
    at.session_state["auth_user"] = auth.User("tester", "測試者", role)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.title, *at.subheader, *at.caption, *at.markdown, *at.info, *at.error)]
    parts += [f"{m.label}={m.value}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The one dataframe on the page that has `column` (AppTest finds dataframes by position only)."""
    tables = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(tables) == 1, [list(d.value.columns) for d in at.dataframe]
    return tables[0]
