"""Two people saving the same meeting at the same instant: one save stands, the other gets the
same "someone else saved first" refusal as a stale version (issue [8/11] finding 6), never a
database error, and nothing is lost or half-written."""

from __future__ import annotations

import threading
from dataclasses import replace

from dashboard.records import meetings
from tests.meeting_helpers import ADMIN, SECRETARY, Con, at, draft

ROUNDS = 12
EDITORS = 4


def _race(con: Con, meeting_id: int, version: int, places: list[str]) -> list[object]:
    """Every editor saves its own 地點 on `version` at once; their outcomes, in editor order."""
    start = threading.Barrier(len(places))
    outcomes: list[object] = [None] * len(places)
    opened = meetings.as_draft(meetings.load(con, meeting_id))

    def editor(index: int) -> None:
        start.wait()
        try:
            user = SECRETARY if index % 2 == 0 else ADMIN
            outcomes[index] = meetings.save(
                con, replace(opened, place=places[index]), user, meeting_id, version
            )
        except Exception as refused:  # the kind of refusal is what the test checks
            outcomes[index] = refused

    threads = [threading.Thread(target=editor, args=(i,)) for i in range(len(places))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_simultaneous_saves_one_stands_the_others_are_told_someone_saved_first(con: Con) -> None:
    saved = meetings.save(con, draft(), SECRETARY, now=at(0))
    refusals = 0
    for round_no in range(ROUNDS):
        current = meetings.load(con, saved.meeting_id)
        places = [f"第{round_no}輪第{i}位的會議室" for i in range(EDITORS)]
        outcomes = _race(con, saved.meeting_id, current.version, places)
        stood = [o for o in outcomes if isinstance(o, meetings.Meeting)]
        refused = [o for o in outcomes if not isinstance(o, meetings.Meeting)]
        assert all(isinstance(r, meetings.StaleMeetingError) for r in refused), [repr(r) for r in refused]
        for r in refused:
            assert isinstance(r, meetings.StaleMeetingError)
            assert "沒有儲存" in r.problems["version"]
        assert len(stood) == 1, outcomes  # exactly one save per version
        after = meetings.load(con, saved.meeting_id)
        assert after.version == current.version + 1
        assert after.place == stood[0].place  # what stands is the one that was told it stood
        assert len(after.attendance) == len(current.attendance)  # children rewritten whole, once
        assert after.items == current.items
        refusals += len(refused)
    assert refusals == ROUNDS * (EDITORS - 1)
