"""The meeting record form: header fields, attendance per seat with the live quorum, 列席
guests, 上次會議決議執行情形, and agenda items with topic tags and follow-up fields.

The form never loses what the user typed: its values live in session state under `mt_*`
keys, a refused save leaves them in place with each problem under its field, and a shadow copy
restores them when the user visits another page and comes back. The save names the version the
form was loaded from, so a second editor's stale save is refused by the core.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.measures import targets
from dashboard.records import committee, meetings, resolutions
from ui import state

SS = st.session_state
SHADOW = "mt__shadow"  # not a widget key: survives Streamlit's clean-up of unrendered widgets
NO_METRIC = ""


# --- loading the form ---------------------------------------------------------------------


def _hhmm(text: str) -> time | None:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return None


def _period(item: meetings.Item, year: int, semester: int) -> str:
    y = item.metric_year or year
    s = item.metric_semester or semester
    return f"{y}-{s}"


def load_into_state(draft: meetings.MeetingDraft, marker: tuple[Any, int]) -> None:
    """Put a draft into the form's session state (replacing whatever the form held)."""
    for key in [k for k in SS if isinstance(k, str) and k.startswith("mt_")]:
        del SS[key]
    SS.pop(SHADOW, None)
    SS["mt_loaded"] = marker
    SS["mt_year"] = draft.school_year
    SS["mt_semester"] = draft.semester
    SS["mt_seq"] = draft.sequence_no
    SS["mt_seq_semester"] = draft.semester
    SS["mt_held_on"] = draft.held_on
    SS["mt_start"] = _hhmm(draft.start_time)
    SS["mt_end"] = _hhmm(draft.end_time) if draft.end_time else None
    SS["mt_place"] = draft.place
    SS["mt_chair"] = draft.chair
    SS["mt_recorder"] = draft.recorder
    SS["mt_att_base"] = pd.DataFrame(
        [
            {
                "席次": a.seat_no,
                "職稱": committee.SEAT_BY_NO[a.seat_no].name,
                "姓名": a.person_name,
                "出席情形": a.attendance,
                "代理人": a.deputy_name,
            }
            for a in sorted(draft.attendance, key=lambda a: a.seat_no)
        ]
    )
    SS["mt_guest_base"] = pd.DataFrame(
        [{"姓名": g.name, "職稱": g.title} for g in draft.guests], columns=["姓名", "職稱"]
    )
    SS["mt_fu_base"] = _follow_up_frame(draft.follow_ups)
    SS["mt_fu_day"] = draft.held_on
    SS["mt_meeting_id"] = marker[0] if isinstance(marker[0], int) else None
    SS["mt_items"] = []
    SS["mt_next_uid"] = 0
    for item in draft.items:
        _add_item(item, draft.school_year, draft.semester)


def _follow_up_frame(follow_ups: list[meetings.FollowUp]) -> pd.DataFrame:
    known = {r.item_id: r for r in resolutions.all_resolutions(state.connection())}
    rows = []
    for f in follow_ups:
        r = known.get(f.item_id)
        if r is None:
            continue
        rows.append(
            {
                "item_id": f.item_id,
                "會次": r.session_label.replace("工作小組會議", ""),
                "案由": r.title,
                "決議": r.decision,
                "負責單位": r.owner_unit,
                "執行期限": r.due_date,
                "執行情形": f.status,
                "說明": f.note,
            }
        )
    # what the secretary fills in comes right after 案由, so it is on screen without scrolling
    columns = ["item_id", "會次", "案由", "執行情形", "說明", "負責單位", "執行期限", "決議"]
    return pd.DataFrame(rows, columns=columns)


def _refresh_follow_ups() -> None:
    """A changed meeting date changes which earlier resolutions are carried over; statuses the
    user already set for a resolution that is still carried over are kept."""
    day = SS.get("mt_held_on")
    if day is None or day == SS.get("mt_fu_day"):
        return
    current = SS_FRAMES.get("mt_fu_base", SS["mt_fu_base"])
    kept = {int(r["item_id"]): (r["執行情形"], r["說明"]) for r in current.to_dict("records")}
    open_ones = resolutions.open_before(state.connection(), day, exclude_meeting=SS.get("mt_meeting_id"))
    follow_ups = [meetings.FollowUp(r.item_id, *kept.get(r.item_id, (r.status, r.note))) for r in open_ones]
    SS["mt_fu_base"] = _follow_up_frame(follow_ups)
    SS["mt_fu_day"] = day
    SS.pop("mte_fu", None)


def _add_item(item: meetings.Item, year: int, semester: int) -> None:
    uid = SS["mt_next_uid"]
    SS["mt_next_uid"] = uid + 1
    SS["mt_items"] = [*SS["mt_items"], uid]
    p = f"mt_i{uid}_"
    SS[p + "id"] = item.item_id
    SS[p + "section"] = item.section
    SS[p + "title"] = item.title
    SS[p + "explanation"] = item.explanation
    SS[p + "decision"] = item.decision
    SS[p + "topics"] = list(item.topics)
    for name in ("for", "against", "abstain"):
        value = getattr(item, f"votes_{name}")
        SS[p + name] = "" if value is None else str(value)
    SS[p + "owner"] = item.owner_unit
    SS[p + "due"] = item.due_date
    SS[p + "metric"] = item.metric_key or NO_METRIC
    SS[p + "period"] = _period(item, year, semester)
    SS[p + "target"] = "" if item.metric_target is None else f"{item.metric_target * 100:g}"


def ensure_loaded(marker: tuple[Any, int], load: Any) -> None:
    """Load the form for `marker` (meeting id or "new", version) unless it already holds that
    meeting; restore the shadow copy when Streamlit dropped the widget values while the user
    was on another page. A newer version in the database never replaces the user's input: the
    save is refused instead and the user chooses to reload."""
    loaded = SS.get("mt_loaded")
    if loaded is not None and loaded[0] == marker[0] and "mt_place" in SS:
        return  # the same meeting, whatever version the database has now: keep the input
    shadow = SS.get(SHADOW)
    if shadow is not None and shadow.get("mt_loaded", (None,))[0] == marker[0]:
        for key, value in shadow.items():
            SS[key] = value
        return
    load_into_state(load(), marker)


def keep_shadow() -> None:
    """Copy the form's values (mt_* keys; buttons are mtb_*, tables mte_*) and this run's
    edited tables, so ensure_loaded can bring them back."""
    shadow = {k: SS[k] for k in SS if isinstance(k, str) and k.startswith("mt_")}
    shadow.update(SS_FRAMES)
    SS[SHADOW] = shadow


# This run's edited tables, by the base key they replace when the form is restored.
SS_FRAMES: dict[str, pd.DataFrame] = {}


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


def _int_or_problem(text: str, key: str, label: str, problems: dict[str, str]) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    problems[key] = f"{label}「{text}」不是整數。"
    return None


def _items_from_state(year: int, problems: dict[str, str]) -> list[meetings.Item]:
    items = []
    for index, uid in enumerate(SS["mt_items"]):
        p = f"mt_i{uid}_"
        votes = {
            name: _int_or_problem(SS.get(p + name, ""), f"items.{index}.votes", "票數", problems)
            for name in ("for", "against", "abstain")
        }
        metric = SS.get(p + "metric") or ""
        target_text = (SS.get(p + "target") or "").strip()
        target: float | None = None
        if target_text:
            try:
                target = float(target_text) / 100
            except ValueError:
                problems[f"items.{index}.metric"] = f"目標值「{target_text}」不是數字；請填百分比，例如 95。"
        period = str(SS.get(p + "period") or f"{year}-1")
        metric_year, metric_semester = (int(x) for x in period.split("-"))
        items.append(
            meetings.Item(
                section=SS.get(p + "section", "討論事項"),
                title=SS.get(p + "title", ""),
                explanation=SS.get(p + "explanation", ""),
                decision=SS.get(p + "decision", ""),
                topics=list(SS.get(p + "topics", [])),
                votes_for=votes["for"],
                votes_against=votes["against"],
                votes_abstain=votes["abstain"],
                owner_unit=SS.get(p + "owner", ""),
                due_date=SS.get(p + "due"),
                metric_key=metric,
                metric_year=metric_year if metric else None,
                metric_semester=metric_semester if metric and metric != "selection_rate" else None,
                metric_target=target if metric else None,
                item_id=SS.get(p + "id"),
            )
        )
    return items


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def draft_from_state(problems: dict[str, str]) -> meetings.MeetingDraft:
    """The draft the widgets hold now; page-level parse problems are added to `problems`."""
    year = int(SS["mt_year"])
    att = SS_FRAMES.get("mt_att_base", SS["mt_att_base"])
    guests = SS_FRAMES.get("mt_guest_base", SS["mt_guest_base"])
    follow = SS_FRAMES.get("mt_fu_base", SS["mt_fu_base"])
    start, end = SS.get("mt_start"), SS.get("mt_end")
    return meetings.MeetingDraft(
        school_year=year,
        semester=int(SS["mt_semester"]),
        sequence_no=int(SS.get("mt_seq") or 0),
        held_on=SS.get("mt_held_on"),
        start_time="" if start is None else f"{start:%H:%M}",
        end_time="" if end is None else f"{end:%H:%M}",
        place=SS.get("mt_place", ""),
        chair=SS.get("mt_chair", ""),
        recorder=SS.get("mt_recorder", ""),
        attendance=[
            meetings.Attendance(
                int(r["席次"]), _text(r["姓名"]), _text(r["出席情形"]) or "出席", _text(r["代理人"])
            )
            for r in att.to_dict("records")
        ],
        guests=[
            meetings.Guest(_text(r["姓名"]), _text(r["職稱"]))
            for r in guests.to_dict("records")
            if _text(r["姓名"]) or _text(r["職稱"])
        ],
        items=_items_from_state(year, problems),
        follow_ups=[
            meetings.FollowUp(int(r["item_id"]), _text(r["執行情形"]), _text(r["說明"]))
            for r in follow.to_dict("records")
        ],
    )


def render_form(problems: dict[str, str]) -> None:
    """Every field of the record, with `problems` shown under their fields."""
    SS_FRAMES.clear()
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
    SS_FRAMES["mt_att_base"] = att
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
    SS_FRAMES["mt_guest_base"] = st.data_editor(
        SS["mt_guest_base"], key="mte_guest", hide_index=True, num_rows="dynamic", width="stretch"
    )
    _problems_starting(problems, "guests.")

    st.subheader("上次會議決議執行情形")
    if SS["mt_fu_base"].empty:
        st.caption("沒有以前會議尚未完成的決議。")
    else:
        SS_FRAMES["mt_fu_base"] = st.data_editor(
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
                "執行期限": st.column_config.DateColumn("執行期限", format="YYYY-MM-DD"),
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


def save(user: auth.User, meeting_id: int | None, version: int | None) -> meetings.Meeting | None:
    """Validate and save; on refusal the problems go to session state and the input stays."""
    problems: dict[str, str] = {}
    draft = draft_from_state(problems)
    if problems:
        SS["mt_problems"] = problems
        return None
    try:
        saved = meetings.save(
            state.connection(), draft, user, meeting_id=meeting_id, expected_version=version
        )
    except meetings.MeetingError as refused:
        SS["mt_problems"] = dict(refused.problems)
        SS["mt_stale"] = isinstance(refused, meetings.StaleMeetingError)
        return None
    SS.pop("mt_problems", None)
    SS.pop("mt_stale", None)
    state.data_changed()
    return saved


def today() -> date:
    return date.today()
