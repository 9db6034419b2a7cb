"""The demo school's 多元表現: the year's items in the central database's ten lists, and 勾選.

Part of the demo generator (dashboard/demo.py). Per 學年度 each student active in it uploads
about 7 items (a gamma–Poisson spread: many 3–10, some none, at most 20), weighted the way
vocational students' records are: 檢定證照紀錄 (技術士 丙級/乙級 in their trade) and
競賽參與紀錄 (全國技藝競賽, 科展 …) first, then 服務學習, 幹部經歷暨事蹟, 團體活動 ….
A handful of students a year upload 21–24 (over the cap of 20). Items are dated inside the
學生上傳多元表現 phase of a term the student was active in; 學期 is empty for a tenth of
them (a whole-year record). After semester 2 students select up to 10; a few select 11–12.
115 is cut at the export. This module must not import streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

import numpy as np

from dashboard.demo.calendar import DAY, EXPORT_S, HOUR, YEARS, Stream, ts_column, year_terms
from dashboard.demo.courses import School
from dashboard.demo.people import Student

_CATEGORIES: tuple[tuple[str, float], ...] = (
    ("檢定證照紀錄", 24),
    ("競賽參與紀錄", 15),
    ("服務學習紀錄", 14),
    ("幹部經歷暨事蹟紀錄", 11),
    ("團體活動時間紀錄", 10),
    ("彈性學習時間紀錄", 9),
    ("其他多元表現紀錄", 6),
    ("作品成果紀錄", 5),
    ("職場學習紀錄", 4),
    ("大學及技專校院先修課程紀錄", 2),
)
_CAT_CUM = list(accumulate(w for _, w in _CATEGORIES))
_TRADES = {
    "機械科": ("車床", "銑床", "電腦輔助機械製圖"),
    "製圖科": ("電腦輔助機械製圖", "建築製圖"),
    "電機科": ("室內配線", "工業配線", "用電設備檢驗"),
    "電子科": ("工業電子", "數位電子", "儀表電子"),
    "資訊科": ("電腦軟體應用", "網頁設計", "電腦硬體裝修"),
    "化工科": ("化學", "化工"),
    "汽車科": ("汽車修護", "機器腳踏車修護"),
    "冷凍空調科": ("冷凍空調裝修", "室內配線"),
    "控制科": ("機電整合", "工業電子", "室內配線"),
}
_TITLES: dict[str, tuple[str, ...]] = {
    "競賽參與紀錄": (
        "{y}學年度全國高級中等學校技藝競賽{trade}職種",
        "{y}學年度校內技藝競賽{trade}組",
        "新竹市中小學科學展覽會",
        "全國高級中等學校專業群科專題及創意製作競賽",
        "全國高中職英文單字大賽",
        "新竹市語文競賽（作文）",
        "全國高級中等學校創意實作競賽",
    ),
    "服務學習紀錄": (
        "校園環境清潔服務",
        "新竹市立圖書館志工",
        "南寮漁港淨灘活動",
        "捐血活動志工",
        "社區長者陪伴服務",
        "校慶活動服務志工",
        "上學交通導護服務",
    ),
    "幹部經歷暨事蹟紀錄": (
        "{cls}班級幹部工作紀錄",
        "學生會幹部服務事蹟",
        "社團幹部事蹟紀錄",
        "畢業紀念冊編輯委員",
    ),
    "團體活動時間紀錄": (
        "機器人研究社社團活動",
        "吉他社社團活動",
        "熱舞社社團活動",
        "班級活動",
        "週會專題講座",
    ),
    "彈性學習時間紀錄": (
        "自主學習計畫：{trade}技能精進",
        "選手培訓：{trade}",
        "充實（增廣）教學：數學",
        "學校特色活動",
    ),
    "其他多元表現紀錄": ("校慶運動會大隊接力", "英語歌唱比賽", "校內書法比賽", "國際交流活動接待"),
    "作品成果紀錄": ("專題製作：{trade}應用", "{dept}成果展作品", "實習作品：{trade}"),
    "職場學習紀錄": ("新竹科學園區企業參訪", "暑期職場體驗", "工業區廠商參訪"),
    "大學及技專校院先修課程紀錄": ("明新科技大學先修課程", "國立臺北科技大學先修課程", "中華大學先修課程"),
}
_GENERAL_CERTS = ("全民英檢初級", "全民英檢中級", "TQC 文書處理", "MOS Word 2019", "IC3 計算機綜合能力")


@dataclass
class Item:
    year: int
    sem: int | None
    student_no: str
    category: str
    title: str
    uploaded: int
    selected: bool = False
    selected_at: int | None = None
    id: str = ""

    def row(self, uploaded: str, selected_at: str) -> dict[str, str]:
        """The CSV row, given this item's timestamps already formatted (see diverse_rows)."""
        return {
            "表現編號": self.id,
            "學年度": str(self.year),
            "學期": "" if self.sem is None else str(self.sem),
            "學號": self.student_no,
            "類別": self.category,
            "名稱": self.title,
            "上傳時間": uploaded,
            "勾選": "Y" if self.selected else "N",
            "勾選時間": selected_at,
        }


class _Titles:
    """Every title a category can take for one class and year, built once and indexed by a draw."""

    def __init__(self, year: int) -> None:
        self.year = year
        self._cache: dict[tuple[str, str, int, bool], list[str]] = {}

    def pick(self, category: int, st: Student, class_name: str, senior: bool, u: float) -> str:
        name = _CATEGORIES[category][0]
        if name == "檢定證照紀錄" and u < 0.15:
            return _GENERAL_CERTS[int(u / 0.15 * len(_GENERAL_CERTS))]
        key = (class_name, st.dept.name, category, senior)
        choices = self._cache.get(key)
        if choices is None:
            choices = self._cache[key] = self._choices(name, st.dept.name, class_name, senior)
        return choices[min(int(u * len(choices)), len(choices) - 1)]

    def _choices(self, category: str, dept: str, class_name: str, senior: bool) -> list[str]:
        trades = _TRADES[dept]
        if category == "檢定證照紀錄":  # 乙級 for a quarter of grade 2–3 certificates
            levels = "丙丙丙乙" if senior else "丙"
            return [f"{trade}技術士{level}級" for trade in trades for level in levels]
        return [
            template.format(y=self.year, trade=trade, cls=class_name, dept=dept)
            for template in _TITLES[category]
            for trade in trades
        ]


def build_diverse(school: School, s: Stream) -> list[Item]:
    out: list[Item] = []
    cum = np.array(_CAT_CUM) / _CAT_CUM[-1]
    for year in YEARS:
        terms = year_terms(year)
        present = [
            st for st in school.students if any((x := st.stints.get(t.index)) and x.active for t in terms)
        ]
        whole_year = len(terms) == 2  # 115 has one term, cut at the export
        rng = s.rng
        counts = np.minimum(rng.poisson(rng.gamma(4.0, 2.1 if whole_year else 1.05, size=len(present))), 20)
        if whole_year:
            over = rng.choice(len(present), size=s.between(3, 6), replace=False)
            counts[over] = rng.integers(21, 25, size=len(over))
        counts[rng.random(len(present)) < 0.9 * np.array([st.zero_p for st in present])] = 0
        owners = np.repeat(np.arange(len(present)), counts).tolist()
        draws = rng.random((6, len(owners)))
        categories = np.minimum(np.searchsorted(cum, draws[3], side="right"), len(cum) - 1).tolist()
        u_term, u_day, u_clock, u_title, u_sem = (draws[i].tolist() for i in (0, 1, 2, 4, 5))
        open_terms = [[t for t in terms if (x := st.stints.get(t.index)) and x.active] for st in present]
        titles = _Titles(year)
        items: list[Item] = []
        for j, owner in enumerate(owners):
            st, mine = present[owner], open_terms[owner]
            t = mine[int(u_term[j] * len(mine))]
            at = (
                t.start_s
                + int(u_day[j] ** 0.7 * t.diverse_days) * DAY
                + int((9.0 + 14.9 * u_clock[j]) * HOUR)
            )
            if at >= EXPORT_S:
                continue
            x = st.stints[t.index]
            category = categories[j]
            title = titles.pick(category, st, x.class_name, x.grade >= 2, u_title[j])
            sem = None if u_sem[j] < 0.1 else t.sem
            items.append(Item(year, sem, st.no, _CATEGORIES[category][0], title, at))
        items.sort(key=lambda i: (i.uploaded, i.student_no))
        for k, item in enumerate(items, start=1):
            item.id = f"P{year}{k:06d}"
        if whole_year:
            _select(school, s, year, items)
        out += items
    return out


def _select(school: School, s: Stream, year: int, items: list[Item]) -> None:
    last = year_terms(year)[-1]
    if last.select is None:
        return
    by_student: dict[str, list[Item]] = {}
    for item in items:
        by_student.setdefault(item.student_no, []).append(item)
    ending = [st.no for st in school.students if (x := st.stints.get(last.index)) is not None and x.active]
    chosen: dict[str, list[Item]] = {}
    for no in ending:
        mine = by_student.get(no, [])
        if mine and s.chance(0.82):
            chosen[no] = s.sample(mine, min(len(mine), s.between(3, 10)))
    rich = [no for no in ending if len(by_student.get(no, [])) >= 12]
    for no in s.sample(rich, s.between(3, 5)):  # over the cap of 10
        chosen[no] = s.sample(by_student[no], s.between(11, 12))
    for no in sorted(chosen):
        at = s.moment(last.select[0], last.select[1], 9.0, 22.5)
        for item in chosen[no]:
            at += s.between(10, 180)
            item.selected, item.selected_at = True, at


def diverse_rows(items: list[Item]) -> list[dict[str, str]]:
    uploaded = ts_column([i.uploaded for i in items])
    selected = ts_column([i.selected_at for i in items])
    return [i.row(u, s) for i, u, s in zip(items, uploaded, selected, strict=True)]
