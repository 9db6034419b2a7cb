"""The eleven importable kinds, as data: headers, aliases, types, keys and snapshot scopes.

This module is the single description of the import contract (spec/platform-export.md and the
two school-entered kinds of spec/metrics.md). The importer, the demo generator, the schema and
the tests all read it; nothing here touches a database or a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["int", "text", "date", "ts", "bool", "enum", "semester", "id_number", "audience"]
ScopeKind = Literal["year_semester", "year", "all"]


@dataclass(frozen=True)
class Column:
    header: str  # canonical Chinese header, as in the spec and the demo bundle
    name: str  # database column
    type: ColumnType
    required: bool = False  # the header must be present
    aliases: tuple[str, ...] = ()
    enum: str | None = None  # key into ENUMS when type == "enum"
    nullable: bool | None = None  # None: nullable unless required
    default: str | None = None  # canonical value used when the cell is empty

    @property
    def allows_empty(self) -> bool:
        if self.nullable is not None:
            return self.nullable
        return not self.required or self.default is not None


@dataclass(frozen=True)
class Kind:
    key: str  # internal name, also the table name
    label: str  # Chinese name shown to users and used as the demo file name
    table: str
    columns: tuple[Column, ...]
    key_columns: tuple[str, ...]  # database column names forming the unique key
    scope: ScopeKind
    semester_values: tuple[int, ...] = (1, 2)  # allowed 學期 values
    notes: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def required_headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns if c.required)

    @property
    def division_from(self) -> Literal["column", "roster", "none"]:
        """Where a row's 部別 comes from for its snapshot scope (platform-export.md): its own 部別
        column; else the student's roster row (stored as `scope_division`); staff have none."""
        if self.scope == "all":
            return "none"
        return "column" if any(c.name == "division" for c in self.columns) else "roster"


# Canonical value -> accepted aliases (matched after trimming and full-width normalisation,
# case-insensitively for Latin letters). The canonical value itself is always accepted.
ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "division": {
        "日間部": ("日", "日校", "D"),
        "進修部": ("進修", "進", "夜間部", "N"),
    },
    "gender": {"男": ("1", "M"), "女": ("2", "F")},
    "enrolment": {s: () for s in ("在學", "休學", "復學", "轉入", "轉出", "退學", "畢業", "重讀", "借讀")},
    "employment": {s: () for s in ("在職", "離職", "留職停薪", "退休")},
    "cert_status": {
        "未送出": ("未送認證", "草稿"),
        "認證中": ("待認證", "未認證", "2"),
        "通過": ("已認證", "認證通過", "認證成功", "Y", "1"),
        "未通過": ("不通過", "認證不通過", "認證失敗", "退回", "F", "0"),
    },
    "fail_reason": {
        "01 非本課程相關主題成果": ("01", "1", "非本課程相關主題成果"),
        "02 無法查證成果可信度": ("02", "2", "無法查證成果可信度"),
        "03 請加強成果內容正確性": ("03", "3", "請加強成果內容正確性"),
        "04 請增加成果內容豐富度": ("04", "4", "請增加成果內容豐富度"),
    },
    "outcome_type": {s: () for s in ("學期", "補修", "重修", "重讀", "轉學轉科", "借讀")},
    "diverse_category": {
        "幹部經歷暨事蹟紀錄": ("幹部經歷",),
        "競賽參與紀錄": ("競賽參與", "競賽"),
        "檢定證照紀錄": ("檢定證照", "證照"),
        "服務學習紀錄": ("服務學習", "志工服務"),
        "彈性學習時間紀錄": ("彈性學習時間", "彈性學習"),
        "團體活動時間紀錄": ("團體活動時間", "團體活動"),
        "職場學習紀錄": ("職場學習",),
        "作品成果紀錄": ("作品成果",),
        "大學及技專校院先修課程紀錄": ("先修課程",),
        "其他多元表現紀錄": ("其他多元表現", "其他活動", "其他"),
    },
    "cadre_level": {"校級": ("1",), "班級": ("2",), "社團": ("3",), "實習": ("4",), "其他": ("9",)},
    "counselling_method": {"個別": (), "團體": ()},
    "submission_roster": {
        s: () for s in ("學籍資料", "學業成績", "課程學習成果", "校內幹部經歷", "多元表現")
    },
    "submission_result": {"成功": (), "失敗": ()},
    "receipt_roster": {s: () for s in ("修課紀錄", "課程學習成果", "多元表現", "校內幹部經歷")},
    "receipt_status": {s: () for s in ("未確認", "已確認", "回報錯誤")},
    "notice_method": {"平臺": ("平台",), "紙本郵寄": ("紙本", "郵寄")},
    "phase": {
        s: ()
        for s in (
            "學生上傳課程學習成果",
            "教師認證",
            "學生上傳多元表現",
            "學生勾選",
            "學校提交",
            "收訖確認",
            "休業式",
        )
    },
    "training_type": {s: () for s in ("宣導說明", "系統操作訓練", "專業研習")},
}

# 學籍狀態 values that count as enrolled (在籍) for every rate (metrics.md). A 畢業 row also counts
# in its own 畢業學年度; that rule is the SQL macro counts_as_active (migration 009), never Python.
ACTIVE_STATUSES: tuple[str, ...] = ("在學", "復學", "轉入", "重讀", "借讀")
SEMESTER_ALIASES: dict[str, int] = {
    "上": 1,
    "第1學期": 1,
    "第一學期": 1,
    "下": 2,
    "第2學期": 2,
    "第二學期": 2,
}
TRUE_VALUES = ("Y", "是", "1", "TRUE", "V", "✓")
FALSE_VALUES = ("N", "否", "0", "FALSE")
AUDIENCES = ("學生", "家長", "教職員", "教師")


def _c(header: str, name: str, type_: ColumnType, **kw: object) -> Column:
    return Column(header, name, type_, **kw)  # type: ignore[arg-type]


YEAR = _c("學年度", "school_year", "int", required=True)
SEMESTER = _c("學期", "semester", "semester", required=True)
DIVISION_REQ = _c("部別", "division", "enum", required=True, enum="division")
STUDENT_NO = _c("學號", "student_no", "text", required=True)
# What a student picked for the portfolio: the last columns of both kinds a student selects from.
SELECTION = (
    _c("勾選", "selected", "bool", aliases=("是否勾選",), default="false"),
    _c("勾選時間", "selected_at", "ts"),
)

KINDS: tuple[Kind, ...] = (
    Kind(
        "students",
        "學生名冊",
        "students",
        (
            YEAR,
            SEMESTER,
            DIVISION_REQ,
            STUDENT_NO,
            _c("身分證號", "id_hash", "id_number", aliases=("身分證統一編號", "國民身分證統一編號")),
            _c("姓名", "name", "text", required=True, aliases=("學生姓名",)),
            _c("性別", "gender", "enum", enum="gender", aliases=("性別代碼",)),
            _c("科別", "department", "text", required=True, aliases=("科別名稱",)),
            _c("年級", "grade", "int", required=True),
            _c("班級", "class_name", "text", required=True, aliases=("班級名稱",)),
            _c("座號", "seat_no", "int"),
            _c("學籍狀態", "status", "enum", required=True, enum="enrolment"),
            _c("異動日期", "status_changed_on", "date", aliases=("學籍異動日期",)),
            _c("畢業學年度", "graduation_year", "int"),
            _c("通訊地址", "address", "text"),
        ),
        ("school_year", "semester", "student_no"),
        "year_semester",
    ),
    Kind(
        "staff",
        "教職員名冊",
        "staff",
        (
            _c("教職員代碼", "staff_code", "text", required=True, aliases=("教師代碼", "帳號")),
            _c("姓名", "name", "text", required=True),
            _c("單位", "unit", "text", required=True, aliases=("處室",)),
            _c("職稱", "title", "text"),
            _c("在職狀態", "employment_status", "enum", required=True, enum="employment"),
            _c("異動日期", "changed_on", "date"),
            _c("帳號停用日期", "account_disabled_on", "date"),
        ),
        ("staff_code",),
        "all",
    ),
    Kind(
        "offerings",
        "開課資料",
        "course_offerings",
        (
            YEAR,
            SEMESTER,
            DIVISION_REQ,
            _c("課程代碼", "course_code", "text", required=True),
            _c("科目名稱", "subject_name", "text", required=True),
            _c("班級", "class_name", "text", required=True),
            _c("任課教師代碼", "teacher_code", "text", required=True, aliases=("授課教師代碼",)),
        ),
        ("school_year", "semester", "course_code", "class_name"),
        "year_semester",
    ),
    Kind(
        "outcomes",
        "課程學習成果",
        "outcomes",
        (
            _c("成果編號", "outcome_id", "text", required=True, aliases=("序號", "流水號")),
            YEAR,
            SEMESTER,
            STUDENT_NO,
            _c("課程代碼", "course_code", "text", required=True),
            _c("科目名稱", "subject_name", "text"),
            _c("任課教師代碼", "teacher_code", "text", required=True, aliases=("授課教師代碼",)),
            _c("上傳時間", "uploaded_at", "ts", required=True),
            _c("送出認證時間", "submitted_at", "ts"),
            # Empty means 未送出 or 認證中 depending on 送出認證時間 (the importer derives it).
            _c("認證狀態", "cert_status", "enum", required=True, enum="cert_status", nullable=True),
            _c("認證時間", "certified_at", "ts"),
            _c("認證人代碼", "certifier_code", "text"),
            _c("未通過原因", "fail_reason", "enum", enum="fail_reason"),
            _c("成果類型", "outcome_type", "enum", enum="outcome_type", default="學期"),
            *SELECTION,
        ),
        ("outcome_id",),
        "year_semester",
    ),
    Kind(
        "diverse",
        "多元表現",
        "diverse",
        (
            _c("表現編號", "item_id", "text", required=True, aliases=("序號",)),
            YEAR,
            _c("學期", "semester", "semester"),
            STUDENT_NO,
            _c("類別", "category", "enum", required=True, enum="diverse_category", aliases=("多元表現類別",)),
            _c("名稱", "title", "text", aliases=("項目名稱",)),
            _c("上傳時間", "uploaded_at", "ts", required=True),
            *SELECTION,
        ),
        ("item_id",),
        # A per-year roster (學期 is optional and often empty): an export replaces the whole
        # 學年度, so an item moved from 學期 1 to "whole year" cannot linger twice.
        "year",
    ),
    Kind(
        "cadres",
        "幹部經歷",
        "cadres",
        (
            YEAR,
            SEMESTER,
            STUDENT_NO,
            _c("幹部等級", "cadre_level", "enum", required=True, enum="cadre_level"),
            _c("單位名稱", "unit_name", "text", required=True),
            _c("擔任職務", "position", "text", required=True),
            _c("登錄單位", "entry_unit", "text"),
            _c("登錄人代碼", "entered_by", "text"),
            _c("登錄時間", "entered_at", "ts"),
        ),
        ("school_year", "semester", "student_no", "unit_name", "position"),
        "year_semester",
    ),
    Kind(
        "counselling",
        "課程諮詢紀錄",
        "counselling",
        (
            YEAR,
            SEMESTER,
            STUDENT_NO,
            _c("諮詢教師代碼", "counsellor_code", "text", required=True),
            _c("諮詢日期", "counselled_on", "date", required=True),
            _c("諮詢方式", "method", "enum", enum="counselling_method"),
        ),
        ("school_year", "semester", "student_no", "counsellor_code", "counselled_on"),
        "year_semester",
    ),
    Kind(
        "submissions",
        "提交紀錄",
        "submissions",
        (
            YEAR,
            SEMESTER,
            DIVISION_REQ,
            _c("名冊別", "roster", "enum", required=True, enum="submission_roster"),
            _c("梯次", "batch", "int", default="1"),
            _c("提交單位", "unit", "text", required=True),
            _c("提交人代碼", "submitted_by", "text"),
            _c("提交時間", "submitted_at", "ts", required=True),
            _c("筆數", "row_count", "int"),
            _c("結果", "result", "enum", enum="submission_result", default="成功"),
        ),
        ("school_year", "semester", "division", "roster", "batch", "submitted_at"),
        "year_semester",
        semester_values=(0, 1, 2),
    ),
    Kind(
        "receipts",
        "收訖確認",
        "receipts",
        (
            YEAR,
            SEMESTER,
            _c("名冊別", "roster", "enum", required=True, enum="receipt_roster"),
            STUDENT_NO,
            _c("確認狀態", "status", "enum", required=True, enum="receipt_status"),
            _c("確認時間", "confirmed_at", "ts"),
            _c("錯誤別", "error_type", "text"),
            _c("問題描述", "question", "text"),
            _c("答覆", "answer", "text"),
            _c("答覆時間", "answered_at", "ts"),
            _c("通知方式", "notice_method", "enum", enum="notice_method", default="平臺"),
        ),
        ("school_year", "semester", "roster", "student_no"),
        "year_semester",
        semester_values=(0, 1, 2),
    ),
    Kind(
        "schedule",
        "作業期程",
        "schedule",
        (
            YEAR,
            SEMESTER,
            _c("部別", "division", "enum", enum="division"),
            _c("項目", "phase", "enum", required=True, enum="phase"),
            _c("開始日期", "start_date", "date", required=True),
            _c("結束日期", "end_date", "date", required=True),
            _c("自我檢核日期", "self_check_date", "date"),
            _c("負責單位", "unit", "text"),
        ),
        ("school_year", "semester", "division", "phase"),
        "year_semester",
    ),
    Kind(
        "trainings",
        "研習場次",
        "trainings",
        (
            YEAR,
            _c("日期", "held_on", "date", required=True),
            _c("類型", "kind", "enum", required=True, enum="training_type"),
            _c("名稱", "title", "text"),
            _c("對象", "audience", "audience"),
            _c("部別", "division", "enum", enum="division"),
            _c("主辦單位", "organiser", "text"),
            _c("參加人數", "attendance", "int"),
        ),
        ("school_year", "held_on", "kind", "title"),
        "year",
    ),
)

KINDS_BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}


def kind(key: str) -> Kind:
    return KINDS_BY_KEY[key]
