"""資料匯入: upload the platform's exports, see every problem and every replaced scope before
anything is written, confirm; and the import history, where the latest import of a scope can be
undone.

Validation, the replace plan, writing and undo happen in the core (dashboard.ingest.importer,
dashboard.ingest.preview, dashboard.ingest.undo): all or nothing, one transaction each. This page only
collects the files, shows the report and the plan, and passes the clerk's confirmation on. The
check's report is kept in session state, so ticking the confirmation box (a rerun) keeps it on
screen.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, time
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.formatting import EMPTY, count, roc_datetime
from dashboard.ingest import importer, preview, scopes, undo
from dashboard.ingest.readers import TAIPEI
from dashboard.ingest.validate import Problem
from ui import state
from ui.common import as_of_caption, excel_download

REPORT_KEY = "import_checked"  # {"digest": ..., "report": ImportReport} of the last check
DONE_KEY = "import_done_message"  # what the last import or undo did, shown after the rerun
UNDO_KEY = "import_undo_pending"  # the batch the clerk asked to undo, awaiting 確定復原
UPLOADER_ROUND = "import_uploader_round"  # a new round empties the uploader after an import
SPELLED_OUT = 5  # this many problems are also written out in full above the table


def _uploader_key() -> str:
    return f"import_files_{st.session_state.get(UPLOADER_ROUND, 0)}"


def _files() -> list[tuple[str, bytes]]:
    uploaded = st.session_state.get(_uploader_key()) or []
    return [(f.name, f.getvalue()) for f in uploaded]


def _digest(files: list[tuple[str, bytes]], exported_at: datetime) -> str:
    h = hashlib.sha256(repr(exported_at.timetuple()[:5]).encode())  # the minute the clerk chose
    for name, data in files:
        h.update(name.encode())
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def _scopes_text(found: list[Any]) -> str:
    labels = []
    for scope in found:
        if isinstance(scope, (list, tuple)) and len(scope) == 3:
            labels.append(scopes.label((int(scope[0]), scope[1], scope[2])))
        else:
            labels.append(str(scope))
    return "、".join(dict.fromkeys(labels)) or "全部"


def _file_status(report: importer.ImportReport, f: importer.FileReport) -> str:
    if not report.ok:
        mine = sum(1 for p in report.problems if p.file == f.file and (p.sheet or None) == (f.sheet or None))
        return f"{count(mine)} 個問題，未寫入" if mine else "未寫入（其他檔案有問題）"
    return "與上次匯入相同，略過" if f.skipped_identical else "將匯入"


def _files_frame(report: importer.ImportReport) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "檔案": f.file,
                "工作表": f.sheet or EMPTY,
                "資料類型": f.kind_label or "（無法辨識）",
                "筆數": count(f.rows),
                "學年度、學期、部別": _scopes_text(list(f.scopes)) if f.kind else EMPTY,
                "狀態": _file_status(report, f),
            }
            for f in report.files
        ],
        columns=["檔案", "工作表", "資料類型", "筆數", "學年度、學期、部別", "狀態"],
    )


def _changes_frame(changes: list[preview.ScopeChange]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "資料類型": c.kind_label,
                "取代範圍": c.scope_label,
                "現有筆數": count(c.stored_rows),
                "匯入後筆數": count(c.rows_after),
                "將消失筆數": count(c.disappearing_rows),
                "提醒": "超過一半將消失" if c.loses_most else EMPTY,
            }
            for c in changes
        ],
        columns=["資料類型", "取代範圍", "現有筆數", "匯入後筆數", "將消失筆數", "提醒"],
    )


def _problems_frame(report: importer.ImportReport) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "檔案": p.file,
                "工作表": p.sheet or EMPTY,
                "列": count(p.row) if p.row is not None else EMPTY,
                "欄位": p.column or EMPTY,
                "值": p.value or EMPTY,
                "問題": p.message,
            }
            for p in report.problems
        ],
        columns=["檔案", "工作表", "列", "欄位", "值", "問題"],
    )


def _loss_summary(changes: list[preview.ScopeChange]) -> str:
    losses = [c for c in changes if c.disappearing_rows]
    if not losses:
        return ""
    shown = "、".join(f"{c.kind_label} {c.scope_label} {count(c.disappearing_rows)} 筆" for c in losses[:3])
    more = f"等 {len(losses)} 個範圍" if len(losses) > 3 else ""
    return f"將刪除{shown}{more}"


def _md(text: str) -> str:
    """A file's own words shown as plain text: markdown's marks escaped (a cell could hold a link)."""
    return re.sub(r"([\\`*_\[\]{}()<>#+!|~$-])", r"\\\1", text)


def _where(p: Problem) -> str:
    """The file (and sheet); the validator's messages already name the row and column."""
    return p.file + (f"「{p.sheet}」工作表" if p.sheet else "")


def _show_problems(report: importer.ImportReport) -> None:
    shown = "".join(f"\n- {_md(_where(p))}：{_md(p.message)}" for p in report.problems[:SPELLED_OUT])
    more = "\n- ……完整清單見下表" if len(report.problems) > SPELLED_OUT else ""
    st.error(
        f"發現 {count(len(report.problems))} 個問題，尚未寫入任何資料。請修正檔案後重新上傳。{shown}{more}",
        icon=":material/error:",
    )
    problems = _problems_frame(report)
    st.dataframe(problems, hide_index=True, width="stretch", key="import_problems_table")
    excel_download(
        {"問題清單": problems}, "匯入問題清單.xlsx", key="import_problems_export", label="匯出問題清單"
    )


def _show_plan(report: importer.ImportReport) -> bool:
    """The replace table and the cautions; True when the clerk may press 確認匯入."""
    st.markdown(
        "**匯入後將整批取代下列範圍**（以學年度、學期、部別為單位）；未列出的學年度、學期與部別不受影響。"
    )
    frame = _changes_frame(report.changes)
    st.dataframe(frame, hide_index=True, width="stretch", key="import_changes_table")
    excel_download(
        {"取代範圍": frame}, "匯入取代範圍.xlsx", key="import_changes_export", label="匯出取代範圍"
    )
    if not report.cautions:
        return True
    for caution in report.cautions:
        st.warning(caution, icon=":material/warning:")
    loss = _loss_summary(report.changes)
    label = f"我已看過上列 {len(report.cautions)} 項提醒，確定要匯入" + (f"（{loss}）" if loss else "")
    return bool(st.checkbox(label, key=f"import_ack_{report.fingerprint}"))


def _check(files: list[tuple[str, bytes]], user: str, digest: str) -> None:
    bar = st.progress(0.0, text="檢查中…")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    _, report = importer.validate_files(state.connection(), files, imported_by=user, progress=progress)
    bar.empty()
    st.session_state[REPORT_KEY] = {"digest": digest, "report": report}


def _import(files: list[tuple[str, bytes]], user: str, exported_at: datetime, checked: Any) -> None:
    bar = st.progress(0.0, text="匯入中…")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    report = importer.import_files(
        state.connection(),
        files,
        imported_by=user,
        exported_at=exported_at,
        progress=progress,
        confirm=checked.fingerprint or False,
    )
    bar.empty()
    if report.needs_confirmation or not report.ok:
        # The database changed after the check (another clerk imported): show the new plan.
        st.session_state[REPORT_KEY] = {"digest": st.session_state[REPORT_KEY]["digest"], "report": report}
        st.session_state[DONE_KEY] = (
            "warning",
            "檢查之後資料庫已有變更，取代的內容和剛才不同，尚未寫入任何資料；請看過新的取代範圍後再確認。",
        )
        st.rerun()
    state.data_changed()
    st.session_state.pop(REPORT_KEY, None)
    st.session_state[UPLOADER_ROUND] = st.session_state.get(UPLOADER_ROUND, 0) + 1
    written = sum(f.rows for f in report.files if not f.skipped_identical)
    if report.changed:
        st.session_state[DONE_KEY] = (
            "success",
            f"匯入完成：{count(written)} 筆。"
            f"資料品質提醒 {count(report.warnings_count)} 項（見「資料品質」）。"
            "如需退回，可在下方「匯入紀錄」復原這次匯入。",
        )
    else:
        st.session_state[DONE_KEY] = ("info", "內容與上次匯入相同，資料庫未變更。")
    st.rerun()


def _upload_section(user: str) -> None:
    st.file_uploader(
        "選擇檔案",
        type=["csv", "xlsx", "xls", "zip"],
        accept_multiple_files=True,
        key=_uploader_key(),
    )
    c1, c2 = st.columns(2)
    now = datetime.now(TAIPEI).replace(second=0, microsecond=0, tzinfo=None)  # the school's clock
    day = c1.date_input(
        "資料匯出日期（資料截至）", value=now.date(), key="import_exported_date", format="YYYY/MM/DD"
    )
    at = c2.time_input("匯出時間", value=time(now.hour, now.minute), key="import_exported_time")
    st.caption(f"資料截至將記為民國 {roc_datetime(datetime.combine(day, at))}。")
    exported_at = datetime.combine(day, at)
    files = _files()
    if not files:
        st.info("尚未選擇檔案。", icon=":material/upload_file:")
        return
    digest = _digest(files, exported_at)
    if st.button("檢查檔案", key="import_check", icon=":material/fact_check:"):
        _check(files, user, digest)
    checked = st.session_state.get(REPORT_KEY)
    if not checked or checked["digest"] != digest:
        return
    report: importer.ImportReport = checked["report"]
    if report.files:
        st.dataframe(_files_frame(report), hide_index=True, width="stretch", key="import_files_table")
    if not report.ok:
        _show_problems(report)
        return
    if not report.changed:
        st.info("內容與上次匯入相同，匯入不會變更資料庫。", icon=":material/info:")
        return
    rows = sum(f.rows for f in report.files if not f.skipped_identical)
    st.success(
        f"檢查通過：{count(len(report.files))} 個檔案、共 {count(rows)} 筆。"
        "確認取代範圍無誤後請按「確認匯入」。",
        icon=":material/check_circle:",
    )
    may_import = _show_plan(report)
    if st.button(
        "確認匯入",
        type="primary",
        key="import_confirm",
        icon=":material/database_upload:",
        disabled=not may_import,
    ):
        _import(files, user, exported_at, report)


def _history_frame(entries: list[undo.HistoryEntry]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "匯入時間": roc_datetime(e.imported_at),
                "匯入者": e.imported_by,
                "檔案": "、".join(dict.fromkeys(f.file_name for f in e.files)) or EMPTY,
                "資料範圍": e.scope_text or EMPTY,
                "匯入筆數": count(e.rows_in),
                "取代筆數": count(e.rows_out),
                "可否復原": "可復原" if e.can_undo else e.blocker or EMPTY,
            }
            for e in entries
        ],
        columns=["匯入時間", "匯入者", "檔案", "資料範圍", "匯入筆數", "取代筆數", "可否復原"],
    )


def _entry_label(e: undo.HistoryEntry) -> str:
    return f"{roc_datetime(e.imported_at)}　{e.imported_by}　{e.scope_text}"


def _history_section(user: str) -> None:
    st.subheader("匯入紀錄")
    con = state.connection()
    entries = undo.history(con)
    cur = con.cursor()
    try:
        keep = undo.keep_per_scope(cur)
    finally:
        cur.close()
    st.caption(
        f"最近 {count(len(entries))} 次匯入。每個資料範圍保留最近 {keep} 次匯入被取代的資料，可以復原；"
        f"目前共保留 {count(undo.kept_rows(con))} 筆。只能復原每個範圍最近的一次匯入。"
    )
    if not entries:
        st.info("尚無匯入紀錄。", icon=":material/history:")
        return
    frame = _history_frame(entries)
    st.dataframe(frame, hide_index=True, width="stretch", key="import_history_table")
    excel_download({"匯入紀錄": frame}, "匯入紀錄.xlsx", key="import_history_export", label="匯出匯入紀錄")
    undoable = {e.batch_id: e for e in entries if e.can_undo}
    if not undoable:
        return
    chosen = st.selectbox(
        "要復原的匯入",
        list(undoable),
        format_func=lambda b: _entry_label(undoable[b]),
        key="import_undo_choice",
    )
    pending = st.session_state.get(UNDO_KEY)
    if pending not in undoable:
        if st.button("復原這次匯入", key="import_undo", icon=":material/undo:"):
            st.session_state[UNDO_KEY] = chosen
            st.rerun()
        return
    entry = undoable[pending]
    st.warning(
        f"將復原 {roc_datetime(entry.imported_at)} 由 {entry.imported_by} 匯入的「{entry.scope_text}」："
        f"刪除這次匯入寫入的 {count(entry.rows_in)} 筆，放回它取代的 {count(entry.rows_out)} 筆。"
        "其他範圍的資料不變。",
        icon=":material/undo:",
    )
    c1, c2 = st.columns(2)
    if c1.button("確定復原", type="primary", key="import_undo_confirm"):
        st.session_state.pop(UNDO_KEY, None)
        try:
            result = importer.undo_import(con, pending, undone_by=user)
        except undo.UndoError as exc:
            st.session_state[DONE_KEY] = ("error", str(exc))
        else:
            state.data_changed()
            st.session_state[DONE_KEY] = (
                "success",
                f"已復原：刪除 {count(result.removed_rows)} 筆，放回 {count(result.restored_rows)} 筆。"
                f"資料品質提醒 {count(result.warnings_count)} 項。",
            )
        st.rerun()
    if c2.button("取消", key="import_undo_cancel"):
        st.session_state.pop(UNDO_KEY, None)
        st.rerun()


def _done_message() -> None:
    done = st.session_state.pop(DONE_KEY, None)
    if not done:
        return
    level, text = done
    show = {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}[level]
    show(f"{text}（{as_of_caption()}）", icon=":material/info:")


def render() -> None:
    user = state.require("import_data")
    st.title("資料匯入")
    st.caption(as_of_caption())
    st.markdown(
        "上傳校務系統或學習歷程平臺匯出的檔案（CSV、Excel 或 .zip，可一次多個）。系統依標題列辨識資料類型，"
        "先完整檢查，**全部無誤才會寫入**。新檔案整批取代同一學年度、學期、**部別**的舊資料："
        "只含進修部的檔案不會動到日間部。會刪除大量資料的匯入要先勾選確認，每次匯入都可以在下方復原。"
    )
    _done_message()
    _upload_section(user.username)
    _history_section(user.username)


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
