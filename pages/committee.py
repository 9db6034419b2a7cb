"""工作小組名冊: the 21 seats of Art. 3 per 學年度 and who holds them, with the check that every
seat is filled. 執行秘書 and 管理者 edit it; everyone else reads it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, db
from dashboard.formatting import EMPTY, roc_date
from dashboard.records import committee
from ui import state
from ui.common import excel_download, school_years, url_select

STAFF_COL, NAME_COL = "教職員", "姓名（家長／學生代表）"


def _staff_label(row: dict[str, object]) -> str:
    return f"{row['staff_code']} {row['name']}（{row['unit']} {row['title'] or ''}）".replace(" ）", "）")


def _term(m: committee.Member) -> str:
    """115/08/01 ～ 116/07/31; — where the seat has no holder's dates."""
    return EMPTY if m.start_date is None else f"{roc_date(m.start_date)} ～ {roc_date(m.end_date)}"


def _frame(members: list[committee.Member], labels: dict[str, str]) -> pd.DataFrame:
    rows = []
    for m, seat in zip(members, committee.SEATS, strict=True):
        code = (m.staff_code or "").strip()
        rows.append(
            {
                "席次": seat.seat_no,
                "職稱": seat.name,
                "角色": seat.role,
                STAFF_COL: labels.get(code, code) if code else None,
                NAME_COL: m.person_name if not seat.staff else "",
                "起": m.start_date,
                "迄": m.end_date,
            }
        )
    return pd.DataFrame(rows)


def _members(edited: pd.DataFrame, names: dict[str, str]) -> list[committee.Member]:
    members = []
    for row in edited.to_dict("records"):
        seat = committee.SEAT_BY_NO[int(row["席次"])]
        label = row.get(STAFF_COL) or ""
        code = str(label).split(" ", 1)[0] if label else ""
        typed = str(row.get(NAME_COL) or "").strip()
        name = names.get(code, "") if seat.staff else typed
        start, end = row.get("起"), row.get("迄")
        members.append(
            committee.Member(
                seat_no=seat.seat_no,
                person_name=name,
                staff_code=code or None,
                start_date=None if pd.isna(start) else pd.Timestamp(start).date(),
                end_date=None if pd.isna(end) else pd.Timestamp(end).date(),
            )
        )
    return members


def _check_banner(check: committee.RosterCheck) -> None:
    if check.complete:
        st.success(
            f"{check.year} 學年度工作小組 {committee.SEAT_COUNT} 席已全部指定（第三點：合計 21 人）。",
            icon=":material/groups:",
        )
    else:
        st.warning(
            f"{check.year} 學年度已指定 {check.filled} 席，尚缺 {len(check.missing)} 席："
            + "、".join(check.missing),
            icon=":material/group_off:",
        )


def _editor(user: auth.User, year: int, members: list[committee.Member], stored: bool) -> None:
    staff = db.query_rows(state.connection(), "staff_in_service")
    labels = {str(r["staff_code"]): _staff_label(r) for r in staff}
    names = {str(r["staff_code"]): str(r["name"]) for r in staff}
    for m in members:  # a holder who has since left still shows under his code
        if m.staff_code and m.staff_code not in labels:
            labels[m.staff_code] = f"{m.staff_code} {m.person_name}（已不在職）"
            names[m.staff_code] = m.person_name
    if not stored:
        st.info(
            "本學年度尚未儲存名冊；下表已依教職員名冊的職稱與上一學年度的名冊預先填入，"
            "請補齊空白席次後儲存。",
            icon=":material/auto_fix_high:",
        )
    edited = st.data_editor(
        _frame(members, labels),
        key=f"committee_editor_{year}",
        hide_index=True,
        num_rows="fixed",
        height=35 * (committee.SEAT_COUNT + 1) + 3,  # every seat on screen, no inner scrolling
        disabled=["席次", "職稱", "角色"],
        column_config={
            STAFF_COL: st.column_config.SelectboxColumn(
                STAFF_COL, options=sorted(labels.values()), help="教職員席次：從教職員名冊選擇", width="large"
            ),
            NAME_COL: st.column_config.TextColumn(NAME_COL, help="家長代表、學生代表：直接輸入姓名"),
            "起": st.column_config.DateColumn("任期起", format="YYYY-MM-DD"),
            "迄": st.column_config.DateColumn("任期迄", format="YYYY-MM-DD"),
        },
    )
    problems = st.session_state.get("committee_problems", {})
    if problems:
        st.error("名冊尚未儲存，請修正下列問題：\n\n" + "\n".join(f"- {m}" for m in problems.values()))
    if st.button("儲存名冊", key="committee_save", icon=":material/save:", type="primary"):
        try:
            check = committee.save(state.connection(), year, _members(edited, names), user)
        except committee.RosterError as refused:
            st.session_state["committee_problems"] = refused.problems
            st.rerun()
        st.session_state.pop("committee_problems", None)
        state.data_changed()
        st.session_state["committee_saved"] = f"已儲存 {year} 學年度名冊：已指定 {check.filled} 席。"
        st.rerun()


def render() -> None:
    user = state.require("view_dashboard")
    st.title("工作小組名冊")
    st.caption("依補充規定第三點：校長為召集人、教務主任為執行秘書，合計 21 人。")
    years = school_years()
    year = url_select(
        "學年度", years, key="committee_year", param="year", format_func=lambda y: f"{y} 學年度"
    )
    con = state.connection()
    saved = st.session_state.pop("committee_saved", None)
    if saved:
        st.success(saved, icon=":material/check_circle:")
    _check_banner(committee.check(con, year))
    members, stored = committee.roster_or_suggestion(con, year)
    if not stored and not user.can("edit_meetings"):  # a suggestion is not the roster
        members = [committee.Member(s.seat_no, "", None, None, None) for s in committee.SEATS]
    if user.can("edit_meetings"):
        _editor(user, year, members, stored)
    else:
        st.caption("名冊由執行秘書維護；您的角色可以檢視與匯出。")
    table = pd.DataFrame(
        [
            {
                "席次": s.seat_no,
                "職稱": s.name,
                "角色": s.role,
                "姓名": m.person_name or "（未指定）",
                "教職員代碼": m.staff_code or "",
                "任期": _term(m),
            }
            for s, m in zip(committee.SEATS, members, strict=True)
        ]
    )
    if not user.can("edit_meetings"):
        st.dataframe(table, hide_index=True, key="committee_table")
    excel_download({"工作小組名冊": table}, f"{year}學年度_工作小組名冊.xlsx", key="committee_export")


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
