"""The audit trail (issue [8/11] build 4): every import and undo, form write, confirmation and
purge leaves exactly one entry, written in the transaction of the change — so a refused or
failed write leaves none — with who, when (school time), what and, from a page, where.
Nothing in the code changes or deletes an entry once written."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from dashboard import audit, school_calendar
from dashboard.ingest import importer
from dashboard.measures import targets
from dashboard.records import meetings, trainings
from tests.import_fixture import school, write_files
from tests.meeting_helpers import ADMIN, SECRETARY, at, draft
from tests.unit.test_trainings import CLERK, GOOD

Con = duckdb.DuckDBPyConnection
ROOT = Path(__file__).resolve().parents[2]


def entries(con: Con) -> list[tuple[str | None, str, str | None, str | None, str | None]]:
    return [
        (r[0], r[1], r[2], r[3], r[4])
        for r in con.execute(
            "select username, action, detail, page, address from audit_log order by entry_id"
        ).fetchall()
    ]


def test_adding_and_removing_a_training_session_each_leave_one_entry(con: Con) -> None:
    trainings.add(con, GOOD, CLERK)
    trainings.remove(con, GOOD.school_year, GOOD.held_on, GOOD.kind, GOOD.title, CLERK)
    log = entries(con)
    assert [(e[0], e[1]) for e in log] == [
        ("clerk", audit.FORM_SAVED),
        ("clerk", audit.FORM_DELETED),
    ]
    assert all(GOOD.title in (e[2] or "") for e in log)


def test_a_refused_write_leaves_no_entry(con: Con) -> None:
    trainings.add(con, GOOD, CLERK)
    before = entries(con)
    with pytest.raises(trainings.TrainingError):  # the same session twice
        trainings.add(con, GOOD, CLERK)
    with pytest.raises(trainings.TrainingError):  # invalid before any write
        trainings.add(con, replace(GOOD, attendance=-1), CLERK)
    assert entries(con) == before


def test_a_stale_meeting_save_leaves_no_entry_and_a_confirmation_is_its_own_action(con: Con) -> None:
    created = meetings.save(con, draft(), SECRETARY, now=at(0))
    opened = meetings.as_draft(created)
    meetings.save(con, replace(opened, place="第一位"), ADMIN, created.meeting_id, 1, now=at(5))
    before = entries(con)
    with pytest.raises(meetings.StaleMeetingError):
        meetings.save(con, replace(opened, place="第二位"), SECRETARY, created.meeting_id, 1)
    assert entries(con) == before
    latest = meetings.load(con, created.meeting_id)
    meetings.confirm(con, created.meeting_id, SECRETARY, latest.version, now=at(10))
    log = entries(con)
    assert [(e[0], e[1]) for e in log] == [
        ("secretary", audit.FORM_SAVED),
        ("admin", audit.FORM_SAVED),
        ("secretary", audit.CONFIRMED),
    ]
    # each entry names the meeting the way the school does
    assert all(created.session_label in (e[2] or "") for e in log)
    stamps = [r[0] for r in con.execute("select happened_at from audit_log order by entry_id").fetchall()]
    assert stamps == [at(0), at(5), at(10)]


def test_a_failed_target_write_leaves_no_entry(con: Con) -> None:
    old = targets.in_force(targets.load(con), "upload_rate", 108)
    assert old is not None
    with pytest.raises(duckdb.ConstraintException):
        targets._write(con, targets.Target("upload_rate", None, 1.5, 108, "測試", old.set_at), "測試")
    assert entries(con) == []


def test_an_import_and_its_undo_are_logged_with_the_files_and_rows(con: Con, tmp_path: Path) -> None:
    report = importer.import_paths(con, [write_files(tmp_path / "school", school())], imported_by="註冊組")
    assert report.ok and report.changed
    imported = entries(con)
    assert [(e[0], e[1]) for e in imported] == [("註冊組", audit.IMPORTED)]
    files = con.execute(
        "select file_name, row_count from imports where batch_id = $b", {"b": report.batch_id}
    ).fetchall()
    assert len(files) > 1
    assert all(f"{name}（{rows:,} 筆）" in (imported[0][2] or "") for name, rows in files)
    importer.undo_import(con, report.batch_id, undone_by="管理者")
    assert [(e[0], e[1]) for e in entries(con)] == [
        ("註冊組", audit.IMPORTED),
        ("管理者", audit.IMPORT_UNDONE),
    ]


def test_a_refused_import_leaves_no_entry(con: Con) -> None:
    report = importer.import_files(con, [("x.csv", b"\xff\xfe\x00garbage")], imported_by="fuzz")
    assert not report.ok
    assert entries(con) == []


def test_a_page_run_names_its_page_and_address_and_school_time_stamps_it(con: Con) -> None:
    before = school_calendar.school_now()
    with audit.acting_from("研習場次", "10.0.0.7"):
        trainings.add(con, GOOD, CLERK)
    trainings.remove(con, GOOD.school_year, GOOD.held_on, GOOD.kind, GOOD.title, CLERK)  # outside: none
    log = entries(con)
    assert [(e[3], e[4]) for e in log] == [("研習場次", "10.0.0.7"), (None, None)]
    first = con.execute("select happened_at from audit_log order by entry_id limit 1").fetchone()
    assert first is not None and isinstance(first[0], datetime)
    assert before <= first[0] <= school_calendar.school_now()


WRITE_TO_LOG = re.compile(r"\b(update|delete\s+from|truncate|drop\s+table|alter\s+table)\s+audit_log\b", re.I)


def test_nothing_in_the_code_changes_or_deletes_an_entry() -> None:
    """Append-only by construction: no statement in the code, queries or migrations after the one
    that made the table updates, deletes, truncates, drops or alters it."""
    sources = [
        p
        for folder in ("dashboard", "queries", "ui", "pages")
        for p in (ROOT / folder).rglob("*")
        if p.suffix in (".py", ".sql")
    ] + [ROOT / "app.py", ROOT / "server.py"]
    offenders = [
        str(p.relative_to(ROOT)) for p in sources if p.exists() and WRITE_TO_LOG.search(p.read_text("utf-8"))
    ]
    assert offenders == []
    assert WRITE_TO_LOG.search("DELETE FROM audit_log where 1=1")  # the scan would see one
    inserts = [
        str(p.relative_to(ROOT))
        for p in sources
        if p.exists() and re.search(r"insert\s+into\s+audit_log", p.read_text("utf-8"), re.I)
    ]
    assert inserts == ["dashboard/audit.py"]
