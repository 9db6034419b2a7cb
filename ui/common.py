"""Pieces every page repeats: the semester and division pickers, the 資料截至 stamp, a table or its
notice, Excel download."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple, TypeVar

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import audit, auth, db, exports, formatting
from dashboard.formatting import count as count  # re-exported: the pages take it from here
from dashboard.formatting import percent as percent  # re-exported: the pages take it from here
from dashboard.measures import metrics
from dashboard.school_calendar import school_now, school_year_of
from ui import state

DIVISION_OPTIONS: tuple[str, ...] = ("全校", "日間部", "進修部")
T = TypeVar("T")


NO_DATA_YET = "（尚無匯入資料）"


def roc_datetime(value: datetime | None) -> str:
    """資料截至 as formatting writes it (115/11/16 08:00); before any import, （尚無匯入資料）. For
    any other moment call formatting.roc_datetime, whose empty is —."""
    return NO_DATA_YET if value is None else formatting.roc_datetime(value)


def as_of_caption(semester_label: str | None = None, division: str | None = None) -> str:
    parts = [p for p in (semester_label, division) if p]
    parts.append(f"資料截至 {roc_datetime(state.as_of())}")
    return " · ".join(parts)


def division_param(choice: str) -> str | None:
    return None if choice == "全校" else choice


def url_select(
    label: str,
    options: Sequence[T],
    *,
    key: str,
    param: str,
    to_url: Callable[[T], str] = str,
    format_func: Callable[[T], str] = str,
    default: T | None = None,
) -> T:
    """A select box whose choice lives in the address bar (?param=…), so a link sent to the
    principal opens the same view. The URL wins on first load, then `default` (else the first
    option); the widget wins afterwards."""
    current = st.session_state.get(key)
    if current is not None and current not in options:
        del st.session_state[key]
    if key not in st.session_state:
        wanted = st.query_params.get(param)
        match = next((o for o in options if to_url(o) == wanted), None)
        if match is None and default in options:
            match = default
        if match is not None:
            st.session_state[key] = match
    value: T = st.selectbox(label, options, key=key, format_func=format_func)
    st.query_params[param] = to_url(value)
    return value


def current_school_year(today: date | None = None) -> int:
    """The 學年度 a day falls in (1 August starts a new one)."""
    return school_year_of(today or date.today())


def school_years() -> list[int]:
    """The 學年度 of the database's semesters and the current one, newest first: the choices of
    the pages that keep the school's own yearly records."""
    return sorted({*(y for y, _ in state.semesters()), current_school_year()}, reverse=True)


def semester_picker(key: str) -> tuple[int, int] | None:
    """The semesters in the database, newest first; in the URL as ?semester=113-1."""
    options = sorted(state.semesters(), reverse=True)
    if not options:
        st.info("資料庫尚無學期資料；請先到「資料匯入」匯入平臺匯出檔。", icon=":material/info:")
        return None
    return url_select(
        "學期",
        options,
        key=key,
        param="semester",
        to_url=lambda ys: f"{ys[0]}-{ys[1]}",
        format_func=lambda ys: metrics.semester_label(*ys),
    )


def division_picker(key: str) -> str | None:
    """全校 / 日間部 / 進修部, in the URL as ?division=…; returns None for 全校."""
    choice = url_select("部別", DIVISION_OPTIONS, key=key, param="division")
    return division_param(choice)


class Scope(NamedTuple):
    """What the first row of a page picked, and that row's columns left for the page's own pickers."""

    year: int
    semester: int
    division: str | None
    more: list[DeltaGenerator]


def scope_pickers(prefix: str, columns: int = 2) -> Scope | None:
    """A row of `columns` that starts with the semester picker (widget key `{prefix}_semester`)
    and the division picker (`{prefix}_division`); None where the database has no semester yet
    (the semester picker says so, and the division picker is not drawn)."""
    row = st.columns(columns)
    with row[0]:
        picked = semester_picker(f"{prefix}_semester")
    if picked is None:
        return None
    with row[1]:
        division = division_picker(f"{prefix}_division")
    return Scope(picked[0], picked[1], division, row[2:])


def show_names(user: auth.User) -> bool:
    """Whether this user may see students' names in clear (else 王○明)."""
    return user.can("view_student_names")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_download(
    label: str,
    build: Callable[[], bytes],
    file_name: str,
    mime: str,
    *,
    key: str,
    icon: str = ":material/download:",
    where: DeltaGenerator | None = None,
    help: str | None = None,
) -> None:
    """A download button whose file is built only when clicked, for the signed-in user: it
    carries 「機密」, who exported it and when (exports.Stamp), and the audit log records the
    export. Every download of the dashboard goes through here (and the web gate checks the
    session and logs the transfer)."""
    user = state.current_user()
    if user is None:  # no page renders without a user; a download never does either
        return
    con = state.connection()
    page, address = audit.origin()

    def built() -> bytes:  # runs when the browser asks for the file, outside the page's run
        stamp = exports.Stamp(f"{user.display_name}（{user.role}）", school_now(), db.as_of(con))
        with exports.stamped(stamp):
            data = build()
        with db.transaction(con) as cur:
            detail = f"{file_name}（{len(data):,} 位元組）"
            audit.record(cur, audit.EXPORTED, user.username, detail=detail, page=page, address=address)
        return data

    (where or st).download_button(
        label, data=built, file_name=file_name, mime=mime, key=key, on_click="ignore", icon=icon, help=help
    )


def excel_download(
    frames: dict[str, pd.DataFrame],
    file_name: str,
    key: str,
    label: str = "匯出 Excel",
    where: DeltaGenerator | None = None,
) -> None:
    copies = {name: frame.copy() for name, frame in frames.items()}  # as shown now, not as later
    title = file_name.rsplit(".", 1)[0]
    file_download(label, lambda: exports.to_xlsx(copies, title=title), file_name, XLSX, key=key, where=where)


def whole_number_frame(rows: Sequence[dict[str, Any]], whole: Sequence[str]) -> pd.DataFrame:
    """`rows` as a table whose columns `whole` (those it has) hold whole numbers that may be
    missing: shown blank, not "None" or 3.0."""
    frame = pd.DataFrame(rows)
    if not frame.empty:
        present = [c for c in whole if c in frame.columns]
        frame = frame.astype(dict.fromkeys(present, "Int64"))
    return frame


def table_or_info(
    frame: pd.DataFrame,
    empty: str,
    *,
    key: str,
    style: Callable[[pd.DataFrame], Any] | None = None,
    **options: Any,
) -> None:
    """`frame` as a full-width table without its index (drawn as `style(frame)` where a style is
    given), or the notice `empty` where it has no row; `options` go to st.dataframe."""
    if frame.empty:
        st.info(empty, icon=":material/info:")
    else:
        shown = frame if style is None else style(frame)
        st.dataframe(shown, hide_index=True, width="stretch", key=key, **options)
