"""學籍異動 (補充規定第九點): the students of a semester whose 學籍狀態 is not 在學 or changed in
it, and how the 在籍 rule of metrics.md counts each of them and their rows.

A student is active in a semester when their roster row's 學籍狀態 is one of ACTIVE_STATUSES
(在學, 復學, 轉入, 重讀, 借讀), or is 畢業 with 畢業學年度 the row's own 學年度: a roster exported
after graduation marks the seniors 畢業 in their last semester, and they still count in it. Only
active students count in any rate. 課程學習成果 follow the semester's row (A(S)); 多元表現 and
收訖確認 are per 學年度 and follow A(Y), the students active in either semester of the year, so
a student who 休學 in the second semester still has the year's 多元表現 counted. Whether a row
is active is decided by the macros of migration 009, never here. The counting is
`queries/enrolment_changes.sql`; this module turns it into records with the reason in words
and the tables the page shows and exports. It must not import streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from dashboard import db
from dashboard.formatting import roc_date
from dashboard.ingest.kinds import ACTIVE_STATUSES
from dashboard.measures import metrics
from dashboard.privacy import mask_name

COUNTED = "計入比率"
NOT_COUNTED = "不計入"

# Every 學籍狀態 a change can show, in the order the summary lists them.
STATUS_ORDER: tuple[str, ...] = ("轉入", "復學", "重讀", "借讀", "在學", "轉出", "休學", "退學", "畢業")

_ACTIVE_RULE = "在籍學生（在學、復學、轉入、重讀、借讀）"
REASONS: dict[str, str] = {
    "轉入": f"轉入本校，屬{_ACTIVE_RULE}，本學期的紀錄計入各項比率。",
    "復學": f"休學後復學，屬{_ACTIVE_RULE}，本學期的紀錄計入各項比率。",
    "重讀": f"重讀，屬{_ACTIVE_RULE}，本學期的紀錄計入各項比率。",
    "借讀": f"借讀，屬{_ACTIVE_RULE}，本學期的紀錄計入各項比率。",
    "在學": f"本學期異動後回到在學，屬{_ACTIVE_RULE}，紀錄計入各項比率。",
    "轉出": f"已轉出本校，不屬{_ACTIVE_RULE}；本學期的紀錄不計入任何比率（分母與分子都不算）。",
    "休學": f"休學中，不屬{_ACTIVE_RULE}；本學期的紀錄不計入任何比率（分母與分子都不算）。",
    "退學": f"已退學，不屬{_ACTIVE_RULE}；本學期的紀錄不計入任何比率（分母與分子都不算）。",
    "畢業": (
        f"已於較早學年度畢業（或未填畢業學年度），不屬{_ACTIVE_RULE}；"
        "本學期的紀錄不計入任何比率（分母與分子都不算）。"
    ),
}
# A 畢業 row of its own 畢業學年度: the roster was exported after graduation (metrics.md).
_GRADUATED_COUNTED = "{year}學年度畢業：畢業當學年度仍計入，本學期的紀錄計入各項比率。"
_YEAR_NOTE_ACTIVE = "同學年度另一學期在籍，所以本學年度的多元表現與收訖確認仍計入。"
_YEAR_NOTE_INACTIVE = "本學年度兩個學期都不在籍，多元表現與收訖確認也不計入。"


@dataclass(frozen=True)
class EnrolmentChange:
    student_no: str
    name: str | None
    division: str
    department: str
    grade: int
    class_name: str
    status: str
    changed_on: date | None
    graduation_year: int | None  # 畢業學年度, set on 畢業 rows
    previous_status: str | None  # the row of the semester before; None when there is none
    active_in_semester: bool
    active_in_year: bool
    outcomes_counted: int
    outcomes_left_out: int
    diverse_counted: int
    diverse_left_out: int
    receipts_counted: int
    receipts_left_out: int

    @property
    def counted(self) -> bool:
        return self.active_in_semester

    @property
    def counting(self) -> str:
        return COUNTED if self.counted else NOT_COUNTED

    @property
    def reason(self) -> str:
        if self.status == "畢業" and self.counted and self.graduation_year is not None:
            return _GRADUATED_COUNTED.format(year=self.graduation_year)
        text = REASONS.get(self.status, f"學籍狀態「{self.status}」不屬{_ACTIVE_RULE}，紀錄不計入任何比率。")
        if not self.active_in_semester:
            text += _YEAR_NOTE_ACTIVE if self.active_in_year else _YEAR_NOTE_INACTIVE
        return text


def _as_date(value: Any) -> date | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def changes(
    con: duckdb.DuckDBPyConnection, year: int, semester: int, division: str | None = None
) -> list[EnrolmentChange]:
    """The semester's 學籍異動, ordered by 班級 and 學號."""
    metrics.semester_label(year, semester)  # validates the semester
    rows = db.query_rows(
        con,
        "enrolment_changes",
        year=year,
        semester=semester,
        division=metrics.normalize_division(division),
        active_statuses=list(ACTIVE_STATUSES),
    )
    return [db.record(EnrolmentChange, r, changed_on=_as_date(r["status_changed_on"])) for r in rows]


def detail_table(items: Sequence[EnrolmentChange], *, show_names: bool) -> pd.DataFrame:
    """One row per student as shown and exported; names masked (王○明) unless show_names."""
    rows = [
        {
            "學號": c.student_no,
            "姓名": c.name if show_names else mask_name(c.name),
            "部別": c.division,
            "科別": c.department,
            "年級": c.grade,
            "班級": c.class_name,
            "學籍狀態": c.status,
            "異動日期": roc_date(c.changed_on),
            "前學期狀態": c.previous_status or "",
            "計入": c.counting,
            "說明": c.reason,
            "課程學習成果 計入": c.outcomes_counted,
            "課程學習成果 不計入": c.outcomes_left_out,
            "多元表現 計入": c.diverse_counted,
            "多元表現 不計入": c.diverse_left_out,
            "收訖確認 計入": c.receipts_counted,
            "收訖確認 不計入": c.receipts_left_out,
        }
        for c in items
    ]
    columns = [
        "學號", "姓名", "部別", "科別", "年級", "班級", "學籍狀態", "異動日期", "前學期狀態", "計入", "說明",
        "課程學習成果 計入", "課程學習成果 不計入", "多元表現 計入", "多元表現 不計入",
        "收訖確認 計入", "收訖確認 不計入",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def summary_table(items: Sequence[EnrolmentChange]) -> pd.DataFrame:
    """Counts by 學籍狀態 and whether counted, with the rows each status brings in or leaves out.

    One 學籍狀態 can give two lines: 畢業 counts in its own 畢業學年度 and not in a later one."""
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    groups = sorted(
        {(c.status, c.counting) for c in items},
        key=lambda g: (order.get(g[0], len(order)), g[0], g[1] != COUNTED),
    )
    rows = []
    for status, counting in groups:
        group = [c for c in items if c.status == status and c.counting == counting]
        rows.append(
            {
                "學籍狀態": status,
                "計入": counting,
                "人數": len(group),
                "課程學習成果 計入": sum(c.outcomes_counted for c in group),
                "課程學習成果 不計入": sum(c.outcomes_left_out for c in group),
                "多元表現 計入": sum(c.diverse_counted for c in group),
                "多元表現 不計入": sum(c.diverse_left_out for c in group),
                "收訖確認 計入": sum(c.receipts_counted for c in group),
                "收訖確認 不計入": sum(c.receipts_left_out for c in group),
            }
        )
    columns = [
        "學籍狀態", "計入", "人數", "課程學習成果 計入", "課程學習成果 不計入", "多元表現 計入",
        "多元表現 不計入", "收訖確認 計入", "收訖確認 不計入",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
