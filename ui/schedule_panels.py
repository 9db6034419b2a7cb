"""The semester's 作業期程 as a timeline (總覽, 學期進度, 作業期程) and the self-checks notice."""

from __future__ import annotations

from datetime import date, datetime

import plotly.graph_objects as go
import streamlit as st

from dashboard.formatting import roc_date
from dashboard.measures import pipeline, pipeline_tables
from dashboard.records import selfchecks
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
        text=f"今天 {roc_date(today)}", font={"color": "#1f4e9c"},
    )  # fmt: skip


@st.cache_data(ttl=600, show_spinner=False)
def missed(today: date) -> list[selfchecks.SelfCheckStatus]:
    return selfchecks.missed(state.connection(), today)


@st.cache_data(ttl=600, show_spinner=False)
def due_today(year: int, semester: int, today: date) -> list[selfchecks.SelfCheckStatus]:
    return [
        s for s in selfchecks.statuses(state.connection(), year, semester, today) if s.state == "今日應檢核"
    ]


def _line(s: selfchecks.SelfCheckStatus, when: str) -> str:
    return f"- {s.year}-{s.semester} {s.phase}（{s.division or '全校'}，{s.unit or '未填負責單位'}）：{when}"


def selfcheck_notice(year: int, semester: int, today: date, key: str) -> None:
    """Art. 5's self-checks on 總覽: those due today in the semester shown, and those whose date
    has passed with nothing recorded, in any semester. Both go by today (school records)."""
    due = due_today(year, semester, today)
    late = missed(today)
    with st.container(border=True, key=key):
        head = "**自我檢核（補充規定第五點）**"
        if not due and not late:
            st.markdown(f"{head}：今天（{roc_date(today)}）沒有應檢核的項目，到期的自我檢核都已記錄。")
            return
        parts = [f"今天 {len(due)} 項應檢核"] if due else []
        parts += [f"{len(late)} 項已過檢核日期而尚未記錄"] if late else []
        st.markdown(f"{head}：{'；'.join(parts)}（以 {roc_date(today)} 計；請到「作業期程」頁登錄）")
        lines = [_line(s, "今天應檢核") for s in due]
        lines += [
            _line(
                s,
                f"應於 {roc_date(s.self_check_date)} 檢核，已逾 {s.days_overdue} 天",
            )
            for s in late[:8]
        ]
        if len(late) > 8:
            lines.append(f"- …另 {len(late) - 8} 項逾期未記錄，見「作業期程」頁")
        st.markdown("\n".join(lines))
