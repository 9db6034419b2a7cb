"""代理人 (Art. 11): the deputies each unit designates per 學年度, in 代理順位; the teachers who
have left or are on leave with certification still pending and who acts for them; and the
platform accounts to keep open until their pending items are done. Links: ?year=115."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.formatting import roc_date
from dashboard.measures import metrics
from dashboard.records import deputies
from ui import state
from ui.common import as_of_caption, excel_download, school_years, url_select

SS = st.session_state


def _staff_labels() -> dict[str, str]:
    from dashboard import db

    rows = db.query_rows(state.connection(), "staff_in_service")
    return {str(r["staff_code"]): f"{r['staff_code']} {r['name']}（{r['unit']}）" for r in rows}


def _unit_editor(
    user: auth.User, year: int, unit: str, current: list[deputies.Deputy], labels: dict[str, str]
) -> None:
    base_key, source_key = f"deputies_base_{year}_{unit}", f"deputies_source_{year}_{unit}"
    editor_key, stale_key = f"deputies_editor_{year}_{unit}", f"deputies_stale_{year}_{unit}"
    typed = SS.get(editor_key) or {}
    pending = any(typed.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))
    # The editor starts from the stored list and follows it when it changes (a copy-forward, this
    # user's save, another clerk's save), unless the user has edits of their own in it: those are
    # kept, and the save below is refused as stale instead of overwriting the newer list.
    if base_key not in SS or (SS.get(source_key) != current and not pending):
        SS[base_key] = pd.DataFrame(
            [
                {"順位": d.rank, "人員": labels.get(d.staff_code or "", d.staff_code or ""), "備註": d.note}
                for d in current
            ],
            columns=["順位", "人員", "備註"],
        )
        SS[source_key] = current
    if SS.get(stale_key):  # a save refused as stale: the message stays with the way out
        st.error(SS[stale_key], icon=":material/error:")
        if st.button(
            "載入最新名單（放棄表格中的修改）", key=f"deputies_reload_{unit}", icon=":material/refresh:"
        ):
            for key in (base_key, source_key, editor_key, stale_key):
                SS.pop(key, None)
            st.rerun()
    edited = st.data_editor(
        SS[base_key],
        key=editor_key,
        hide_index=True,
        num_rows="dynamic",
        column_config={
            "順位": st.column_config.NumberColumn("代理順位", min_value=1, step=1, required=True),
            "人員": st.column_config.SelectboxColumn(
                "人員", options=sorted(labels.values()), required=True, width="large"
            ),
            "備註": st.column_config.TextColumn("備註"),
        },
    )
    if st.button("儲存", key=f"deputies_save_{unit}", icon=":material/save:"):
        names = {code: label.split(" ", 1)[1].split("（")[0] for code, label in labels.items()}
        chosen = []
        for r in edited.to_dict("records"):
            person = r.get("人員")
            label = "" if person is None or pd.isna(person) else str(person)
            code = str(label).split(" ", 1)[0] if label else ""
            rank = r.get("順位")
            chosen.append(
                deputies.Deputy(
                    rank=int(rank) if rank is not None and not pd.isna(rank) else 0,
                    staff_code=code or None,
                    person_name=names.get(code, ""),
                    note="" if r.get("備註") is None or pd.isna(r.get("備註")) else str(r["備註"]),
                )
            )
        try:
            deputies.save(state.connection(), year, unit, chosen, user, expected=SS[source_key])
        except deputies.DeputyError as refused:
            if "version" in refused.problems:
                SS[stale_key] = "尚未儲存：" + refused.problems["version"]
                st.rerun()
            st.error("尚未儲存：" + " ".join(refused.problems.values()), icon=":material/error:")
            return
        SS.pop(base_key, None)
        SS.pop(stale_key, None)
        state.data_changed()
        SS["deputies_flash"] = f"已儲存{unit}的代理人。"
        st.rerun()


def _designations(user: auth.User, year: int) -> None:
    con = state.connection()
    stored = deputies.load(con, year)
    if (
        not any(stored.values())
        and user.can("edit_records")
        and st.button(
            "帶入上一學年度的代理人（已離職者除外）", key="deputies_copy", icon=":material/content_copy:"
        )
    ):
        proposal = {u: people for u, people in deputies.copy_forward(con, year).items() if people}
        try:
            deputies.save_units(con, year, proposal, user)
        except deputies.DeputyError as refused:
            st.error("尚未帶入：" + " ".join(refused.problems.values()), icon=":material/error:")
            return
        state.data_changed()
        SS["deputies_flash"] = "已帶入上一學年度的代理人。"
        st.rerun()
    table = pd.DataFrame(
        [
            {
                "單位": unit,
                "代理順位": d.rank,
                "姓名": d.person_name,
                "教職員代碼": d.staff_code or "",
                "備註": d.note,
            }
            for unit in deputies.UNITS
            for d in stored.get(unit, [])
        ],
        columns=["單位", "代理順位", "姓名", "教職員代碼", "備註"],
    )
    missing = [u for u in deputies.UNITS if not stored.get(u)]
    if missing:
        st.warning(f"{year} 學年度尚未指定代理人的單位：" + "、".join(missing), icon=":material/person_off:")
    st.dataframe(table, hide_index=True, key="deputies_table")
    excel_download({"代理人": table}, f"{year}學年度_代理人.xlsx", key="deputies_export")
    if not user.can("edit_records"):
        return
    labels = _staff_labels()
    unit = st.selectbox("編輯單位", deputies.UNITS, key="deputies_unit")
    _unit_editor(user, year, unit, stored.get(unit, []), labels)


def render() -> None:
    user = state.require("view_dashboard")
    st.title("代理人")
    year = url_select(
        "學年度", school_years(), key="deputies_year", param="year", format_func=lambda y: f"{y} 學年度"
    )
    flash = SS.pop("deputies_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    st.subheader("各單位指定的代理人（第十一點）")
    _designations(user, year)
    semesters = [s for s in sorted(state.semesters(), reverse=True) if s[0] == year]
    if not semesters:
        st.caption(f"{year} 學年度尚無學期資料，無法列出待認證項目。")
        return
    y, s = semesters[0]
    con = state.connection()
    st.subheader("離職、退休或留職停薪而仍有待認證項目的教師")
    st.caption(as_of_caption(metrics.semester_label(y, s)))
    leavers = pd.DataFrame(
        [
            {
                "教師代碼": t.code,
                "姓名": t.name,
                "在職狀態": t.employment_status,
                "待認證件數": t.pending,
                "認證截止": roc_date(t.deadline_date),
                "帳號停用日期": roc_date(t.account_disabled_on),
                "代為認證": "、".join(
                    f"{a.unit}（{a.pending} 件，"
                    + (f"代理人 {a.deputy.person_name}" if a.deputy else "尚未指定代理人")
                    + "）"
                    for a in t.acting
                ),
            }
            for t in deputies.leavers_with_pending(con, y, s)
        ]
    )
    if leavers.empty:
        st.success("沒有離職或請假而仍有待認證項目的教師。", icon=":material/check_circle:")
    else:
        st.dataframe(leavers, hide_index=True, key="deputies_leavers")
        excel_download({"待代理認證": leavers}, f"{y}-{s}_待代理認證.xlsx", key="deputies_leavers_export")
    st.subheader("應延後停用的平臺帳號")
    accounts = pd.DataFrame(
        [
            {
                "教職員代碼": a.code,
                "姓名": a.name,
                "在職狀態": a.employment_status,
                "帳號停用日期": roc_date(a.account_disabled_on),
                "狀況": "已停用，請重新開啟" if a.already_past else f"尚餘 {a.days_left} 天",
                "待認證件數": a.pending,
                "負責單位": "、".join(a.units),
            }
            for a in deputies.accounts_to_delay(con, y, s)
        ]
    )
    if accounts.empty:
        st.success("沒有帳號停用日期早於待認證項目完成的教職員。", icon=":material/check_circle:")
    else:
        st.caption("第十一點（三）2(2)：待認證項目完成前，請延後停用帳號。")
        st.dataframe(accounts, hide_index=True, key="deputies_accounts")
        excel_download(
            {"延後停用帳號": accounts}, f"{y}-{s}_延後停用帳號.xlsx", key="deputies_accounts_export"
        )


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
