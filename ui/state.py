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

from dashboard import auth, db, sessions
from dashboard.measures import metrics, targets, teachers

USER_KEY = "auth_user"


@st.cache_resource(show_spinner=False)
def connection() -> duckdb.DuckDBPyConnection:
    """One connection for the process; every use takes its own cursor (see dashboard.db)."""
    return db.connect()


SESSION_KEY = "auth_session"  # the cookie value of this sign-in (dashboard.sessions)
CLAIM_KEY = "auth_claim"  # a one-time token the browser still has to trade for the cookie
ENDED_KEY = "auth_ended"  # signed out: the browser still has to drop the cookie
EXPIRED_KEY = "auth_expired"


def _browser_cookie() -> str | None:
    try:
        value = st.context.cookies.get(sessions.COOKIE)
    except Exception:  # a run with no request behind it (AppTest) has no cookies
        return None
    return value if isinstance(value, str) else None


def current_user() -> auth.User | None:
    """The signed-in user: of this browser tab, or of the browser's session cookie (a reload).

    A session unused for sessions.IDLE (or older than sessions.LIFETIME) ends here: the user is
    signed out and the sign-in form says why."""
    user = st.session_state.get(USER_KEY)
    if isinstance(user, auth.User):
        held = st.session_state.get(SESSION_KEY)
        if held is None or sessions.resolve(held) is not None:
            return user
        sign_out()
        st.session_state[EXPIRED_KEY] = True
        return None
    cookie = _browser_cookie()
    username = sessions.resolve(cookie)
    if cookie is None or username is None:
        return None
    found = auth.active_user(connection(), username)
    if found is None:  # disabled since: the cookie is worth nothing any more
        sessions.end(cookie)
        return None
    st.session_state[USER_KEY] = found
    st.session_state[SESSION_KEY] = cookie
    return found


def sign_in(user: auth.User) -> None:
    """Sign this tab in and start a session the browser will keep (see app.py's claim)."""
    cookie = sessions.start(user.username)
    st.session_state[USER_KEY] = user
    st.session_state[SESSION_KEY] = cookie
    st.session_state[CLAIM_KEY] = sessions.claim_for(cookie)
    st.session_state.pop(EXPIRED_KEY, None)


def sign_out() -> None:
    sessions.end(st.session_state.pop(SESSION_KEY, None))
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(CLAIM_KEY, None)
    st.session_state[ENDED_KEY] = True


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


def client_address() -> str | None:
    """The client's address as the server saw it (None where Streamlit cannot tell)."""
    try:
        address = st.context.ip_address
    except Exception:  # a run with no request behind it (AppTest) has no address
        return None
    return address if isinstance(address, str) and address else None
