"""趨勢: every headline rate over all semesters in the database, against the working group's
targets with traffic lights; 執行秘書 and 管理者 set the targets here."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import auth, exports
from dashboard.formatting import roc_datetime
from dashboard.measures import metrics, targets, trends
from ui import state
from ui.common import (
    DIVISION_OPTIONS,
    as_of_caption,
    division_param,
    division_picker,
    excel_download,
    percent,
)

LIGHT_LABELS: dict[str, str] = {"green": "綠燈", "amber": "黃燈", "red": "紅燈", "grey": "灰燈"}
LIGHT_COLOURS: dict[str, str] = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "grey": "#9e9e9e"}
LIGHT_TINTS: dict[str, str] = {"green": "#c8e6c9", "amber": "#fff0b3", "red": "#ffcdd2", "grey": "#eeeeee"}
_POINTS = f"{targets.AMBER_POINTS * 100:.0f} 個百分點"
LEGEND = (
    f":green-badge[綠燈] 達到目標值　:orange-badge[黃燈] 低於目標值 {_POINTS}以內（含）　"
    f":red-badge[紅燈] 低於目標值超過 {_POINTS}　"
    ":gray-badge[灰燈] 沒有數字（例如該學期沒有送出認證的成果）或沒有目標值"
)
SCOPE_LABELS = {None: "全校（兩部別）", "日間部": "日間部", "進修部": "進修部"}


def change_text(points: float | None) -> str:
    """+1.2 個百分點 / −0.8 個百分點 (a true minus sign) / — when there is nothing to compare."""
    if points is None:
        return "—"
    if points > 0:
        return f"+{points:.1f} 個百分點"
    if points < 0:
        return f"−{-points:.1f} 個百分點"
    return "0.0 個百分點"


def _code(year: int, semester: int) -> str:
    return metrics.semester_code(year, semester)


def _chart(metric: str, points: list[trends.TrendPoint]) -> go.Figure:
    x = [_code(p.year, p.semester) for p in points]
    values = [None if p.value is None else p.value * 100 for p in points]
    goal = [None if p.target is None else p.target * 100 for p in points]
    fig = go.Figure(
        [
            go.Scatter(
                x=x,
                y=values,
                mode="lines+markers",
                name=targets.METRICS[metric],
                line={"color": "#546e7a"},
                marker={
                    "size": 12,
                    "color": [LIGHT_COLOURS[p.light] for p in points],
                    "line": {"color": "#37474f", "width": 1},
                },
                customdata=[[LIGHT_LABELS[p.light], change_text(p.change_points)] for p in points],
                hovertemplate="%{x}：%{y:.1f}%　%{customdata[0]}　較前期 %{customdata[1]}<extra></extra>",
            ),
            go.Scatter(
                x=x,
                y=goal,
                mode="lines",
                name="目標值",
                line={"color": "#757575", "dash": "dash", "shape": "hv"},
                hovertemplate="目標值 %{y:.1f}%<extra></extra>",
            ),
        ]
    )
    known = [v for v in values + goal if v is not None]
    low = max(0.0, min(known) - 10) if known else 0.0
    fig.update_layout(
        title=targets.METRICS[metric] + ("（每學年，標在第 2 學期）" if metric in trends.PER_YEAR else ""),
        height=300,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        yaxis={"range": [low, 102], "ticksuffix": "%"},
        xaxis={"type": "category"},
        showlegend=False,
    )
    return fig


def _wide(
    points: list[trends.TrendPoint], semesters: Sequence[tuple[int, int]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Semester rows × (rate, change) per metric, and the light of every rate cell."""
    by_key = {(p.metric, p.year, p.semester): p for p in points}
    rows, lights = [], []
    for year, semester in semesters:
        row: dict[str, str] = {"學期": _code(year, semester)}
        light_row: dict[str, str] = {"學期": ""}
        for metric, label in targets.METRICS.items():
            point = by_key.get((metric, year, semester))
            row[label] = "" if point is None else percent(point.value)
            row[f"{label}較前期"] = "" if point is None else change_text(point.change_points)
            light_row[label] = "" if point is None else point.light
            light_row[f"{label}較前期"] = ""
        rows.append(row)
        lights.append(light_row)
    return pd.DataFrame(rows), pd.DataFrame(lights)


def _detail(points: list[trends.TrendPoint]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "學期": [_code(p.year, p.semester) for p in points],
            "指標": [targets.METRICS[p.metric] for p in points],
            "數值": [percent(p.value) for p in points],
            "較前期": [change_text(p.change_points) for p in points],
            "目標值": [percent(p.target) for p in points],
            "燈號": [LIGHT_LABELS[p.light] for p in points],
        }
    )


def _trend_section(division: str | None, div_label: str, semesters: list[tuple[int, int]]) -> None:
    points = trends.trend_points(
        semesters,
        lambda y, s: state.semester_metrics(y, s, division),
        lambda y: state.year_metrics(y, division),
        state.targets_table(),
        division,
    )
    span = f"{_code(*semesters[0])}至{_code(*semesters[-1])}"
    columns = st.columns(2)
    for i, metric in enumerate(trends.TREND_METRICS):
        series = [p for p in points if p.metric == metric]
        columns[i % 2].plotly_chart(_chart(metric, series), key=f"trends_chart_{metric}")
    st.caption("最新學期若仍在進行中，其數字會隨上傳、認證與諮詢的進度上升，與已結束的學期比較時請留意。")
    wide, lights = _wide(points, semesters)
    styled = wide.style.apply(
        lambda _: lights.map(lambda c: f"background-color: {LIGHT_TINTS[c]}" if c else ""), axis=None
    ).format(na_rep="—")
    st.markdown("**各學期數值與較前期變化**（底色為燈號）")
    st.dataframe(styled, hide_index=True, key="trends_table")
    excel_download({"趨勢": wide}, exports.export_file_name(span, "趨勢", div_label), key="trends_export")
    with st.expander("逐項明細：目標值與燈號", expanded=False, icon=":material/traffic:"):
        detail = _detail(points)
        st.dataframe(detail, hide_index=True, height="content", key="trends_detail_table")
        excel_download(
            {"趨勢明細": detail},
            exports.export_file_name(span, "趨勢明細", div_label),
            key="trends_detail_export",
        )


def _targets_frame(rows: list[targets.Target], year: int, division: str | None) -> pd.DataFrame:
    out = []
    for metric, label in targets.METRICS.items():
        found = targets.in_force(rows, metric, year, division)
        suggested = (
            found is not None and found.set_by == targets.DEFAULT_SET_BY and metric in targets.SUGGESTED
        )
        out.append(
            {
                "指標": label,
                "目標值": percent(None if found is None else found.target),
                "適用範圍": "" if found is None else SCOPE_LABELS[found.division],
                "生效學年度": "" if found is None else str(found.effective_from_year),
                "設定者": "" if found is None else found.set_by,
                "設定時間": "—" if found is None else roc_datetime(found.set_at),
                "說明": "儀表板建議值（非法規規定）" if suggested else "",
            }
        )
    return pd.DataFrame(out)


def _history_frame(rows: list[targets.Target]) -> pd.DataFrame:
    order = list(targets.METRICS)
    rows = sorted(
        rows,
        key=lambda r: (order.index(r.metric) if r.metric in order else len(order), r.effective_from_year),
    )
    return pd.DataFrame(
        {
            "指標": [targets.METRICS.get(r.metric, r.metric) for r in rows],
            "適用範圍": [SCOPE_LABELS.get(r.division, r.division or "") for r in rows],
            "生效學年度": [r.effective_from_year for r in rows],
            "目標值": [percent(r.target) for r in rows],
            "設定者": [r.set_by for r in rows],
            "設定時間": [roc_datetime(r.set_at) for r in rows],
        }
    )


def _form(user: auth.User, division: str | None, last_year: int) -> None:
    """The target form: every problem shown under its field, the input kept when refused."""
    with st.form(key="targets_form"):
        st.markdown("**設定目標值**")
        metric = st.selectbox(
            "指標", list(targets.METRICS), key="targets_metric", format_func=lambda m: targets.METRICS[m]
        )
        metric_msg = st.empty()
        scope = st.selectbox(
            "適用範圍",
            DIVISION_OPTIONS,
            index=DIVISION_OPTIONS.index(metrics.division_label(division)),
            key="targets_division",
            format_func=lambda d: SCOPE_LABELS[division_param(d)],
        )
        division_msg = st.empty()
        year = st.number_input("生效學年度（民國）", value=last_year, step=1, format="%d", key="targets_year")
        year_msg = st.empty()
        value = st.number_input(
            "目標值（%）", value=None, step=0.5, format="%.1f", key="targets_value", placeholder="例如 95"
        )
        value_msg = st.empty()
        submitted = st.form_submit_button("儲存目標值", key="targets_submit", icon=":material/save:")
    st.caption("同一指標、範圍與生效學年度只保留一筆，再次儲存即取代；部別的目標值優先於全校目標值。")
    if not submitted:
        return
    fraction = None if value is None else value / 100
    try:
        saved = targets.set_target(
            state.connection(), metric, fraction, int(year), division_param(scope), user
        )
    except targets.TargetError as refused:
        places = {"metric": metric_msg, "division": division_msg, "year": year_msg, "value": value_msg}
        for field, message in refused.problems.items():
            places.get(field, st).error(message, icon=":material/error:")
        st.error("目標值沒有儲存，請依上方說明修正後再送出。", icon=":material/error:")
        return
    state.data_changed()
    st.success(
        f"已儲存：{targets.METRICS[saved.metric]}（{SCOPE_LABELS[saved.division]}）自 "
        f"{saved.effective_from_year} 學年度起目標值 {percent(saved.target)}；上方燈號已依新目標值更新。",
        icon=":material/check_circle:",
    )


def _targets_section(user: auth.User, division: str | None, div_label: str, last_year: int) -> None:
    st.subheader("目標值")
    table_area = st.container()
    if user.can("set_targets"):
        with st.columns([1, 1])[0]:
            _form(user, division, last_year)
    else:
        st.caption("目標值由執行秘書或管理者設定；您的角色可以檢視。")
    rows = state.targets_table()
    with table_area:
        suggested = "、".join(targets.METRICS[m] for m in targets.METRICS if m in targets.SUGGESTED)
        st.info(
            f"{suggested}的預設目標值是本儀表板的建議值，並非法規規定，請工作小組討論後調整。",
            icon=":material/info:",
        )
        st.markdown(f"**{last_year}學年度適用於{div_label}的目標值**")
        in_force = _targets_frame(rows, last_year, division)
        st.dataframe(in_force, hide_index=True, key="targets_table")
        excel_download(
            {"目標值": in_force},
            exports.export_file_name(str(last_year), "目標值", div_label),
            key="targets_export",
        )
        with st.expander("全部設定紀錄", expanded=False, icon=":material/history:"):
            history = _history_frame(rows)
            st.dataframe(history, hide_index=True, key="targets_history_table")
            excel_download({"目標值設定紀錄": history}, "目標值設定紀錄.xlsx", key="targets_history_export")


def render() -> None:
    user = state.require("view_dashboard")
    st.title("趨勢")
    division = division_picker("trends_division")
    div_label = metrics.division_label(division)
    semesters = sorted(state.semesters())
    if not semesters:
        st.info("資料庫尚無學期資料；請先到「資料匯入」匯入平臺匯出檔。", icon=":material/info:")
        return
    span = f"{metrics.semester_label(*semesters[0])}至{metrics.semester_label(*semesters[-1])}（全部學期）"
    st.caption(as_of_caption(span, div_label))
    st.markdown(LEGEND)
    board = st.container()
    # The form runs first (below the board on screen), so a saved target already colours the
    # board of this same run.
    _targets_section(user, division, div_label, semesters[-1][0])
    with board:
        _trend_section(division, div_label, semesters)


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
