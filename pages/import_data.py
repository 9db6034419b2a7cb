"""資料匯入: upload the platform's exports, see every problem before anything is written, confirm.

Validation and writing happen in the core (dashboard.importer): all or nothing, one transaction.
This page only collects the files, shows the report and passes the clerk's confirmation on.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import importer, preview
from ui import state
from ui.common import as_of_caption, excel_download

CHECKED_KEY = "import_checked_digest"


def _files() -> list[tuple[str, bytes]]:
    uploaded = st.session_state.get("import_files") or []
    return [(f.name, f.getvalue()) for f in uploaded]


def _digest(files: list[tuple[str, bytes]], exported_at: datetime) -> str:
    h = hashlib.sha256(exported_at.isoformat().encode())
    for name, data in files:
        h.update(name.encode())
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def _scopes_text(scopes: list[Any]) -> str:
    parts = []
    for scope in scopes:
        if isinstance(scope, (list, tuple)) and len(scope) == 2:
            y, s = scope
            parts.append(f"{y}-{s}" if s is not None else f"{y}")
        else:
            parts.append(str(scope))
    return "、".join(parts) or "全部"


def _files_frame(report: importer.ImportReport, replaced: dict[tuple[str, str | None], int]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                "檔案": f.file,
                "工作表": f.sheet or "",
                "資料類型": f.kind_label or "（無法辨識）",
                "筆數": f.rows,
                "學年度-學期": _scopes_text(list(f.scopes)),
                "將取代現有筆數": replaced.get((f.file, f.sheet)),
                "狀態": "與上次匯入相同，略過" if f.skipped_identical else "",
            }
            for f in report.files
        ]
    )
    return frame if replaced else frame.drop(columns=["將取代現有筆數"], errors="ignore")


def _problems_frame(report: importer.ImportReport) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "檔案": p.file,
                "工作表": p.sheet or "",
                "列": p.row,
                "欄位": p.column or "",
                "值": p.value or "",
                "問題": p.message,
            }
            for p in report.problems
        ],
        columns=["檔案", "工作表", "列", "欄位", "值", "問題"],
    )


def _show_report(report: importer.ImportReport, summaries: list[preview.Replacement] | None = None) -> None:
    replaced = {(r.file, r.sheet): r.current_rows for r in summaries or []}
    if report.files:
        st.dataframe(
            _files_frame(report, replaced), hide_index=True, width="stretch", key="import_files_table"
        )
    for summary in summaries or []:
        for caution in summary.cautions:
            st.warning(f"{summary.file}：{caution}", icon=":material/warning:")
    if report.problems:
        st.error(
            f"發現 {len(report.problems)} 個問題，尚未寫入任何資料。請修正檔案後重新上傳。",
            icon=":material/error:",
        )
        problems = _problems_frame(report)
        st.dataframe(problems, hide_index=True, width="stretch", key="import_problems_table")
        excel_download(
            {"問題清單": problems}, "匯入問題清單.xlsx", key="import_problems_export", label="匯出問題清單"
        )


def render() -> None:
    user = state.require("import_data")
    st.title("資料匯入")
    st.caption(as_of_caption())
    st.markdown(
        "上傳校務系統或學習歷程平臺匯出的檔案（CSV、Excel 或 .zip，可一次多個）。系統依標題列辨識資料類型，"
        "先完整檢查，**全部無誤才會寫入**；同一學年度學期的舊資料會整批換成新檔內容。"
    )
    st.file_uploader(
        "選擇檔案",
        type=["csv", "xlsx", "xls", "zip"],
        accept_multiple_files=True,
        key="import_files",
    )
    c1, c2 = st.columns(2)
    now = datetime.now().replace(second=0, microsecond=0)
    day = c1.date_input("資料匯出日期（資料截至）", value=now.date(), key="import_exported_date")
    at = c2.time_input("匯出時間", value=time(now.hour, now.minute), key="import_exported_time")
    exported_at = datetime.combine(day, at)
    files = _files()
    if not files:
        st.info("尚未選擇檔案。", icon=":material/upload_file:")
        return
    digest = _digest(files, exported_at)
    if st.button("檢查檔案", key="import_check", icon=":material/fact_check:"):
        with st.spinner("檢查中…"):
            tables, report = importer.validate_files(state.connection(), files)
            summaries = preview.replacements(state.connection(), tables) if report.ok else []
        st.session_state[CHECKED_KEY] = digest if report.ok else None
        _show_report(report, summaries)
        if report.ok:
            st.success(
                f"檢查通過：{len(report.files)} 個檔案、共 {sum(f.rows for f in report.files):,} 筆。"
                "確認無誤後請按「確認匯入」。",
                icon=":material/check_circle:",
            )
    if st.session_state.get(CHECKED_KEY) == digest and st.button(
        "確認匯入", type="primary", key="import_confirm", icon=":material/database_upload:"
    ):
        bar = st.progress(0.0, text="匯入中…")

        def progress(fraction: float, message: str) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=message)

        report = importer.import_files(
            state.connection(), files, imported_by=user.username, exported_at=exported_at, progress=progress
        )
        bar.empty()
        st.session_state[CHECKED_KEY] = None
        state.data_changed()
        _show_report(report)
        if report.ok and report.changed:
            st.success(
                f"匯入完成：{sum(f.rows for f in report.files if not f.skipped_identical):,} 筆。"
                f"資料品質提醒 {report.warnings_count:,} 項（見「資料品質」）。{as_of_caption()}",
                icon=":material/check_circle:",
            )
        elif report.ok:
            st.info("內容與上次匯入相同，資料庫未變更。", icon=":material/info:")


if __name__ == "__main__":
    import app

    app.main()
