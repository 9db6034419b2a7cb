"""What the 學期進度 page shows, as plain text, frames and a figure: no Streamlit here.

Turns dashboard.measures.pipeline's stages and the pipeline_* queries into the sentences, Chinese-headed
tables (the same frames go to the screen and to Excel) and the timeline chart the page renders.
Students' names are masked here unless the caller may see them; 身分證號 is never selected.
It must not import streamlit or compute a figure metrics.py defines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import roc_date, roc_datetime, roc_month
from dashboard.measures.pipeline import PhaseStatus, Pipeline, Stage
from dashboard.privacy import mask_name

_NUMERALS = {c: str(i) for i, c in enumerate("一二三四五六七八九", start=1)}
_STEMS = {c: str(i) for i, c in enumerate("甲乙丙丁戊己庚辛壬癸", start=1)}
STATE_COLOURS = {"已結束": "#9e9e9e", "進行中": "#1f77b4", "未開始": "#c6dbef", "未知": "#bdbdbd"}

GROUP_COLUMNS = {
    "students_active": "在籍學生",
    "students_with_upload": "已上傳人數",
    "upload_rate": "上傳率",
    "uploaded": "上傳件數",
    "submitted": "已送出認證",
    "passed": "通過",
    "failed": "未通過",
    "pending": "待認證",
    "certification_rate": "認證完成率",
    "students_over_cap": "超過上限人數",
}
RATE_COLUMNS = ("上傳率", "認證完成率", "比率")


def class_sort_key(name: str) -> str:
    """機一甲 < 機一乙 < 機一丙 < 機二甲: grades and 天干 in school order, not code-point order."""
    return "".join(_NUMERALS.get(c) or _STEMS.get(c) or c for c in name)


def _one_phase(p: PhaseStatus) -> str:
    if p.state == "未開始":
        return f"{roc_date(p.start_date)} 開始（尚有 {p.days_to_start} 天），{roc_date(p.end_date)} 截止"
    if p.state == "進行中" and p.days_left == 1:
        return f"{roc_date(p.end_date)} 截止，今天是最後一天"
    if p.state == "進行中":
        return f"{roc_date(p.end_date)} 截止，尚餘 {p.days_left} 天"
    if p.state == "已結束":
        return f"{roc_date(p.end_date)} 已截止（{p.days_since_end} 天前）"
    return f"{roc_date(p.start_date)}–{roc_date(p.end_date)}"


def phase_sentence(stage: Stage, semester: int) -> str:
    """「教師認證 116/02/09 截止，尚餘 86 天」; per division when the divisions' dates differ."""
    where = "" if stage.phase_semester == semester else f"（{stage.phase_year}-{stage.phase_semester}）"
    name = f"{stage.phase}{where}"
    if not stage.phases:
        return f"作業期程未設定「{stage.phase}」（{stage.phase_year}學年度第{stage.phase_semester}學期）"
    if len(stage.phases) == 1 and stage.phases[0].division is None:
        return f"{name} {_one_phase(stage.phases[0])}"
    return f"{name}：" + "；".join(f"{p.division} {_one_phase(p)}" for p in stage.phases)


def stage_state(stage: Stage) -> tuple[str, str]:
    """(label, tone) of a stage: tone is done / running / waiting / late / unknown; with the
    divisions' phases differing, the latest-running one decides (late only when all ended)."""
    if stage.complete:
        return "已完成", "done"
    states = {p.state for p in stage.phases}
    if not stage.phases:
        return "未設定期程", "unknown"
    if states == {None}:
        return "期程未知", "unknown"
    if "進行中" in states:
        return "進行中", "running"
    if "未開始" in states:
        return "未開始", "waiting"
    return f"期程已結束，尚有 {stage.remaining:,} {stage.unit}未完成", "late"


def funnel_frame(p: Pipeline) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "階段": s.label,
                "完成數": s.count,
                "基數": s.base,
                "單位": s.unit,
                "基數說明": s.base_label,
                "比率": s.rate,
                "作業期程": phase_sentence(s, p.semester),
                "狀態": stage_state(s)[0],
            }
            for s in p.stages
        ]
    )


def rosters_frame(p: Pipeline) -> pd.DataFrame:
    rows = []
    for r in p.rosters:
        on_time = "" if r.on_time is None else ("是" if r.on_time else "否")
        rows.append(
            {
                "部別": r.division,
                "名冊別": r.roster,
                "學期": "學年（0）" if r.semester == 0 else str(r.semester),
                "狀態": "已提交" if r.done else "未提交",
                "提交時間": roc_datetime(r.submitted_at),
                "準時": on_time,
                "失敗次數": r.failed_attempts,
            }
        )
    return pd.DataFrame(rows, columns=["部別", "名冊別", "學期", "狀態", "提交時間", "準時", "失敗次數"])


def _bar_label(b: PhaseStatus) -> str:
    return b.phase if b.division is None else f"{b.phase}（{b.division}）"


def timeline_frame(p: Pipeline) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "項目": b.phase,
                "部別": b.division or "全部",
                "開始日期": roc_date(b.start_date),
                "結束日期": roc_date(b.end_date),
                "狀態": b.state or "未知",
                "說明": _one_phase(b),
            }
            for b in p.timeline
        ],
        columns=["項目", "部別", "開始日期", "結束日期", "狀態", "說明"],
    )


def _roc_month_ticks(bars: Sequence[PhaseStatus], as_of: datetime | None) -> dict[str, list[str]]:
    """A tick on the first of each month up to 資料截至: the ROC year on the first tick and on
    each January (115/09, 10月, 11月, 12月, 116/01, 2月), short enough for a phone's width."""
    if not bars:
        return {}
    days = [d for b in bars for d in (b.start_date, b.end_date)] + ([as_of.date()] if as_of else [])
    start, last = min(days), max(days)
    # the first tick inside the bars' span: a first of the month before it would fall off the
    # axis and take the year label with it
    first = start if start.day == 1 else (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    months = []
    while first <= last:
        months.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    if not months:  # a span within one month: plotly's own date ticks
        return {}
    return {
        "tickvals": [m.isoformat() for m in months],
        "ticktext": [
            roc_month(m) if i == 0 or m.month == 1 else f"{m.month}月" for i, m in enumerate(months)
        ],
    }


def timeline_figure(p: Pipeline) -> go.Figure:
    """Horizontal bars over the whole end day, coloured by state; 資料截至 as a vertical line."""
    fig = go.Figure()
    labels = [_bar_label(b) for b in p.timeline]
    for state, colour in STATE_COLOURS.items():
        bars = [b for b in p.timeline if (b.state or "未知") == state]
        if not bars:
            continue
        fig.add_trace(
            go.Bar(
                name=state,
                orientation="h",
                y=[_bar_label(b) for b in bars],
                base=[b.start_date.isoformat() for b in bars],
                # Bar lengths on a date axis are milliseconds; +1 day because the end day counts.
                x=[((b.end_date - b.start_date) + timedelta(days=1)).days * 86_400_000 for b in bars],
                marker_color=colour,
                customdata=[[_one_phase(b)] for b in bars],
                hovertemplate="%{y}<br>%{customdata[0]}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="overlay",
        showlegend=True,
        height=90 + 34 * max(len(labels), 1),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        # upright ticks: turned on a phone they ran into the legend and lost the year
        xaxis={
            "type": "date",
            "tickangle": 0,
            "tickfont": {"size": 10},
            **_roc_month_ticks(p.timeline, p.as_of),
        },
        yaxis={"categoryorder": "array", "categoryarray": list(reversed(labels))},
    )
    if p.as_of is not None:
        fig.add_shape(
            type="line",
            x0=p.as_of,
            x1=p.as_of,
            y0=0,
            y1=1,
            yref="paper",
            line={"color": "#d62728", "width": 2},
        )
        fig.add_annotation(
            x=p.as_of, y=1, yref="paper", yanchor="bottom", showarrow=False,
            text=f"資料截至 {roc_datetime(p.as_of)}", font={"color": "#d62728"},
        )  # fmt: skip
    return fig


def groups_frame(rows: Sequence[dict[str, Any]], level_label: str) -> pd.DataFrame:
    """The drill-down table of one level; 班級 in school order."""
    ordered = sorted(rows, key=lambda r: class_sort_key(r["group"])) if level_label == "班級" else rows
    frame = pd.DataFrame(list(ordered), columns=["group", *GROUP_COLUMNS])
    return frame.rename(columns={"group": level_label, **GROUP_COLUMNS})


def _names(values: pd.Series, show_names: bool) -> list[str | None]:
    return [v if show_names else mask_name(v) for v in values]


def _seat(values: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else str(int(v)) for v in values]


def students_frame(df: pd.DataFrame, show_names: bool) -> pd.DataFrame:
    """One class's students (pipeline_students rows) with their semester and year figures."""
    df = df.reset_index(drop=True)
    return pd.DataFrame(
        {
            "學號": df["student_no"],
            "姓名": _names(df["name"], show_names),
            "座號": _seat(df["seat_no"]),
            "學籍狀態": df["status"],
            "上傳件數": df["uploaded_count"],
            "已送出認證": df["submitted_count"],
            "通過": df["passed_count"],
            "未通過": df["failed_count"],
            "待認證": df["pending_count"],
            "超過上傳上限": ["是" if v else "" for v in df["over_cap"]],
            "本學年勾選件數": df["selected_count"],
            "勾選未通過件數": df["selected_not_passed_count"],
        }
    )


def student_list_frame(df: pd.DataFrame, show_names: bool, with_uploads: bool = False) -> pd.DataFrame:
    """Students of a headline list (no upload / over the cap), with where to find them."""
    df = df.reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "學號": df["student_no"],
            "姓名": _names(df["name"], show_names),
            "部別": df["division"],
            "科別": df["department"],
            "班級": df["class_name"],
            "座號": _seat(df["seat_no"]),
            "學籍狀態": df["status"],
        }
    )
    if with_uploads:
        frame["上傳件數"] = df["uploaded_count"].to_numpy()
    return frame


def selected_not_passed_frame(df: pd.DataFrame, show_names: bool) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    return pd.DataFrame(
        {
            "學號": df["student_no"],
            "姓名": _names(df["name"], show_names),
            "部別": df["division"],
            "班級": df["class_name"],
            "座號": _seat(df["seat_no"]),
            "學期": df["semester"],
            "科目名稱": df["subject_name"].fillna(""),
            "任課教師": [
                f"{code} {name}" if isinstance(name, str) else code
                for code, name in zip(df["teacher_code"], df["teacher_name"], strict=True)
            ],
            "認證狀態": df["cert_status"],
            "成果編號": df["outcome_id"],
        }
    )
