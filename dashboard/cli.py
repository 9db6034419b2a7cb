"""The command line: `python -m dashboard import | metrics | eligibility | demo | user add`.

The contract is spec/metrics.md: JSON (UTF-8) on stdout, messages on stderr, exit 0 on
success, 1 when input was rejected, 2 for usage errors, and never a Python traceback for bad
input (set PORTFOLIO_DEBUG=1 to see one for an internal error). It reads the same SQL as the
pages, so a number can never differ between them. This module must not import streamlit.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from dashboard import auth, db
from dashboard.measures import metrics

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
DIVISIONS = ("日間部", "進修部")


class UsageError(Exception):
    """Bad arguments: printed in Chinese, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(f"用法錯誤：{message}")


def _json_default(value: object) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _emit(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default) + "\n")


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def _parse_timestamp(text: str) -> datetime:
    from dashboard.ingest.normalize import parse_timestamp_text

    value = parse_timestamp_text(text)
    if value is None:
        raise UsageError(f"用法錯誤：--exported-at「{text}」不是可辨識的日期時間（例如 2026-11-16 08:00）。")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m dashboard", description="學生學習歷程檔案工作小組儀表板：命令列")
    parser.add_argument("--db", help="資料庫檔案（預設 data/portfolio.duckdb 或環境變數 PORTFOLIO_DB）")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("import", help="匯入平臺匯出檔（資料夾、.zip 或單一檔案），或復原一次匯入")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--exported-at", help="資料匯出時間（資料截至），例如 2026-11-16 08:00")
    p.add_argument("--by", default=os.environ.get("USER", "命令列"), help="匯入者（記錄於匯入紀錄）")
    p.add_argument("--yes", action="store_true", help="需要確認的取代（例如某範圍少掉一半以上）直接確認")
    p.add_argument("--undo", metavar="BATCH", help="復原這個批次的匯入（批次編號見 --history）")
    p.add_argument("--history", action="store_true", help="列出最近的匯入紀錄與可否復原（JSON）")

    p = sub.add_parser("metrics", help="學期或學年度指標（JSON）")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--semester", help="例如 113-1")
    when.add_argument("--year", type=int, help="例如 113")
    p.add_argument("--division", choices=DIVISIONS)
    p.add_argument("--by", choices=("teacher", "department", "class"), dest="group_by")

    p = sub.add_parser("eligibility", help="教師敘獎資格（JSON）")
    p.add_argument("--year", type=int, required=True)

    sub.add_parser("demo", help="以內建示範學校建立資料庫")

    p = sub.add_parser("user", help="帳號管理")
    usub = p.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    pa = usub.add_parser("add", help="新增帳號（密碼由標準輸入或提示輸入）")
    pa.add_argument("username")
    pa.add_argument("--role", required=True, choices=auth.ROLES)
    pa.add_argument("--name", help="顯示名稱")
    pa.add_argument("--password-stdin", action="store_true", help="從標準輸入讀取密碼")

    # Every subcommand also takes --db after its own arguments (metrics.md).
    for action in sub.choices.values():
        action.add_argument("--db", dest="sub_db", help=argparse.SUPPRESS)
    for action in usub.choices.values():
        action.add_argument("--db", dest="sub_db", help=argparse.SUPPRESS)
    return parser


def _where(pr: Any) -> str:
    return "、".join(
        x
        for x in (
            pr.file,
            f"工作表 {pr.sheet}" if pr.sheet else "",
            f"第 {pr.row} 列" if pr.row else "",
            f"欄位「{pr.column}」" if pr.column else "",
        )
        if x
    )


def _say_changes(report: Any) -> None:
    for c in report.changes:
        _say(
            f"  {c.kind_label} {c.scope_label}：現有 {c.stored_rows:,} 筆 → 匯入後 {c.rows_after:,} 筆"
            f"（消失 {c.disappearing_rows:,} 筆）"
        )
    for caution in report.cautions:
        _say(f"需要確認：{caution}")


def _ask_yes(question: str) -> bool:
    sys.stderr.write(question + " [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().lower()
    return answer in ("y", "yes", "是")


def cmd_import(args: argparse.Namespace, con: Any) -> int:
    from dashboard.ingest import importer, undo

    if args.history:
        _emit([_history_entry(e) for e in undo.history(con)])
        return EXIT_OK
    if args.undo:
        if args.paths:
            raise UsageError("用法錯誤：--undo 不能與檔案一起使用。")
        try:
            result = importer.undo_import(con, args.undo, undone_by=args.by)
        except undo.UndoError as exc:
            _say(str(exc))
            return EXIT_REJECTED
        _emit(
            {
                "batch_id": result.batch_id,
                "removed_rows": result.removed_rows,
                "restored_rows": result.restored_rows,
                "warnings_count": result.warnings_count,
            }
        )
        _say(f"已復原：移除 {result.removed_rows:,} 筆、放回 {result.restored_rows:,} 筆。")
        return EXIT_OK
    if not args.paths:
        raise UsageError("用法錯誤：請指定要匯入的檔案或資料夾（或 --undo BATCH、--history）。")
    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _say("找不到檔案或資料夾：" + "、".join(missing))
        return EXIT_REJECTED
    exported_at = _parse_timestamp(args.exported_at) if args.exported_at else None

    def progress(fraction: float, message: str) -> None:
        _say(f"[{fraction:4.0%}] {message}")

    def run(confirm: importer.Confirmation) -> importer.ImportReport:
        return importer.import_paths(
            con, paths, imported_by=args.by, exported_at=exported_at, progress=progress, confirm=confirm
        )

    report = run(bool(args.yes))
    if report.needs_confirmation:
        _say_changes(report)
        if sys.stdin.isatty() and _ask_yes("確定要匯入並取代上面的資料嗎？"):
            report = run(report.fingerprint)
        else:
            _emit(report.to_dict())
            _say("未匯入，資料庫未變更：這次匯入需要確認（互動執行時回答 y，或加上 --yes）。")
            return EXIT_REJECTED
    _emit(report.to_dict())
    if not report.ok:
        _say(f"匯入未完成：發現 {len(report.problems)} 個問題，資料庫未變更。")
        for pr in report.problems:
            _say(f"- {_where(pr)}：{pr.message}" if _where(pr) else f"- {pr.message}")
        return EXIT_REJECTED
    if not report.changed:
        _say("內容與上次匯入相同，資料庫未變更。")
    else:
        _say_changes(report)
        _say(
            f"匯入完成：{sum(f.rows for f in report.files):,} 筆；資料品質提醒 {report.warnings_count:,} 項。"
        )
        _say(f"批次編號 {report.batch_id}（復原：python -m dashboard import --undo {report.batch_id}）")
    return EXIT_OK


def _history_entry(e: Any) -> dict[str, Any]:
    return {
        "batch_id": e.batch_id,
        "imported_by": e.imported_by,
        "imported_at": e.imported_at,
        "files": [f.file_name for f in e.files],
        "scopes": e.scope_text,
        "rows_in": e.rows_in,
        "rows_out": e.rows_out,
        "undone_at": e.undone_at,
        "undone_by": e.undone_by,
        "can_undo": e.can_undo,
        "why_not": e.blocker,
    }


def cmd_metrics(args: argparse.Namespace, con: Any) -> int:
    if args.semester:
        year, semester = metrics.parse_semester(args.semester)
        if args.group_by:
            _emit(metrics.semester_breakdown(con, year, semester, args.group_by, args.division))
        else:
            _emit(metrics.semester_metrics(con, year, semester, args.division))
    else:
        if args.group_by:
            raise UsageError("用法錯誤：--by 只能與 --semester 一起使用。")
        _emit(metrics.year_metrics(con, args.year, args.division))
    stamp = db.as_of(con)
    _say(f"資料截至 {stamp:%Y-%m-%d %H:%M}" if stamp else "資料庫尚無匯入資料。")
    return EXIT_OK


def cmd_eligibility(args: argparse.Namespace, con: Any) -> int:
    _emit(metrics.eligibility(con, args.year))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, con: Any) -> int:
    from dashboard.demo import build as demo_build

    summary = demo_build.build(con, progress=lambda f, m: _say(f"[{f:4.0%}] {m}"))
    _emit(summary)
    _say("示範資料庫已就緒。示範帳號見 README（demo / demo1234）。")
    return EXIT_OK


def cmd_user(args: argparse.Namespace, con: Any) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("密碼：")
        if getpass.getpass("再輸入一次：") != password:
            _say("兩次輸入的密碼不同，未建立帳號。")
            return EXIT_REJECTED
    try:
        user = auth.add_user(con, args.username, password, args.role, args.name)
    except auth.AccountError as exc:
        _say(str(exc))
        return EXIT_REJECTED
    _emit({"username": user.username, "display_name": user.display_name, "role": user.role})
    return EXIT_OK


COMMANDS = {
    "import": cmd_import,
    "metrics": cmd_metrics,
    "eligibility": cmd_eligibility,
    "demo": cmd_demo,
    "user": cmd_user,
}


def main(argv: Sequence[str] | None = None) -> int:
    db.keep_files_private()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        con = db.connect(args.sub_db or args.db)
    except UsageError as exc:
        _say(str(exc))
        return EXIT_USAGE
    except db.DatabaseBusyError as exc:
        _say(str(exc))
        return EXIT_REJECTED
    try:
        return COMMANDS[args.command](args, con)
    except UsageError as exc:
        _say(str(exc))
        return EXIT_USAGE
    except ValueError as exc:  # our parse errors carry a Chinese message
        _say(str(exc))
        return EXIT_USAGE
    except Exception as exc:
        if os.environ.get("PORTFOLIO_DEBUG"):
            traceback.print_exc()
        _say(f"內部錯誤（{type(exc).__name__}）：{exc}。請將此訊息告知系統管理者。")
        return EXIT_REJECTED
    finally:
        con.close()
