"""研習場次 (Art. 10): every refused and accepted field, adding and removing form rows beside
imported ones, and compliance counts that equal metrics.year_metrics and the command line."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from dashboard import auth, db
from dashboard.ingest import kinds
from dashboard.measures import metrics
from dashboard.records import trainings
from dashboard.records.trainings import Session, TrainingError
from tests.cli_helpers import run_cli

Con = duckdb.DuckDBPyConnection
CLERK = auth.User("clerk", "註冊組長", "註冊組")
MEMBER = auth.User("member", "委員", "工作小組委員")
AT = datetime(2025, 9, 30, 10, 0)
HELD = date(2025, 9, 30)
GOOD = Session(
    school_year=114,
    held_on=HELD,
    kind="系統操作訓練",
    title="高二學習歷程平臺操作說明",
    audiences=["學生", "教師"],
    division=None,
    organiser="教務處註冊組",
    attendance=120,
)


def _count(con: Con) -> int:
    row = con.execute("select count(*) from trainings").fetchone()
    return int(row[0]) if row else 0


def test_types_and_audiences_are_the_importers_and_metrics() -> None:
    assert trainings.TYPES == metrics.TRAINING_KINDS == tuple(kinds.ENUMS["training_type"])
    assert trainings.AUDIENCES == kinds.AUDIENCES


def test_a_complete_session_is_valid() -> None:
    assert trainings.validate(GOOD) == {}


@pytest.mark.parametrize(
    ("field", "bad", "good"),
    [
        ("school_year", {"school_year": 107}, {"school_year": 108, "held_on": date(2019, 8, 1)}),
        ("school_year", {"school_year": 200}, {"school_year": 199, "held_on": date(2111, 7, 31)}),
        ("held_on", {"held_on": None}, {"held_on": date(2025, 8, 1)}),
        ("held_on", {"held_on": date(2025, 7, 31)}, {"held_on": date(2026, 7, 31)}),
        ("held_on", {"held_on": date(2026, 8, 1)}, {"held_on": date(2026, 7, 31)}),
        ("kind", {"kind": "親師座談"}, {"kind": "專業研習"}),
        ("title", {"title": "  "}, {"title": "認證實務研習"}),
        ("audiences", {"audiences": []}, {"audiences": ["家長"]}),
        ("audiences", {"audiences": ["校友"]}, {"audiences": ["教職員"]}),
        ("division", {"division": "夜間部"}, {"division": "進修部"}),
        ("organiser", {"organiser": ""}, {"organiser": "進修部教務組"}),
        ("attendance", {"attendance": -1}, {"attendance": 0}),
        ("attendance", {"attendance": 12.5}, {"attendance": None}),
    ],
)
def test_each_rule_refuses_and_accepts(field: str, bad: dict[str, object], good: dict[str, object]) -> None:
    problems = trainings.validate(replace(GOOD, **bad))  # type: ignore[arg-type]
    assert set(problems) == {field}
    assert problems[field]  # a message a clerk can read
    assert trainings.validate(replace(GOOD, **good)) == {}  # type: ignore[arg-type]


def test_add_stores_the_row_like_an_import_with_who_and_when(con: Con) -> None:
    unordered = replace(GOOD, audiences=["教師", "學生"], title=" 高二學習歷程平臺操作說明 ")
    trainings.add(con, unordered, CLERK, now=AT)
    row = con.execute(
        "select school_year, held_on, kind, title, audience, division, organiser, attendance,"
        " import_id, source_row, entered_by, entered_at from trainings"
    ).fetchall()
    assert row == [
        (114, HELD, GOOD.kind, GOOD.title, "學生、教師", None, "教務處註冊組", 120, None, None, "clerk", AT)
    ]
    [listed] = trainings.sessions(con, 114)
    assert (listed["來源"], listed["匯入檔案"], listed["登錄者"], listed["對象"]) == (
        "表單",
        None,
        "clerk",
        "學生、教師",
    )


def test_an_exact_duplicate_key_is_refused(con: Con) -> None:
    trainings.add(con, GOOD, CLERK, now=AT)
    with pytest.raises(TrainingError) as err:
        trainings.add(con, replace(GOOD, audiences=["家長"], attendance=3), CLERK, now=AT)
    assert set(err.value.problems) == {"title"}
    assert _count(con) == 1
    trainings.add(con, replace(GOOD, title="高二學習歷程平臺操作說明（第二場）"), CLERK, now=AT)
    trainings.add(con, replace(GOOD, kind="專業研習"), CLERK, now=AT)
    assert _count(con) == 3


def test_only_edit_records_roles_may_add_or_remove(con: Con) -> None:
    with pytest.raises(TrainingError) as err:
        trainings.add(con, GOOD, MEMBER, now=AT)
    assert set(err.value.problems) == {"user"}
    assert _count(con) == 0
    trainings.add(con, GOOD, auth.User("sec", "教務主任", "執行秘書"), now=AT)
    with pytest.raises(TrainingError) as err:
        trainings.remove(con, 114, HELD, GOOD.kind, GOOD.title, MEMBER)
    assert set(err.value.problems) == {"user"}
    assert _count(con) == 1


def test_an_invalid_session_is_not_stored(con: Con) -> None:
    with pytest.raises(TrainingError) as err:
        trainings.add(con, replace(GOOD, kind="", organiser=""), CLERK, now=AT)
    assert set(err.value.problems) == {"kind", "organiser"}
    assert _count(con) == 0


def test_remove_deletes_a_form_row_and_counts_drop(con: Con) -> None:
    after_add = trainings.add(con, GOOD, CLERK, now=AT)
    assert after_add.scopes[0].counts[GOOD.kind] == 1
    after_remove = trainings.remove(con, 114, HELD, GOOD.kind, GOOD.title, CLERK)
    assert after_remove.scopes[0].counts[GOOD.kind] == 0
    assert _count(con) == 0
    with pytest.raises(TrainingError) as err:  # gone already
        trainings.remove(con, 114, HELD, GOOD.kind, GOOD.title, CLERK)
    assert set(err.value.problems) == {"session"}


def test_an_imported_row_is_refused_with_a_reimport_message(demo_con: Con) -> None:
    imported = next(s for s in trainings.sessions(demo_con, 114) if s["來源"] == "匯入")
    before = len(trainings.sessions(demo_con, 114))
    with pytest.raises(TrainingError) as err:
        trainings.remove(demo_con, 114, imported["日期"], imported["類型"], imported["名稱"], CLERK)
    assert "重新匯入" in err.value.problems["session"]
    assert imported["匯入檔案"] in err.value.problems["session"]
    assert len(trainings.sessions(demo_con, 114)) == before


def test_a_form_row_beside_imported_ones_counts_for_its_division(demo_con: Con) -> None:
    before = {d: metrics.year_metrics(demo_con, 114, d)["trainings"] for d in (None, *metrics.DIVISIONS)}
    evening = replace(GOOD, division="進修部", organiser="進修部教務組")
    result = trainings.add(demo_con, evening, CLERK, now=AT)
    by_scope = {s.division: s.counts for s in result.scopes}
    for division in (None, "進修部"):
        assert by_scope[division][GOOD.kind] == before[division][GOOD.kind] + 1
    assert by_scope["日間部"] == before["日間部"]
    sources = {s["名稱"]: s["來源"] for s in trainings.sessions(demo_con, 114)}
    assert sources[GOOD.title] == "表單"
    assert set(sources.values()) == {"表單", "匯入"}


def test_missing_types_per_division_against_the_rule(con: Con) -> None:
    trainings.add(con, replace(GOOD, kind="宣導說明", division="日間部"), CLERK, now=AT)
    result = trainings.compliance(con, 114)
    assert result.minimum == db.rule_value(con, trainings.RULE, 114) == 1
    scopes = {s.label: s for s in result.scopes}
    assert list(scopes) == ["全校", "日間部", "進修部"]
    assert scopes["全校"].missing == scopes["日間部"].missing == ("系統操作訓練", "專業研習")
    assert scopes["進修部"].missing == trainings.TYPES
    assert not result.complete
    for kind in trainings.TYPES:  # sessions for both divisions (empty 部別) count everywhere
        trainings.add(con, replace(GOOD, kind=kind, title=f"{kind}（兩部）"), CLERK, now=AT)
    assert trainings.compliance(con, 114).complete


def test_a_raised_minimum_applies_from_its_year(con: Con) -> None:
    con.execute("insert into rules values ($k, 2, 114, 'test')", {"k": trainings.RULE})
    for kind in trainings.TYPES:
        trainings.add(con, replace(GOOD, kind=kind), CLERK, now=AT)
    assert trainings.compliance(con, 114).minimum == 2
    assert trainings.compliance(con, 114).scopes[0].missing == trainings.TYPES


@pytest.mark.parametrize("year", [113, 114, 115])
def test_compliance_counts_are_year_metrics(demo_con: Con, year: int) -> None:
    result = trainings.compliance(demo_con, year)
    for scope in result.scopes:
        assert scope.counts == metrics.year_metrics(demo_con, year, scope.division)["trainings"]
        assert scope.missing == tuple(t for t in trainings.TYPES if scope.counts[t] < (result.minimum or 0))


def test_compliance_equals_the_command_line(demo_db: Path) -> None:
    c = db.connect(demo_db)
    try:
        result = trainings.compliance(c, 114)
    finally:
        c.close()  # the command line opens the file itself
    for scope in result.scopes:
        args = ["metrics", "--year", "114"]
        if scope.division is not None:
            args += ["--division", scope.division]
        done = run_cli(*args, "--db", str(demo_db))
        assert done.returncode == 0, done.stderr
        printed = json.loads(done.stdout)
        assert printed["division"] == scope.label
        assert printed["trainings"] == scope.counts


def test_attendance_by_year_adds_up_the_sessions(demo_con: Con) -> None:
    rows = trainings.attendance_by_year(demo_con)
    years = sorted({r["學年度"] for r in rows})
    assert years == [113, 114, 115]
    for year in years:
        listed = trainings.sessions(demo_con, year)
        for kind in trainings.TYPES:
            [row] = [r for r in rows if r["學年度"] == year and r["類型"] == kind]
            mine = [s for s in listed if s["類型"] == kind]
            assert row["場次"] == len(mine) == metrics.year_metrics(demo_con, year)["trainings"][kind]
            assert row["參加人數"] == sum(s["參加人數"] for s in mine)
            assert row["未填人數場次"] == 0


def test_attendance_left_empty_is_reported_not_summed_as_zero(con: Con) -> None:
    trainings.add(con, replace(GOOD, attendance=None), CLERK, now=AT)
    [row] = [r for r in trainings.attendance_by_year(con) if r["類型"] == GOOD.kind]
    assert (row["場次"], row["參加人數"], row["未填人數場次"]) == (1, None, 1)
    trainings.add(con, replace(GOOD, title="另一場", attendance=40), CLERK, now=AT)
    [row] = [r for r in trainings.attendance_by_year(con) if r["類型"] == GOOD.kind]
    assert (row["場次"], row["參加人數"], row["未填人數場次"]) == (2, 40, 1)
