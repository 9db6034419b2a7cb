"""資料匯入's history: the latest import of a scope can be undone from the page, after a second
click that says what will be deleted and put back; the figures come back as they were."""

from __future__ import annotations

from pathlib import Path

from dashboard import db
from dashboard.ingest import importer
from dashboard.measures import metrics
from tests.app.conftest import page_test, table_with
from tests.import_fixture import NIGHT, TERM, YEAR, night_bundle


def _figures(path: Path) -> tuple[object, ...]:
    con = db.connect(path)
    try:
        return (
            metrics.semester_metrics(con, YEAR, TERM, NIGHT),
            metrics.year_metrics(con, YEAR, None),
            db.as_of(con),
        )
    finally:
        con.close()


def test_undo_from_the_history_asks_once_more_and_gives_the_figures_back(demo_db: Path) -> None:
    before = _figures(demo_db)
    con = db.connect(demo_db)
    try:
        report = importer.import_files(con, night_bundle(), imported_by="night", confirm=True)
    finally:
        con.close()
    assert report.ok and report.changed
    assert _figures(demo_db) != before

    at = page_test("pages.import_data", role="註冊組").run()
    history = table_with(at, "可否復原")
    assert history.iloc[0]["匯入者"] == "night"
    assert history.iloc[0]["可否復原"] == "可復原"
    assert f"{YEAR}-{TERM} {NIGHT}" in history.iloc[0]["資料範圍"]
    assert "保留最近 5 次" in "\n".join(c.value for c in at.caption)
    assert not at.exception

    at.button(key="import_undo").click().run()
    warning = "\n".join(w.value for w in at.warning)
    assert "刪除這次匯入寫入的" in warning and "放回它取代的" in warning
    assert _figures(demo_db) != before  # asking is not doing

    at.button(key="import_undo_confirm").click().run()
    assert not at.exception
    assert any("已復原" in s.value for s in at.success)
    history = table_with(at, "可否復原")
    assert history.iloc[0]["可否復原"].startswith("已於 ")
    assert "由 tester 復原" in history.iloc[0]["可否復原"]
    assert _figures(demo_db) == before


def test_cancelling_an_undo_changes_nothing(demo_db: Path) -> None:
    con = db.connect(demo_db)
    try:
        importer.import_files(con, night_bundle(), imported_by="night", confirm=True)
    finally:
        con.close()
    after_import = _figures(demo_db)
    at = page_test("pages.import_data", role="註冊組").run()
    at.button(key="import_undo").click().run()
    at.button(key="import_undo_cancel").click().run()
    assert not at.exception
    assert table_with(at, "可否復原").iloc[0]["可否復原"] == "可復原"
    assert _figures(demo_db) == after_import


def test_the_history_is_not_offered_to_someone_who_may_not_import() -> None:
    at = page_test("pages.import_data", role="校長").run()
    assert not [d for d in at.dataframe if "可否復原" in d.value.columns]
