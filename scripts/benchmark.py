"""Benchmarks for the closing notes (not tests): import of the demo bundle, and every metric.

    .venv/bin/python scripts/benchmark.py

Prints wall-clock seconds; run it on an otherwise idle machine. Each figure is the median of
several runs after a first (cold) run on a freshly opened database.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import db
from dashboard.demo import build as demo_build
from dashboard.demo.bundle import DEMO_DIR
from dashboard.documents import minutes, schedule_publish
from dashboard.ingest import importer, undo
from dashboard.measures import metrics
from dashboard.records import deputies, meetings, resolutions, schedule, selfchecks, trainings


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    start = time.perf_counter()
    fn()
    cold = time.perf_counter() - start
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return cold, statistics.median(runs)


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    path = folder / "bench.duckdb"
    con = db.connect(path)
    start = time.perf_counter()
    summary = demo_build.build(con)
    seconds = time.perf_counter() - start
    print(f"demo import: {summary['rows']:,} rows in {summary['files']} files: {seconds:.2f} s")
    start = time.perf_counter()
    again = demo_build.build(con)
    print(f"re-import of identical bundle (changed={again['changed']}): {time.perf_counter() - start:.2f} s")
    con.close()

    con = db.connect(path)
    cases: list[tuple[str, Callable[[], object]]] = []
    for division in (None, "日間部", "進修部"):
        cases.append(
            (
                f"semester_metrics 115-1 {division or '全校'}",
                lambda d=division: metrics.semester_metrics(con, 115, 1, d),
            )
        )
        cases.append(
            (f"year_metrics 114 {division or '全校'}", lambda d=division: metrics.year_metrics(con, 114, d))
        )
    for by in ("teacher", "department", "class"):
        cases.append(
            (f"semester_breakdown 114-2 by {by}", lambda b=by: metrics.semester_breakdown(con, 114, 2, b))
        )  # type: ignore[misc]
    cases.append(("eligibility 114", lambda: metrics.eligibility(con, 114)))
    cases.append(
        (
            "overview page (3 divisions × semester + year)",
            lambda: [
                (metrics.semester_metrics(con, 115, 1, d), metrics.year_metrics(con, 115, d))
                for d in (None, "日間部", "進修部")
            ],
        )
    )
    newest = meetings.list_meetings(con)[0]["meeting_id"]
    cases += [
        ("meetings: compliance 115-1", lambda: resolutions.compliance(con, 115, 1, date(2026, 11, 29))),
        ("meetings: every resolution with its status", lambda: resolutions.all_resolutions(con)),
        ("meetings: load the newest record", lambda: meetings.load(con, newest)),
        ("meetings: blank draft (carry-over)", lambda: meetings.blank_draft(con, 115, 1, date(2026, 11, 29))),
        ("minutes .docx of the newest", lambda: minutes.minutes_docx(con, newest)),
        ("minutes PDF of the newest", lambda: minutes.minutes_pdf(con, newest)),
    ]
    today = date(2026, 11, 29)
    plan = schedule.load(con, 115, 1, None)
    cases += [
        ("schedule: check 115-1 全校 (every rule)", lambda: schedule.check(con, 115, 1, None, plan)),
        ("schedule: copy forward 115-2", lambda: schedule.copy_forward(con, 115, 2, None)),
        (
            "schedule: published HTML 115-1",
            lambda: schedule_publish.to_html(con, 115, 1, datetime(2026, 11, 29, 9)),
        ),
        ("schedule: .ics 115-1", lambda: schedule_publish.to_ics(con, 115, 1)),
        ("schedule: .xlsx 115-1", lambda: schedule_publish.to_xlsx(con, 115, 1)),
        ("self-checks: 115-1 statuses", lambda: selfchecks.statuses(con, 115, 1, today)),
        ("self-checks: missed, every semester", lambda: selfchecks.missed(con, today)),
        ("self-checks: figures 教師認證 115-1", lambda: selfchecks.figures(con, 115, 1, "教師認證", None)),
        ("trainings: compliance 115", lambda: trainings.compliance(con, 115)),
        ("trainings: attendance by year", lambda: trainings.attendance_by_year(con)),
        ("deputies: leavers with pending 115-1", lambda: deputies.leavers_with_pending(con, 115, 1)),
        ("deputies: accounts to delay 115-1", lambda: deputies.accounts_to_delay(con, 115, 1)),
    ]
    print(f"{'query':50} {'cold ms':>9} {'warm ms':>9}")
    for name, fn in cases:
        cold, warm = timed(fn)
        print(f"{name:50} {cold * 1000:9.1f} {warm * 1000:9.1f}")
    con.close()
    imports(path)
    pages(path)


def _night_roster(year: int, term: int) -> list[tuple[str, bytes]]:
    """進修部's own roster of one semester, cut from the demo bundle (every row kept)."""
    lines = (DEMO_DIR / "學生名冊.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    head = lines[0].rstrip("\r\n").split(",")
    y, s, d = (head.index(c) for c in ("學年度", "學期", "部別"))
    mine = [
        ln
        for ln in lines[1:]
        if (c := ln.split(","))[y] == str(year) and c[s] == str(term) and c[d] == "進修部"
    ]
    return [("進修部學生名冊.csv", "".join([lines[0], *mine]).encode("utf-8"))]


def imports(db_file: Path) -> None:
    """One division's roster on the demo school: check, import, undo, history; the undo copies'
    cost in rows and file size."""
    copy = db_file.with_name("imports.duckdb")
    shutil.copy(db_file, copy)
    con = db.connect(copy)
    size_before = copy.stat().st_size
    files = _night_roster(114, 2)
    files = [(n, b.replace(",在學,".encode(), ",休學,".encode(), 5)) for n, b in files]  # 5 go on leave
    start = time.perf_counter()
    _, report = importer.validate_files(con, files, imported_by="bench")
    check = time.perf_counter() - start
    start = time.perf_counter()
    done = importer.import_files(con, files, imported_by="bench", confirm=True)
    write = time.perf_counter() - start
    assert done.ok and done.changed, done.problems
    kept = undo.kept_rows(con)
    con.execute("checkpoint")
    size_after = copy.stat().st_size
    start = time.perf_counter()
    undo.history(con)
    listing = time.perf_counter() - start
    start = time.perf_counter()
    importer.undo_import(con, done.batch_id, undone_by="bench")
    back = time.perf_counter() - start
    con.close()
    rows = sum(f.rows for f in report.files)
    print(
        f"進修部 114-2 roster ({rows:,} rows): check {check:.2f} s, import {write:.2f} s, undo {back:.2f} s"
    )
    print(f"import history listing: {listing * 1000:.1f} ms; kept for undo: {kept:,} rows")
    print(f"database file: {size_before / 2**20:.1f} MB before, {size_after / 2**20:.1f} MB after the import")


def _render(module: str) -> None:
    import importlib

    importlib.import_module(module).render()


def _page_timing(module: str, query: dict[str, str]) -> tuple[float, float, bool]:
    """One page through AppTest: cold (empty caches, fresh connection), then warm."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard import auth

    at = AppTest.from_function(_render, args=(module,), default_timeout=120)
    at.session_state["auth_user"] = auth.User("bench", "bench", "管理者")
    for name, value in query.items():
        at.query_params[name] = value
    st.cache_data.clear()
    st.cache_resource.clear()
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    start = time.perf_counter()
    at.run()
    return cold, time.perf_counter() - start, bool(at.exception)


def pages(db_file: Path) -> None:
    """Each routed page, then the meeting record and the resolution tracker."""
    import logging

    import streamlit as st

    # AppTest outside a server logs "missing ScriptRunContext" for every cached call: not a
    # finding, and it buries the figures (printed, not logged). Errors still show.
    logging.disable(logging.WARNING)
    import app

    os.environ["PORTFOLIO_DB"] = str(db_file)
    print(f"{'page':24} {'cold s':>8} {'warm s':>8}")
    cases = [(route.title, route.render.__module__, {}) for route in app.ROUTES]
    cases += [
        ("會議紀錄（單一會議）", "pages.meetings", {"meeting": "1"}),
        ("會議（決議追蹤）", "pages.meetings", {"tab": "決議追蹤"}),
    ]
    for title, module, query in cases:
        cold, warm, failed = _page_timing(module, query)
        print(f"{title:24} {cold:8.2f} {warm:8.2f}{' (exception!)' if failed else ''}")
    st.cache_resource.clear()


if __name__ == "__main__":
    main()
