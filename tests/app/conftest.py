"""AppTest harness shared by every page test: the demo school, a fresh cache, a signed-in user.

Pages are rendered through their `render` functions (what app.py hands to st.Page), with a
signed-in user placed in session state; the router and its sign-in gate have tests of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import auth, db
from dashboard.measures import metrics
from ui import meeting_state

TIMEOUT = 60
ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
AS_OF = "資料截至 115/11/16 08:00"  # the demo school's newest import
Test = TypeVar("Test", bound=Callable[..., Any])


@pytest.fixture(autouse=True)
def _fresh_app_state(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The connection is cached per process; each test must reach its own copy of the database.
    monkeypatch.setenv("PORTFOLIO_DB", str(demo_db))
    st.cache_resource.clear()
    st.cache_data.clear()
    meeting_state._KEPT.clear()  # unsaved forms kept for a later session belong to one database
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
    meeting_state._KEPT.clear()


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


def every_semester_and_division(test: Test) -> Test:
    """`test` for each of the demo's newest, a post-graduation and its oldest semester, each for
    全校 and both divisions (as `semester` and `division`, the way the URL names them)."""
    semesters = pytest.mark.parametrize("semester", ["115-1", "114-2", "113-1"])
    divisions = pytest.mark.parametrize("division", ["全校", "日間部", "進修部"])
    return semesters(divisions(test))


def scope_line(label: str, division: str) -> str:
    """The caption under a page's pickers: what it shows (`label`), the division, the demo's 資料截至."""
    return f"{label} · {division} · {AS_OF}"


def scoped_page(module: str, semester: str, division: str, role: str = "管理者") -> AppTest:
    """`module` opened on ?semester=…&division=…, run without an exception."""
    at = page_test(module, role=role, query={"semester": semester, "division": division}).run()
    assert not at.exception, at.exception
    return at


def year_page(module: str, demo_db: Path, semester: str, division: str, part: str) -> tuple[AppTest, Any]:
    """The page `module` for `semester` and `division`, whose caption names the year of `semester`,
    and the `part` of metrics.year_metrics for that year and division (read from `demo_db` and
    closed before the page opens the file)."""
    year, _ = metrics.parse_semester(semester)
    con = db.connect(demo_db)
    try:
        expected = metrics.year_metrics(con, year, division)[part]
    finally:
        con.close()
    at = scoped_page(module, semester, division)
    assert scope_line(f"{year}學年度", division) in texts(at)
    return at, expected


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[str, Callable[[], Any]]]:
    """Every download button a page draws, by key: (file name, the callable that builds its file).

    A button's file is built only when clicked; AppTest has no server to click through, so the
    test calls the builder itself, as the server would on the click."""
    from streamlit.delta_generator import DeltaGenerator

    seen: dict[str, tuple[str, Callable[[], Any]]] = {}
    original = DeltaGenerator.download_button

    def capture(self: DeltaGenerator, label: str, data: Any, *args: Any, **kwargs: Any) -> Any:
        assert callable(data), f"{label}: a download must be built on the click, for the signed-in user"
        seen[str(kwargs.get("key"))] = (str(kwargs.get("file_name")), data)
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", capture)
    # st.download_button was bound to the main area's DeltaGenerator when streamlit was imported
    main = st.download_button.__self__
    monkeypatch.setattr(st, "download_button", lambda *a, **k: capture(main, *a, **k))
    return seen
