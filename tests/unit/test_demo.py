"""The demo school generator: deterministic, shaped like domain.md's school, true to kinds.py.

The bundle is generated once per module; a second run in a separate interpreter (another
PYTHONHASHSEED, running at the same time) must write byte-identical files.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from dashboard.demo import bundle as demo
from dashboard.ingest.kinds import ACTIVE_STATUSES, KINDS
from dashboard.ingest.normalize import parse_id_number

ROOT = Path(__file__).resolve().parents[2]
EXPORT = demo.DEMO_EXPORTED_AT
DONE = ("113-1", "113-2", "114-1", "114-2")  # complete semesters; 115-1 is in progress
Rows = list[dict[str, str]]
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


@dataclass(frozen=True)
class Bundle:
    a: Path
    b: Path
    counts: dict[str, int]
    rows: dict[str, Rows]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """One run in this process, one in a separate interpreter with another hash seed.

    They overlap in time (the second is started first), so the pair costs about one run.
    The rows this process wrote are kept in memory for the content checks.
    """
    a, b = tmp_path_factory.mktemp("demo_a"), tmp_path_factory.mktemp("demo_b")
    code = "import sys, pathlib, dashboard.demo.bundle as d; d.generate(pathlib.Path(sys.argv[1]))"
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    other = subprocess.Popen([sys.executable, "-c", code, str(b)], cwd=ROOT, env=env, stderr=subprocess.PIPE)
    rows = demo.tables()
    counts = demo.write_bundle(a, rows)
    _, err = other.communicate(timeout=120)
    assert other.returncode == 0, err.decode()
    return Bundle(a, b, counts, rows)


@pytest.fixture(scope="module")
def data(generated: Bundle) -> dict[str, Rows]:
    return generated.rows


def term(row: dict[str, str]) -> str:
    return f"{row['學年度']}-{row['學期']}"


def counts_as_active(row: dict[str, str]) -> bool:
    """metrics.md: 在籍, or 畢業 with 畢業學年度 the row's own 學年度 (graduates count in their last term)."""
    graduated = row["學籍狀態"] == "畢業" and row["畢業學年度"] == row["學年度"]
    return row["學籍狀態"] in ACTIVE_STATUSES or graduated


def active(data: dict[str, Rows], semester: str, division: str | None = None) -> set[str]:
    return {
        r["學號"]
        for r in data["students"]
        if term(r) == semester and counts_as_active(r) and division in (None, r["部別"])
    }


# The national-ID checksum (內政部), written here independently of the generator.
_ID_TABLE = (
    "A10 B11 C12 D13 E14 F15 G16 H17 I34 J18 K19 L20 M21 N22 O35 P23 Q24 R25 S26 T27 U28 V29 W32 X30 Y31 Z33"
)
ID_LETTERS = {pair[0]: int(pair[1:]) for pair in _ID_TABLE.split()}


def passes_id_checksum(value: str) -> bool:
    code = ID_LETTERS[value[0]]
    total = code // 10 + (code % 10) * 9
    total += sum(int(d) * w for d, w in zip(value[1:9], (8, 7, 6, 5, 4, 3, 2, 1), strict=True))
    return (total + int(value[9])) % 10 == 0


def phase_end(data: dict[str, Rows], semester: str, phase: str, division: str = "") -> date:
    rows = [r for r in data["schedule"] if term(r) == semester and r["項目"] == phase]
    row = next((r for r in rows if r["部別"] == division), None) or next(r for r in rows if not r["部別"])
    return date.fromisoformat(row["結束日期"])


def test_two_runs_write_byte_identical_files(generated: Bundle) -> None:
    a, b, counts = generated.a, generated.b, generated.counts
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir()) == sorted(counts)
    for name in counts:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_committed_bundle_is_what_the_generator_writes(generated: Bundle) -> None:
    a, counts = generated.a, generated.counts
    for name in counts:
        committed = demo.DEMO_DIR / name
        assert committed.exists(), f"{committed} missing: run python -m dashboard.demo"
        assert committed.read_bytes() == (a / name).read_bytes(), (
            f"{name} is stale: run python -m dashboard.demo"
        )


def test_files_have_canonical_headers_and_the_returned_counts(
    generated: Bundle,
) -> None:
    a, counts = generated.a, generated.counts
    assert set(counts) == {f"{k.label}.csv" for k in KINDS}
    for k in KINDS:
        lines = (a / f"{k.label}.csv").read_text(encoding="utf-8").splitlines()
        assert lines[0] == ",".join(c.header for c in k.columns)
        assert len(lines) - 1 == counts[f"{k.label}.csv"] > 0


def test_nothing_is_stamped_after_the_export(data: dict[str, Rows]) -> None:
    for k in KINDS:
        for c in k.columns:
            values = [r[c.header] for r in data[k.key] if r[c.header]]
            if c.type == "ts":
                assert max(values, default="") <= EXPORT.isoformat(" "), (k.label, c.header)
                assert all(map(TIMESTAMP.fullmatch, values)), (k.label, c.header)
            elif c.type == "date" and k.key != "schedule":  # the schedule is a plan: future dates
                assert max(values, default="") < EXPORT.date().isoformat(), (k.label, c.header)


def test_roster_is_a_large_vocational_school(data: dict[str, Rows]) -> None:
    for semester in (*DONE, "115-1"):
        assert 2300 <= len(active(data, semester, "日間部")) <= 2600
        assert 420 <= len(active(data, semester, "進修部")) <= 580
    roster = data["students"]
    assert {r["科別"] for r in roster if r["部別"] == "日間部"} >= {
        "機械科",
        "製圖科",
        "資訊科",
        "冷凍空調科",
    }
    assert {"機一甲", "電二乙", "資三甲", "進機一", "進電二"} <= {r["班級"] for r in roster}
    assert {r["年級"] for r in roster if r["部別"] == "進修部"} == {"1", "2", "3", "4"}
    assert {r["學號"][:3] for r in roster} == {"111", "112", "113", "114", "115"}
    assert all(re.fullmatch(r"\d{7}", r["學號"]) and r["通訊地址"] for r in roster)
    ids = {r["學號"]: r["身分證號"] for r in roster}
    assert len(set(ids.values())) == len(ids)
    assert any(ch in r["姓名"] for r in roster for ch in "堃喆峯")
    statuses = Counter(r["學籍狀態"] for r in roster)
    assert {"轉入", "轉出", "休學", "復學", "退學", "重讀", "借讀", "畢業"} <= set(statuses)
    assert all(r["異動日期"] for r in roster if r["學籍狀態"] != "在學")


def test_every_national_id_fails_the_checksum_but_has_the_importers_form(data: dict[str, Rows]) -> None:
    """No demo 身分證號 can be a real person's: each fails the checksum on purpose."""
    assert passes_id_checksum("A123456789") and not passes_id_checksum("A123456788")  # the check works
    ids = {r["身分證號"] for r in data["students"]}
    assert len(ids) > 4000
    assert [v for v in ids if passes_id_checksum(v)] == []
    assert all(parse_id_number(v) == v and v[1] in "12" for v in ids)


def test_seniors_graduate_on_the_post_graduation_roster(data: dict[str, Rows]) -> None:
    """113-2 and 114-2 are exported after graduation: the seniors who leave are 畢業 with
    畢業學年度 that year and the day of the 畢業典禮; no one else is 畢業, and none returns."""
    roster = data["students"]
    graduated = [r for r in roster if r["學籍狀態"] == "畢業"]
    assert {term(r) for r in graduated} == {"113-2", "114-2"}
    assert all(r["畢業學年度"] == r["學年度"] and r["異動日期"] for r in graduated)
    assert all(not r["畢業學年度"] for r in roster if r["學籍狀態"] != "畢業")
    for semester, year in (("113-2", "113"), ("114-2", "114")):
        day = {r["學號"] for r in graduated if term(r) == semester and r["部別"] == "日間部"}
        night = {r["學號"] for r in graduated if term(r) == semester and r["部別"] == "進修部"}
        later = {r["學號"] for r in roster if r["學年度"] > year}
        assert len(day) > 700 and len(night) > 100 and not (day | night) & later
        # Every 日間部 senior still 在籍 at the term's end graduated (借讀 guests go home).
        seniors = {
            r["學號"]
            for r in roster
            if term(r) == semester and r["部別"] == "日間部" and r["年級"] == "3" and counts_as_active(r)
        }
        guests = {r["學號"] for r in roster if term(r) == semester and r["學籍狀態"] == "借讀"}
        assert seniors - guests == day
    # 進修部 延修: grade-3 students staying a fourth year are 在學 in 113-2, not 畢業.
    fourth = {r["學號"] for r in roster if term(r) == "114-1" and r["年級"] == "4"}
    assert fourth and all(
        r["學籍狀態"] != "畢業" for r in roster if term(r) == "113-2" and r["學號"] in fourth
    )


def test_staff_roster(data: dict[str, Rows]) -> None:
    staff = data["staff"]
    assert 160 <= len(staff) <= 200
    assert all(re.fullmatch(r"T\d{4}", p["教職員代碼"]) for p in staff)
    assert {"註冊組長", "進修部教務組長", "訓育組長", "活動組長"} <= {p["職稱"] for p in staff}
    left = [p for p in staff if p["在職狀態"] == "離職"]
    assert 2 <= len(left) <= 3 and all(p["異動日期"] and p["帳號停用日期"] for p in left)


def test_offerings_cover_every_class(data: dict[str, Rows]) -> None:
    codes = {p["教職員代碼"] for p in data["staff"]}
    per_class = Counter((term(r), r["班級"]) for r in data["offerings"])
    assert min(per_class.values()) >= 8 and max(per_class.values()) <= 10
    assert all(len(r["課程代碼"]) == 23 and r["任課教師代碼"] in codes for r in data["offerings"])
    classes = {(term(r), r["班級"]) for r in data["students"]}
    assert classes == set(per_class)


def test_outcome_uploads_per_semester(data: dict[str, Rows]) -> None:
    for semester in DONE:
        students = active(data, semester)
        per_student = Counter(
            r["學號"] for r in data["outcomes"] if term(r) == semester and r["學號"] in students
        )
        none = sum(1 for no in students if no not in per_student) / len(students)
        assert 0.08 <= none <= 0.12, semester
        assert 3.0 <= sum(per_student.values()) / len(students) <= 4.0
        assert 5 <= sum(1 for n in per_student.values() if n > 6) <= 15
    assert {r["認證狀態"] for r in data["outcomes"]} == {"未送出", "認證中", "通過", "未通過"}
    assert all(bool(r["未通過原因"]) == (r["認證狀態"] == "未通過") for r in data["outcomes"])
    assert all(bool(r["認證時間"]) == (r["認證狀態"] in ("通過", "未通過")) for r in data["outcomes"])
    assert all(r["送出認證時間"] >= r["上傳時間"] for r in data["outcomes"] if r["送出認證時間"])
    assert {"學期", "補修", "重修"} <= {r["成果類型"] for r in data["outcomes"]}


def test_certification_has_late_teachers_and_proxies(data: dict[str, Rows]) -> None:
    staff = {p["教職員代碼"]: p for p in data["staff"]}
    division = {r["學號"]: r["部別"] for r in data["students"]}
    decided = [r for r in data["outcomes"] if r["認證時間"]]
    proxied = [r for r in decided if r["認證人代碼"] != r["任課教師代碼"] and r["學號"] in division]
    assert len(proxied) >= 20
    assert {staff[r["任課教師代碼"]]["在職狀態"] for r in proxied} == {"離職"}
    assert {staff[r["認證人代碼"]]["單位"] for r in proxied} <= {"教務處註冊組", "進修部教務組"}
    deadline = {
        (semester, div): (phase_end(data, semester, "教師認證", div) + timedelta(1)).isoformat()
        for semester in DONE
        for div in ("日間部", "進修部")
    }
    for semester in DONE:
        done = [r for r in decided if term(r) == semester and r["學號"] in division]
        late = [r for r in done if r["認證時間"] >= deadline[(semester, division[r["學號"]])]]
        assert 10 <= len(late) <= 0.05 * len(done), semester


def test_semester_in_progress(data: dict[str, Rows]) -> None:
    now = [r for r in data["outcomes"] if term(r) == "115-1"]
    sent = [r for r in now if r["送出認證時間"]]
    assert sum(r["認證狀態"] == "認證中" for r in sent) >= 0.2 * len(sent)
    assert not any(r["勾選"] == "Y" for r in now) and not any(
        r["勾選"] == "Y" for r in data["diverse"] if r["學年度"] == "115"
    )
    assert {r["名冊別"] for r in data["submissions"] if r["學年度"] == "115"} == {"學籍資料"}
    assert not [r for r in data["receipts"] if r["學年度"] == "115"]


def test_selection_after_semester_two(data: dict[str, Rows]) -> None:
    for year in ("113", "114"):
        picked = [r for r in data["outcomes"] if r["學年度"] == year and r["勾選"] == "Y"]
        over = Counter(r["學號"] for r in picked)
        assert 1 <= sum(1 for n in over.values() if n > 6) <= 10
        assert 1 <= sum(1 for r in picked if r["認證狀態"] != "通過") <= 10
        diverse = Counter(r["學號"] for r in data["diverse"] if r["學年度"] == year and r["勾選"] == "Y")
        assert 1 <= sum(1 for n in diverse.values() if n > 10) <= 10
        assert all(r["勾選時間"] for r in picked)


def test_diverse_performance_per_year(data: dict[str, Rows]) -> None:
    for year in ("113", "114"):
        students = active(data, f"{year}-1") | active(data, f"{year}-2")
        per_student = Counter(r["學號"] for r in data["diverse"] if r["學年度"] == year)
        assert 6.0 <= sum(per_student.values()) / len(students) <= 8.0
        assert 1 <= sum(1 for n in per_student.values() if n > 20) <= 10
    top = Counter(r["類別"] for r in data["diverse"]).most_common(2)
    assert [c for c, _ in top] == ["檢定證照紀錄", "競賽參與紀錄"]


def test_few_deliberate_orphans(data: dict[str, Rows]) -> None:
    rosters: dict[str, set[str]] = {}
    for r in data["students"]:
        rosters.setdefault(term(r), set()).add(r["學號"])
    orphans = [r for r in data["outcomes"] if r["學號"] not in rosters[term(r)]]
    assert 1 <= len(orphans) <= 5
    for key in ("cadres", "counselling"):
        assert all(r["學號"] in rosters[term(r)] for r in data[key]), key


def test_counselling_reaches_most_students(data: dict[str, Rows]) -> None:
    for semester in DONE:
        students = active(data, semester)
        met = {r["學號"] for r in data["counselling"] if term(r) == semester} & students
        assert 0.6 <= len(met) / len(students) <= 0.8
    assert {r["諮詢方式"] for r in data["counselling"]} == {"個別", "團體"}


def test_cadres_entered_by_student_affairs(data: dict[str, Rows]) -> None:
    cadres = data["cadres"]
    assert {r["幹部等級"] for r in cadres} == {"班級", "校級", "社團", "實習"}
    assert {r["登錄單位"] for r in cadres} == {"學務處訓育組", "學務處活動組", "進修部學務組"}
    assert "機器人研究社" in {r["單位名稱"] for r in cadres}


def test_submissions(data: dict[str, Rows]) -> None:
    subs = data["submissions"]
    failed = [r for r in subs if r["結果"] == "失敗"]
    assert len(failed) == 1
    key = ("學年度", "學期", "部別", "名冊別", "梯次")
    again = [
        r for r in subs if all(r[k] == failed[0][k] for k in key) and r["提交時間"] > failed[0]["提交時間"]
    ]
    assert again and again[0]["結果"] == "成功"
    late = [
        r
        for r in subs
        if r["學期"] != "0"
        and r["提交時間"] >= (phase_end(data, term(r), "學校提交") + timedelta(1)).isoformat()
    ]
    assert len(late) == 1
    assert {r["梯次"] for r in subs if r["學期"] == "0"} == {"", "1", "2"}
    assert {r["提交單位"] for r in subs} == {"教務處註冊組", "進修部教務組", "學務處訓育組", "進修部學務組"}
    assert all(datetime.fromisoformat(r["提交時間"]).weekday() < 5 for r in subs)


def test_receipts(data: dict[str, Rows]) -> None:
    receipts = data["receipts"]
    assert {r["確認狀態"] for r in receipts} == {"已確認", "未確認", "回報錯誤"}
    reported = [r for r in receipts if r["確認狀態"] == "回報錯誤"]
    assert all(r["錯誤別"] and r["問題描述"] for r in reported)
    assert sum(not r["答覆時間"] for r in reported) == 1
    waits = [
        datetime.fromisoformat(r["答覆時間"]) - datetime.fromisoformat(r["確認時間"])
        for r in reported
        if r["答覆時間"]
    ]
    assert (
        any(w > timedelta(days=3) for w in waits)
        and sum(w <= timedelta(days=3) for w in waits) > len(waits) / 2
    )
    seniors = {r["學號"] for r in data["students"] if term(r) == "113-2" and r["年級"] == "3"}
    paper = [r for r in receipts if r["通知方式"] == "紙本郵寄"]
    assert paper and {r["學號"] for r in paper if r["學年度"] == "113"} <= seniors


def test_schedule_follows_the_calendar(data: dict[str, Rows]) -> None:
    phases = {"學生上傳課程學習成果", "教師認證", "學生上傳多元表現", "學校提交", "收訖確認", "休業式"}
    for semester in (*DONE, "115-1"):
        rows = [r for r in data["schedule"] if term(r) == semester]
        have = {r["項目"] for r in rows if not r["部別"]}
        assert have == phases | ({"學生勾選"} if semester.endswith("2") else set())
        assert any(r["部別"] == "進修部" for r in rows)
        closing = phase_end(data, semester, "休業式")
        assert phase_end(data, semester, "學生上傳課程學習成果") >= closing + timedelta(14)
        receipt = next(r for r in rows if r["項目"] == "收訖確認")
        assert date.fromisoformat(receipt["結束日期"]) - date.fromisoformat(receipt["開始日期"]) >= timedelta(
            3
        )
        assert all(r["自我檢核日期"] and r["負責單位"] for r in rows)


def test_trainings_every_type_every_year(data: dict[str, Rows]) -> None:
    per_year = Counter((r["學年度"], r["類型"]) for r in data["trainings"])
    for year in ("113", "114", "115"):
        assert all(per_year[(year, t)] >= 1 for t in ("宣導說明", "系統操作訓練", "專業研習"))
    assert {r["主辦單位"] for r in data["trainings"]} == {"教務處註冊組", "進修部教務組"}


def test_cells_with_commas_quotes_or_line_breaks_are_quoted(tmp_path: Path) -> None:
    trainings = next(k for k in KINDS if k.key == "trainings")
    plain = {c.header: "" for c in trainings.columns} | {"學年度": "113", "名稱": "說明會"}
    odd = plain | {"名稱": '說明會, "第一場"\n下午', "對象": "學生、家長"}
    for rows in ([plain], [plain, odd]):
        path = tmp_path / "研習場次.csv"
        demo.write_csv(path, trainings, rows)
        with path.open(encoding="utf-8", newline="") as f:
            assert list(csv.DictReader(f)) == rows
