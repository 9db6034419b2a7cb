"""The process's one DuckDB connection, the signed-in user, and cached reads.

Caching sits only here, at the UI edge: wrappers take plain parameters (never a connection) and
are cleared after every write or import. The core in dashboard/ stays uncached and testable.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from dashboard import auth, db
from dashboard.measures import metrics, targets, teachers

USER_KEY = "auth_user"


@st.cache_resource(show_spinner=False)
def connection() -> duckdb.DuckDBPyConnection:
    """One connection for the process; every use takes its own cursor (see dashboard.db)."""
    return db.connect()


def current_user() -> auth.User | None:
    user = st.session_state.get(USER_KEY)
    return user if isinstance(user, auth.User) else None


def sign_in(user: auth.User) -> None:
    st.session_state[USER_KEY] = user


def sign_out() -> None:
    st.session_state.pop(USER_KEY, None)


def require(permission: str) -> auth.User:
    """The one permission check every page calls first; stops the page when it fails."""
    user = current_user()
    if user is None:
        st.warning("請先登入。", icon=":material/lock:")
        st.stop()
    if not user.can(permission):
        st.error("您的角色沒有使用此頁面的權限；如有需要請洽系統管理者。", icon=":material/block:")
        st.stop()
    return user


@st.cache_data(ttl=600, show_spinner=False)
def as_of() -> datetime | None:
    return db.as_of(connection())


@st.cache_data(ttl=600, show_spinner=False)
def semesters() -> list[tuple[int, int]]:
    return metrics.semesters_available(connection())


@st.cache_data(ttl=600, show_spinner=False)
def semester_metrics(year: int, semester: int, division: str | None) -> dict[str, Any]:
    return metrics.semester_metrics(connection(), year, semester, division)


@st.cache_data(ttl=600, show_spinner=False)
def year_metrics(year: int, division: str | None) -> dict[str, Any]:
    return metrics.year_metrics(connection(), year, division)


def semester_metrics_all(year: int, semester: int) -> dict[str, Any]:
    """The whole school's figures of a semester (a resolution's linked metric)."""
    return semester_metrics(year, semester, None)


def year_metrics_all(year: int) -> dict[str, Any]:
    return year_metrics(year, None)


@st.cache_data(ttl=600, show_spinner=False)
def teacher_board(year: int, semester: int, division: str | None) -> list[teachers.TeacherStatus]:
    return teachers.board(connection(), year, semester, division)


@st.cache_data(ttl=600, show_spinner=False)
def pending_items(year: int, semester: int, division: str | None) -> list[teachers.PendingItem]:
    return teachers.pending_items(connection(), year, semester, division)


@st.cache_data(ttl=600, show_spinner=False)
def targets_table() -> list[targets.Target]:
    return targets.load(connection())


@st.cache_data(ttl=600, show_spinner=False)
def query(name: str, **params: Any) -> pd.DataFrame:
    return db.query_df(connection(), name, **params)


def data_changed() -> None:
    """Call after every import or form write: every cached figure is recomputed."""
    st.cache_data.clear()
