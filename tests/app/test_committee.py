"""工作小組名冊 through AppTest: the seat check, the editor for the 執行秘書, read-only for others."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard import auth, db
from dashboard.records import committee
from tests.app.conftest import page_test, texts


def _check(demo_db: Path, year: int) -> committee.RosterCheck:
    with db.connect(demo_db) as con:
        return committee.check(con, year)


def test_a_year_without_a_roster_offers_a_suggestion_and_saving_it_reports_the_gaps(demo_db: Path) -> None:
    year = 113
    before = _check(demo_db, year)
    at = page_test("pages.committee", "執行秘書", {"year": str(year)}).run()
    assert not at.exception
    if before.filled == 0:
        assert "尚未儲存名冊" in texts(at)
    with db.connect(demo_db) as con:
        suggested, _ = committee.roster_or_suggestion(con, year)
    at.button(key="committee_save").click().run()
    assert not at.exception
    after = _check(demo_db, year)
    assert after.filled == sum(1 for m in suggested if m.person_name)
    assert set(after.missing) == {
        s.name for s, m in zip(committee.SEATS, suggested, strict=True) if not m.person_name
    }
    if after.missing:
        assert any(f"尚缺 {len(after.missing)} 席" in w.value for w in at.warning)


def test_everyone_reads_the_roster_and_only_editors_get_the_editor(demo_db: Path) -> None:
    for role in auth.SCHOOL_WIDE:
        at = page_test("pages.committee", role, {"year": "115"}).run()
        assert not at.exception, role
        editable = auth.User("x", "x", role).can("edit_meetings")
        assert bool([b for b in at.button if b.key == "committee_save"]) == editable, role
        if not editable:
            shown = [d.value for d in at.dataframe if "職稱" in d.value.columns]
            assert shown and len(shown[0]) == committee.SEAT_COUNT
            assert isinstance(shown[0], pd.DataFrame)
