"""The command line as a user runs it: a subprocess, JSON on stdout, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import db
from dashboard.measures import metrics
from tests.cli_helpers import run_cli


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("metrics",),
        ("metrics", "--semester", "113-1", "--year", "113"),
        ("metrics", "--semester", "113-9"),
        ("metrics", "--semester", "abc"),
        ("metrics", "--year", "113", "--by", "teacher"),
        ("metrics", "--semester", "113-1", "--division", "夜校"),
        ("eligibility",),
        ("frobnicate",),
    ],
)
def test_usage_errors_exit_2_without_traceback(args: tuple[str, ...], db_file: Path) -> None:
    out = run_cli(*args, "--db", str(db_file)) if args else run_cli()
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert out.stdout == ""


def test_metrics_json_equals_the_core(demo_db: Path) -> None:
    out = run_cli("metrics", "--semester", "114-2", "--division", "日間部", "--db", str(demo_db))
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout)
    con = db.connect(demo_db)
    try:
        assert shown == json.loads(json.dumps(metrics.semester_metrics(con, 114, 2, "日間部")))
    finally:
        con.close()
    assert shown["semester"] == "114-2"
    assert shown["division"] == "日間部"
    assert "資料截至 2026-11-16 08:00" in out.stderr


def test_year_breakdown_and_eligibility_shapes(demo_db: Path) -> None:
    year = json.loads(run_cli("metrics", "--year", "114", "--db", str(demo_db)).stdout)
    assert year["year"] == 114 and year["division"] == "全校"
    assert set(year["receipts"]) == {"修課紀錄", "課程學習成果", "多元表現", "校內幹部經歷"}
    assert set(year["trainings"]) == {"宣導說明", "系統操作訓練", "專業研習"}
    teachers = json.loads(
        run_cli("metrics", "--semester", "114-1", "--by", "teacher", "--db", str(demo_db)).stdout
    )
    assert teachers and {"教師代碼", "教師姓名", "submitted", "on_time_rate"} <= set(teachers[0])
    assert "upload_rate" not in teachers[0]
    eligible = json.loads(run_cli("eligibility", "--year", "114", "--db", str(demo_db)).stdout)
    assert {"教師代碼", "教師姓名", "submitted", "on_time", "on_time_rate", "eligible"} == set(eligible[0])


def test_import_rejects_bad_file_with_every_problem_and_exit_1(tmp_path: Path, db_file: Path) -> None:
    bad = tmp_path / "名冊.csv"
    bad.write_text(
        "學年度,學期,部別,學號,姓名,科別,年級,班級,學籍狀態\n"
        "113,1,日間部,1130001,王小明,機械科,1,機一甲,在學\n"
        "113,3,日間部,1130002,李小華,機械科,1,機一甲,在學\n"
        "113,1,月間部,1130003,陳大文,機械科,1,機一甲,放假\n",
        encoding="utf-8",
    )
    out = run_cli("import", str(bad), "--db", str(db_file))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    report = json.loads(out.stdout)
    assert report["ok"] is False
    rows = sorted((p["row"], p["column"]) for p in report["problems"])
    assert rows == [(3, "學期"), (4, "學籍狀態"), (4, "部別")]
    assert "資料庫未變更" in out.stderr
    con = db.connect(db_file)
    try:
        assert con.execute("select count(*) from students").fetchone() == (0,)
        assert con.execute("select count(*) from imports").fetchone() == (0,)
    finally:
        con.close()


def test_import_missing_path_is_rejected(db_file: Path) -> None:
    out = run_cli("import", "/nonexistent/匯出檔", "--db", str(db_file))
    assert out.returncode == 1
    assert "找不到" in out.stderr


def test_user_add_from_stdin_then_sign_in(db_file: Path) -> None:
    from dashboard import auth

    add_admin = ("user", "add", "admin", "--role", "管理者", "--password-stdin", "--db", str(db_file))
    out = run_cli(*add_admin, stdin="long-password\n")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["role"] == "管理者"
    again = run_cli(*add_admin, stdin="long-password\n")
    assert again.returncode == 1 and "已存在" in again.stderr
    con = db.connect(db_file)
    try:
        assert auth.authenticate(con, "admin", "long-password") is not None
    finally:
        con.close()


def test_db_held_by_another_process_gives_a_clear_message(db_file: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db_file)!r}); print('ok',flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        out = run_cli("metrics", "--year", "113", "--db", str(db_file))
        assert out.returncode == 1
        assert "正由另一個程式使用中" in out.stderr
        assert "Traceback" not in out.stderr
    finally:
        holder.kill()


def _roster_file(path: Path, names: list[str]) -> Path:
    head = "學年度,學期,部別,學號,姓名,科別,年級,班級,學籍狀態\n"
    lines = [f"113,1,日間部,11300{i:02d},{n},機械科,1,機一甲,在學\n" for i, n in enumerate(names)]
    path.write_text(head + "".join(lines), encoding="utf-8")
    return path


def test_a_loss_needs_yes_or_an_answer_and_every_import_can_be_undone(db_file: Path, tmp_path: Path) -> None:
    five = _roster_file(tmp_path / "五人.csv", ["甲", "乙", "丙", "丁", "戊"])
    assert run_cli("import", str(five), "--db", str(db_file), stdin="").returncode == 0
    one = _roster_file(tmp_path / "一人.csv", ["甲"])
    refused = run_cli("import", str(one), "--db", str(db_file), stdin="")
    assert refused.returncode == 1, refused.stderr
    assert "需要確認：學生名冊（113-1 日間部）：現有 5 筆，匯入後 4 筆會消失" in refused.stderr
    assert "Traceback" not in refused.stderr
    con = db.connect(db_file)
    try:
        assert db.row_count(con, "students") == 5
    finally:
        con.close()
    done = run_cli("import", str(one), "--yes", "--db", str(db_file), stdin="")
    assert done.returncode == 0, done.stderr
    batch = json.loads(done.stdout)["batch_id"]
    history = json.loads(run_cli("import", "--history", "--db", str(db_file)).stdout)
    assert [h["can_undo"] for h in history] == [True, False] and history[0]["batch_id"] == batch
    assert "請先復原較新的那次" in history[1]["why_not"]  # the newer import of its scope comes first
    undone = run_cli("import", "--undo", batch, "--db", str(db_file))
    assert undone.returncode == 0, undone.stderr
    assert json.loads(undone.stdout) == {
        "batch_id": batch,
        "removed_rows": 1,
        "restored_rows": 5,
        "warnings_count": 0,
    }
    again = run_cli("import", "--undo", batch, "--db", str(db_file))
    assert again.returncode == 1 and "無法復原這次匯入：已於" in again.stderr
    con = db.connect(db_file)
    try:
        assert db.row_count(con, "students") == 5
    finally:
        con.close()
