"""The meeting record form: header fields, attendance per seat with the live quorum, 列席
guests, 上次會議決議執行情形, and agenda items with topic tags and follow-up fields, each
problem of a refused save shown under its field.

The widgets are keyed to the form's values in session state, which meeting_state.py loads,
keeps, restores and saves; this module only renders them.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.measures import targets
from dashboard.records import committee, meetings
from ui import state
from ui.meeting_state import NO_METRIC, SS, _add_item, _refresh_follow_ups, form_drawn, frames, keep_shadow

# --- rendering ----------------------------------------------------------------------------


def _problem(problems: dict[str, str], *keys: str) -> None:
    for key in keys:
        if key in problems:
            st.error(problems[key], icon=":material/error:")


def _problems_starting(problems: dict[str, str], prefix: str) -> None:
    for key, message in problems.items():
        if key.startswith(prefix):
            st.error(message, icon=":material/error:")


def _period_options(year: int) -> list[str]:
    return [f"{y}-{s}" for y in (year - 1, year, year + 1) for s in (1, 2)]


def _item_block(index: int, uid: int, problems: dict[str, str], year: int) -> None:
    p = f"mt_i{uid}_"
    with st.container(border=True):
        top = st.columns([2, 5, 1])
        section = top[0].selectbox("類別", meetings.SECTIONS, key=p + "section")
        deciding = section in meetings.DECIDING_SECTIONS
        top[1].text_input("案由" if deciding else "報告主題", key=p + "title")
        if top[2].button("刪除", key=f"mtb_remove_{uid}", icon=":material/delete:", help="刪除這一案"):
            SS["mt_items"] = [u for u in SS["mt_items"] if u != uid]
            st.rerun()
        _problem(problems, f"items.{index}.section", f"items.{index}.title")
        st.text_area("說明", key=p + "explanation", height=80)
        st.text_area("決議" if deciding else "決定", key=p + "decision", height=68)
        st.multiselect("第四點工作事項（可複選）", meetings.TOPICS, key=p + "topics")
        _problem(problems, f"items.{index}.topics", f"items.{index}.decision")
        if not deciding:
            return
        votes = st.columns(3)
        votes[0].text_input("贊成票數", key=p + "for", placeholder="未表決免填")
        votes[1].text_input("反對票數", key=p + "against")
        votes[2].text_input("棄權票數", key=p + "abstain")
        _problem(problems, f"items.{index}.votes")
        follow = st.columns(2)
        follow[0].text_input("負責單位", key=p + "owner", placeholder="例如 教務處註冊組")
        follow[1].date_input("執行期限", value=None, key=p + "due", format="YYYY/MM/DD")
        _problem(problems, f"items.{index}.owner_unit", f"items.{index}.due_date")
        link = st.columns(3)
        link[0].selectbox(
            "追蹤指標",
            [NO_METRIC, *targets.METRICS],
            key=p + "metric",
            format_func=lambda m: "（不連結指標）" if m == NO_METRIC else targets.METRICS[m],
        )
        link[1].selectbox("指標學期（勾選率取其學年度）", _period_options(year), key=p + "period")
        link[2].text_input("目標值（%）", key=p + "target", placeholder="例如 95")
        _problem(problems, f"items.{index}.metric")


def render_form(problems: dict[str, str]) -> None:
    """Every field of the record, with `problems` shown under their fields."""
    edited = frames()
    edited.clear()
    year = int(SS["mt_year"])
    head = st.columns([1, 1, 2])
    head[0].selectbox("學期", [1, 2], key="mt_semester", format_func=lambda s: f"{year} 學年度第 {s} 學期")
    if SS.get("mt_meeting_id") is None and SS.get("mt_seq_semester") != SS["mt_semester"]:
        # a new meeting moved to the other semester takes that semester's next 會次
        SS["mt_seq"] = meetings.next_sequence_no(state.connection(), year, int(SS["mt_semester"]))
        SS["mt_seq_semester"] = SS["mt_semester"]
    head[1].number_input("會次（第幾次）", min_value=1, step=1, key="mt_seq")
    head[2].date_input("開會日期", value=None, key="mt_held_on", format="YYYY/MM/DD")
    _problem(problems, "semester", "sequence_no", "held_on")
    _refresh_follow_ups()
    times = st.columns(2)
    times[0].time_input("開會時間", value=None, key="mt_start", step=300)
    times[1].time_input("散會時間", value=None, key="mt_end", step=300)
    _problem(problems, "start_time", "end_time")
    people = st.columns(3)
    people[0].text_input("地點", key="mt_place", placeholder="例如 行政大樓第一會議室")
    people[1].text_input("主席", key="mt_chair")
    people[2].text_input("紀錄", key="mt_recorder")
    _problem(problems, "place", "chair", "recorder")

    st.subheader("出席情形")
    att = st.data_editor(
        SS["mt_att_base"],
        key="mte_att",
        hide_index=True,
        num_rows="fixed",
        height=35 * (committee.SEAT_COUNT + 1) + 3,  # every seat on screen, no inner scrolling
        disabled=["席次", "職稱"],
        column_config={
            "出席情形": st.column_config.SelectboxColumn(
                "出席情形", options=meetings.ATTENDANCE, required=True
            ),
            "代理人": st.column_config.TextColumn("代理人", help="出席情形為「代理」時填寫"),
        },
    )
    edited["mt_att_base"] = att
    present = int(att["出席情形"].isin(list(meetings.PRESENT)).sum())
    q = meetings.quorum(state.connection(), year, [meetings.Attendance(0, "", "出席")] * present)
    if q.met:
        st.success(
            f"實到 {q.present} 人（含代理），已達法定人數 {q.required} 人。", icon=":material/how_to_reg:"
        )
    else:
        st.warning(
            f"實到 {q.present} 人，未達法定人數 {q.required} 人（全體 {q.seats} 席過半數）："
            "可以儲存，但不能確認決議。",
            icon=":material/group_off:",
        )
    _problem(problems, "attendance")
    _problems_starting(problems, "attendance.")
    st.markdown("**列席人員**")
    edited["mt_guest_base"] = st.data_editor(
        SS["mt_guest_base"], key="mte_guest", hide_index=True, num_rows="dynamic", width="stretch"
    )
    _problems_starting(problems, "guests.")

    st.subheader("上次會議決議執行情形")
    if SS["mt_fu_base"].empty:
        st.caption("沒有以前會議尚未完成的決議。")
    else:
        edited["mt_fu_base"] = st.data_editor(
            SS["mt_fu_base"],
            key="mte_fu",
            hide_index=True,
            num_rows="fixed",
            disabled=["會次", "案由", "決議", "負責單位", "執行期限"],
            column_config={
                "item_id": None,
                "執行情形": st.column_config.SelectboxColumn(
                    "執行情形", options=meetings.STATUSES, required=True
                ),
            },
        )
        _problems_starting(problems, "follow_ups.")

    st.subheader("議程")
    for index, uid in enumerate(SS["mt_items"]):
        _item_block(index, uid, problems, year)
    add = st.columns([2, 1, 3])
    section = add[0].selectbox("新增的類別", meetings.SECTIONS, key="mt_new_section", index=1)
    if add[1].button("新增一案", key="mtb_add_item", icon=":material/add:"):
        _add_item(meetings.Item(section=section, title=""), year, int(SS["mt_semester"]))
        st.rerun()
    keep_shadow()
    form_drawn()


def today() -> date:
    return date.today()
