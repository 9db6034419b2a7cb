"""Importing a post-graduation roster changes no figure (metrics.md, "Active students A(S)").

On the demo school: the 113-2 roster is imported as taken before graduation (the seniors
在學), then as exported after it (the seniors switched to 畢業 with 畢業學年度 113). Every figure
the command line gives for 113-1, 113-2 and 113 — per division, per group and the teacher
check — is the same after each import, computed through the functions the CLI calls.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import duckdb

from dashboard.demo.bundle import DEMO_DIR, DEMO_EXPORTED_AT
from dashboard.ingest import importer
from dashboard.ingest.kinds import ACTIVE_STATUSES
from dashboard.measures import metrics

Con = duckdb.DuckDBPyConnection
DIVISIONS = (None, "日間部", "進修部")


def figures(con: Con) -> dict[str, Any]:
    """What `python -m dashboard metrics` and `eligibility` print for 學年度 113."""
    out: dict[str, Any] = {"eligibility": metrics.eligibility(con, 113)}
    for division in DIVISIONS:
        out[f"year {division}"] = metrics.year_metrics(con, 113, division)
        for semester in (1, 2):
            out[f"113-{semester} {division}"] = metrics.semester_metrics(con, 113, semester, division)
            for by in ("teacher", "department", "class"):
                out[f"113-{semester} {division} {by}"] = metrics.semester_breakdown(
                    con, 113, semester, by, division
                )
    return out


def _roster() -> tuple[list[str], list[dict[str, str]]]:
    with (DEMO_DIR / "學生名冊.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _csv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def before_graduation(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """113-2 as taken at 休業式: every 畢業 row back to 在學, without 畢業學年度."""
    out = []
    for r in rows:
        if r["學年度"] == "113" and r["學期"] == "2":
            if r["學籍狀態"] == "畢業":
                r = r | {"學籍狀態": "在學", "異動日期": "", "畢業學年度": ""}
            out.append(r)
    return out


def after_graduation(rows: list[dict[str, str]], later: set[str]) -> list[dict[str, str]]:
    """The seniors switched to 畢業 (113): grade 3 or 4, 在籍 at the term's end (not 借讀
    guests), and on no roster of a later 學年度."""
    out = []
    for r in rows:
        senior = r["年級"] in ("3", "4") and r["學籍狀態"] in ACTIVE_STATUSES and r["學籍狀態"] != "借讀"
        if senior and r["學號"] not in later:
            r = r | {"學籍狀態": "畢業", "異動日期": "2025-06-06", "畢業學年度": "113"}
        out.append(r)
    return out


def _import(con: Con, header: list[str], rows: list[dict[str, str]]) -> None:
    report = importer.import_files(
        con,
        [("學生名冊_113-2.csv", _csv(header, rows))],
        imported_by="註冊組",
        exported_at=DEMO_EXPORTED_AT,
        confirm=True,
    )
    assert report.ok and report.changed, [p.message for p in report.problems]


def _count(con: Con, sql: str, **params: Any) -> int:
    row = con.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


def test_a_post_graduation_roster_leaves_every_figure_unchanged(demo_con: Con) -> None:
    header, rows = _roster()
    later = {r["學號"] for r in rows if int(r["學年度"]) > 113}
    pre = before_graduation(rows)
    post = after_graduation(pre, later)
    switched = sum(a["學籍狀態"] != b["學籍狀態"] for a, b in zip(pre, post, strict=True))
    assert switched > 700

    demo = figures(demo_con)
    _import(demo_con, header, pre)
    graduates = "select count(*) from students where school_year = 113 and semester = 2 and status = '畢業'"
    assert _count(demo_con, graduates) == 0
    assert figures(demo_con) == demo

    _import(demo_con, header, post)
    assert _count(demo_con, graduates) == switched
    after = figures(demo_con)
    assert after == demo
    # The rule is what keeps them: by 學籍狀態 alone, 113-2 would lose every graduate.
    by_status = _count(
        demo_con,
        "select count(*) from students"
        " where school_year = 113 and semester = 2 and list_contains($a, status)",
        a=list(ACTIVE_STATUSES),
    )
    assert after["113-2 None"]["students_active"] == by_status + switched
