"""The semester's 作業期程 as a timeline (總覽 and 作業期程) and the missed self-checks notice."""

from __future__ import annotations

from datetime import date, datetime

import plotly.graph_objects as go
import streamlit as st

from dashboard import pipeline, pipeline_tables, selfchecks
from ui import state

DIVISIONS = ("日間部", "進修部")


@st.cache_data(ttl=600, show_spinner=False)
def timeline(year: int, semester: int) -> pipeline.Pipeline:
    """Only the phases (no funnel): both divisions, states as of 資料截至."""
    con = state.connection()
    as_of = state.as_of()
    rows = pipeline.phase_rows(con, year)
    bars = pipeline.timeline(rows, year, semester, DIVISIONS, as_of)
    return pipeline.Pipeline(year, semester, None, as_of, stages=(), rosters=(), timeline=bars)


def timeline_chart(year: int, semester: int, today: date, key: str) -> None:
    """Phases as bars with 資料截至 (the figures' moment) and today marked."""
    p = timeline(year, semester)
    if not p.timeline:
        st.info("本學期尚未設定作業期程；請到「作業期程」頁建立。", icon=":material/event_busy:")
        return
    fig: go.Figure = pipeline_tables.timeline_figure(p)
    mark_today(fig, p.as_of, today)
    st.plotly_chart(fig, key=key, config={"displayModeBar": False})


def mark_today(fig: go.Figure, as_of: datetime | None, today: date) -> None:
    """A dotted line for today beside the figures' 資料截至 line (the school's own records, such as
    self-checks, go by today; the figures by 資料截至). One line when they fall on the same day.
    The label sits inside the plot at the foot of the line, clear of the date ticks on a phone."""
    if as_of is not None and as_of.date() == today:
        return
    moment = datetime.combine(today, datetime.min.time())
    fig.add_shape(
        type="line", x0=moment, x1=moment, y0=0, y1=1, yref="paper",
        line={"color": "#1f4e9c", "width": 2, "dash": "dot"},
    )  # fmt: skip
    fig.add_annotation(
        x=moment, y=0, yref="paper", yanchor="bottom", xanchor="left", xshift=3, showarrow=False,
        text=f"今天 {today.year - 1911}/{today:%m/%d}", font={"color": "#1f4e9c"},
    )  # fmt: skip


@st.cache_data(ttl=600, show_spinner=False)
def missed(today: date) -> list[selfchecks.SelfCheckStatus]:
    return selfchecks.missed(state.connection(), today)


def missed_notice(today: date, key: str) -> None:
    """Self-checks whose date has passed with nothing recorded (Art. 5), across semesters."""
    late = missed(today)
    with st.container(border=True, key=key):
        if not late:
            st.markdown("**自我檢核（補充規定第五點）**：到期的自我檢核都已記錄。")
            return
        st.markdown(f"**自我檢核（補充規定第五點）**：{len(late)} 項已過檢核日期而尚未記錄")
        lines = [
            f"- {s.year}-{s.semester} {s.phase}（{s.division or '全校'}，{s.unit or '未填負責單位'}）："
            f"應於 {s.self_check_date.year - 1911}/{s.self_check_date:%m/%d} 檢核"
            for s in late[:8]
        ]
        if len(late) > 8:
            lines.append(f"- …另 {len(late) - 8} 項，見「作業期程」頁")
        st.markdown("\n".join(lines))
