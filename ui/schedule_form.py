"""The 作業期程 form: one row of date fields per phase, each problem under its phase.

Values live in session state under `sch_{year}_{semester}_{scope}_{i}_{field}` keys, so a
refused save keeps everything typed; copy-forward fills the same keys before the form draws.
Streamlit drops a widget's state when it is not drawn (another scope or page chosen), so a
refused or copied schedule is also kept as `{prefix}_draft` and comes back from there.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import auth
from dashboard.records import schedule
from ui import state

SS = st.session_state


def _prefix(year: int, semester: int, division: str | None) -> str:
    return f"sch_{year}_{semester}_{division or 'all'}"


def _fill(prefix: str, entries: list[schedule.PhaseEntry]) -> None:
    by_phase = {e.phase: e for e in entries}
    for i, phase in enumerate(schedule.PHASES):
        e = by_phase.get(phase)
        SS[f"{prefix}_{i}_start"] = None if e is None else e.start_date
        SS[f"{prefix}_{i}_end"] = None if e is None else e.end_date
        SS[f"{prefix}_{i}_check"] = None if e is None else e.self_check_date
        SS[f"{prefix}_{i}_unit"] = "" if e is None else e.unit
    SS[f"{prefix}_loaded"] = True


def entries_from_state(prefix: str) -> list[schedule.PhaseEntry]:
    def day(key: str) -> date | None:
        value = SS.get(key)
        return value if isinstance(value, date) else None

    return [
        schedule.PhaseEntry(
            phase=phase,
            start_date=day(f"{prefix}_{i}_start"),
            end_date=day(f"{prefix}_{i}_end"),
            self_check_date=day(f"{prefix}_{i}_check"),
            unit=str(SS.get(f"{prefix}_{i}_unit") or "").strip(),
        )
        for i, phase in enumerate(schedule.PHASES)
    ]


def _messages(found: dict[str, str], phase: str) -> list[str]:
    return [m for k, m in found.items() if k.split(".", 1)[0] == phase]


def render(user: auth.User, year: int, semester: int, division: str | None) -> None:
    con = state.connection()
    prefix = _prefix(year, semester, division)
    stored = schedule.load(con, year, semester, division)
    if not SS.get(f"{prefix}_loaded") or f"{prefix}_0_start" not in SS:
        draft = SS.get(f"{prefix}_draft")
        _fill(prefix, draft or stored)
        if not draft:  # the form shows what is stored now: a save must find it unchanged
            SS[f"{prefix}_version"] = schedule.version(con, year, semester, division)
    if st.button(
        "帶入去年同學期期程（日期順延 52 週，星期不變）", key="schedule_copy", icon=":material/content_copy:"
    ):
        copied = schedule.copy_forward(con, year, semester, division)
        if copied and any(e.start_date for e in copied):
            _fill(prefix, copied)
            SS[f"{prefix}_draft"] = copied
            SS["schedule_flash"] = "已帶入去年的期程，請逐項確認後儲存（尚未寫入）。"
        else:
            SS["schedule_flash"] = "去年同學期沒有這個範圍的期程可以帶入。"
        st.rerun()
    problems: dict[str, str] = SS.get(f"{prefix}_problems") or {}
    warnings = schedule.check(con, year, semester, division, entries_from_state(prefix)).warnings
    general = {k: m for k, m in problems.items() if k.split(".", 1)[0] not in schedule.PHASES}
    for message in general.values():  # not about one phase: the version check, the role
        st.error(message, icon=":material/error:")
    if "version" in problems and st.button(
        "載入最新期程（放棄畫面上的修改）", key="schedule_reload", icon=":material/refresh:"
    ):
        for suffix in ("problems", "draft", "version", "loaded"):
            SS.pop(f"{prefix}_{suffix}", None)
        st.rerun()
    if len(problems) > len(general):
        st.error(
            f"尚未儲存：有 {len(problems) - len(general)} 個問題，已標示在各項目下方。",
            icon=":material/error:",
        )
    elif SS.get(f"{prefix}_draft"):
        st.info("下方是尚未儲存的期程，確認後請按「儲存作業期程」。", icon=":material/edit_note:")
    elif not any(not e.is_empty for e in stored):
        st.caption(
            "這個範圍尚未儲存期程。"
            + ("" if division is None else "留空的項目沿用全校期程；只在本部別日期不同時填寫。")
        )
    with st.form(f"{prefix}_form", border=True):
        for i, phase in enumerate(schedule.PHASES):
            st.markdown(f"**{phase}**")
            cols = st.columns([1, 1, 1, 2])
            cols[0].date_input("開始日期", value=None, key=f"{prefix}_{i}_start", format="YYYY/MM/DD")
            cols[1].date_input("結束日期（含當天）", value=None, key=f"{prefix}_{i}_end", format="YYYY/MM/DD")
            cols[2].date_input("自我檢核日期", value=None, key=f"{prefix}_{i}_check", format="YYYY/MM/DD")
            cols[3].text_input("負責單位", key=f"{prefix}_{i}_unit")
            for message in _messages(problems, phase):
                st.error(message, icon=":material/error:")
            for message in _messages(warnings, phase):
                st.warning(message, icon=":material/info:")
        submitted = st.form_submit_button(
            "儲存作業期程", key="schedule_save", icon=":material/save:", type="primary"
        )
    if not submitted:
        return
    entries = entries_from_state(prefix)
    try:
        schedule.save(
            con, year, semester, division, entries, user, expected_version=SS.get(f"{prefix}_version")
        )
    except schedule.ScheduleError as refused:
        SS[f"{prefix}_problems"] = refused.problems
        SS[f"{prefix}_draft"] = entries
        st.rerun()
    SS.pop(f"{prefix}_problems", None)
    SS.pop(f"{prefix}_draft", None)
    SS.pop(f"{prefix}_version", None)  # taken again from what is now stored
    SS[f"{prefix}_loaded"] = False  # reload what was stored
    state.data_changed()
    SS["schedule_flash"] = "已儲存作業期程；總覽與學期進度的時間軸已更新。"
    st.rerun()
