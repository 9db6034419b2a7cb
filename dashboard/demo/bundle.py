"""The demo school: a deterministic generator of a full platform export bundle.

`generate(out_dir, seed)` writes the eleven kinds of kinds.py as CSV (UTF-8, canonical headers
in kinds.py's order, ISO dates, `2024-11-20 15:03:00` timestamps, empty cells for NULL) for
an invented 國立新竹高級工業職業學校: about 2,450 日間部 students in nine departments and 490
進修部 students, 178 staff, over 學年度 113 and 114 and the semester in progress, 115-1,
exported at DEMO_EXPORTED_AT. Run `python -m dashboard.demo` to rewrite data/demo/.

What the data means (details in each module's docstring):
- demo_calendar: the terms, their phases (作業期程) and 研習場次; the random streams.
- demo_people / demo_staff: 學生名冊 and 教職員名冊. Each term's roster is the register at
  that term's end; 113-2's and 114-2's are the exports after graduation, so that year's
  seniors are 畢業 with 畢業學年度 113 / 114 (資料保存 has two cohorts; 紙本通知 finds them).
  They count as active in that term (metrics.md), so no figure differs from a roster taken
  before graduation.
- demo_names: names and addresses; every 身分證號 has the real form but fails the
  national-ID checksum on purpose, so none can be a real person's.
- demo_courses: 開課資料. demo_records: 課程學習成果, with three deliberate orphan rows.
- demo_diverse: 多元表現. demo_admin: 幹部經歷, 課程諮詢紀錄.
- demo_submissions: 提交紀錄, 收訖確認.

Determinism: all randomness comes from `numpy.random.default_rng([seed, n])`, one stream n
per part; nothing reads the wall clock or `hash()`, so every run writes byte-identical files.
Nothing is timestamped at or after DEMO_EXPORTED_AT; only 作業期程 holds later (planned)
dates. This module must not import streamlit.
"""

from __future__ import annotations

import csv
import gc
import io
import sys
import time
from operator import itemgetter
from pathlib import Path

from dashboard.demo.admin import build_cadres, cadre_rows, counselling_rows
from dashboard.demo.calendar import EXPORTED_AT, Stream, schedule_rows, training_rows
from dashboard.demo.courses import build_school, offering_rows
from dashboard.demo.diverse import build_diverse, diverse_rows
from dashboard.demo.people import roster_rows
from dashboard.demo.records import build_outcomes, outcome_rows
from dashboard.demo.staff import staff_rows
from dashboard.demo.submissions import receipt_rows, submission_rows
from dashboard.ingest.kinds import KINDS, Kind

DEMO_EXPORTED_AT = EXPORTED_AT  # 2026-11-16 08:00, mid-semester 115-1
DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
DEFAULT_SEED = 20241


def tables(seed: int = DEFAULT_SEED) -> dict[str, list[dict[str, str]]]:
    """Every kind's rows (keyed by Kind.key), each row keyed by canonical header."""
    enabled = gc.isenabled()
    gc.disable()  # a million small acyclic objects: cycle collection would only cost time
    try:
        return _tables(seed)
    finally:
        if enabled:
            gc.enable()


def _tables(seed: int) -> dict[str, list[dict[str, str]]]:
    school = build_school(seed)  # streams 1–3
    outcomes = build_outcomes(school, Stream(seed, 4))
    diverse = build_diverse(school, Stream(seed, 5))
    cadres = build_cadres(school, Stream(seed, 6))
    return {
        "students": roster_rows(school.students),
        "staff": staff_rows(school.staff),
        "offerings": offering_rows(school),
        "outcomes": outcome_rows(outcomes),
        "diverse": diverse_rows(diverse),
        "cadres": cadre_rows(cadres),
        "counselling": counselling_rows(school, Stream(seed, 7)),
        "submissions": submission_rows(school, Stream(seed, 8), outcomes, diverse, cadres),
        "receipts": receipt_rows(school, Stream(seed, 9), outcomes, diverse, cadres),
        "schedule": schedule_rows(),
        "trainings": training_rows(Stream(seed, 10)),
    }


def write_csv(path: Path, kind: Kind, rows: list[dict[str, str]]) -> None:
    headers = [c.header for c in kind.columns]
    odd = next((row for row in rows if len(row) != len(headers)), None)
    if odd is not None:  # a missing header fails below with KeyError; an extra one here
        raise ValueError(f"{kind.label}: row has columns {sorted(odd)}, expected {headers}")
    records = [headers, *map(itemgetter(*headers), rows)]
    text = "".join(",".join(r) + "\n" for r in records)
    # Plain joins are the csv module's output when no cell holds a comma, quote or line break;
    # the counts prove that, and anything else goes through csv.writer (which quotes).
    plain = text.count(",") == (len(headers) - 1) * len(records) and text.count("\n") == len(records)
    if not plain or '"' in text or "\r" in text:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(records)
        text = buffer.getvalue()
    path.write_bytes(text.encode("utf-8"))


def generate(out_dir: Path, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the eleven CSV files into out_dir; return the row count per file name."""
    return write_bundle(out_dir, tables(seed))


def write_bundle(out_dir: Path, data: dict[str, list[dict[str, str]]]) -> dict[str, int]:
    """Write `tables()`' rows as the eleven CSV files; return the row count per file name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for kind in KINDS:
        name = f"{kind.label}.csv"
        write_csv(out_dir / name, kind, data[kind.key])
        counts[name] = len(data[kind.key])
    return counts


def main() -> None:
    started = time.perf_counter()
    counts = generate(DEMO_DIR)
    for name, n in counts.items():
        print(f"{name}\t{n}")
    size = sum((DEMO_DIR / name).stat().st_size for name in counts)
    print(f"已寫入 {DEMO_DIR}：{size / 1e6:.1f} MB，{time.perf_counter() - started:.1f} 秒", file=sys.stderr)


if __name__ == "__main__":
    main()
