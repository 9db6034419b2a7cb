"""The demo school's working-group records: rosters and a year of meetings (Art. 3, 4).

Seeds, through the same core a 執行秘書 uses (committee.save, meetings.save / confirm,
resolutions.update_status), the rosters of 學年度 113–115 (115 with a new 家長代表 and 學生代表)
and six meetings: two per semester in 114-1 and 114-2, all confirmed, which together decide on
all six Art. 4 topics; 115-1's first meeting (confirmed) and its second (a 草稿 still being
written, one 決議 blank). Each meeting reports the open resolutions of earlier ones as
上次會議決議執行情形; some are updated between meetings. At the export two resolutions are open
past their due date, and 115-1 has left two topics undecided so far.
Deterministic: fixed content and explicit timestamps, all before the export (DEMO_EXPORTED_AT).
Skips (and writes nothing) when the database already holds meetings. Must not import streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

import duckdb

from dashboard import auth, db
from dashboard.records import committee, meetings, resolutions

Connection = duckdb.DuckDBPyConnection
USER = auth.User("secretary", "教務主任（示範）", "執行秘書")
PLACE = "行政大樓三樓第一會議室"
RECORDER = "吳明澤"  # 教務處註冊組幹事 (T0232)
# Seats chosen by hand: a staff_code from data/demo/教職員名冊.csv, or a typed name. The
# titled seats come from committee.suggest (one holder per 職稱 in the demo roster).
ROSTER_PICKS: dict[int, dict[int, str]] = {
    113: {8: "T0820", 18: "T0121", 19: "T0614", 20: "林淑芬", 21: "陳柏翰"},  # T0614 retires 2025-07-31
    114: {8: "T0820", 18: "T0121", 19: "T0144", 20: "林淑芬", 21: "黃子睿"},
    115: {8: "T0820", 18: "T0121", 19: "T0144", 20: "陳美玲", 21: "李欣妤"},
}
ROSTER_SAVED = {
    113: datetime(2024, 8, 20, 10),
    114: datetime(2025, 8, 20, 10),
    115: datetime(2026, 8, 19, 10),
}
Metric = tuple[str, int, int | None, float]  # key, year, semester (None per year), target
Entry = tuple[str, meetings.Item]  # a resolution's code for follow-ups ("" for none), the item


def _report(title: str, explanation: str, decision: str, topics: tuple[int, ...]) -> Entry:
    """A 報告事項 and its 決定; topics are Art. 4's numbers (一)…(六) as 1…6."""
    return "", meetings.Item(
        "報告事項", title, explanation, decision, [meetings.TOPICS[t - 1] for t in topics]
    )


def _motion(
    code: str,
    title: str,
    explanation: str,
    decision: str,
    topics: tuple[int, ...],
    owner: str,
    due: date,
    metric: Metric | None = None,
    votes: tuple[int, int, int] | None = None,
    section: str = "討論事項",
) -> Entry:
    """A 討論事項 (or 臨時動議) with its 決議, owner, due date, optional target and vote."""
    item = meetings.Item(
        section,
        title,
        explanation,
        decision,
        [meetings.TOPICS[t - 1] for t in topics],
        owner_unit=owner,
        due_date=due,
    )
    if metric is not None:
        item.metric_key, item.metric_year, item.metric_semester, item.metric_target = metric
    if votes is not None:
        item.votes_for, item.votes_against, item.votes_abstain = votes
    return code, item


@dataclass(frozen=True)
class _Spec:
    year: int
    semester: int
    day: date
    end: str  # 散會
    leave: tuple[int, ...]  # seats 請假
    deputies: tuple[tuple[int, str], ...]  # seat, 代理人
    guests: tuple[tuple[str, str], ...]  # 列席: name, title
    items: tuple[Entry, ...]
    follow: dict[str, tuple[str, str]]  # code of an earlier resolution → status, note
    confirm_on: date | None  # None: the minutes stay a 草稿
    chair_seat: int = committee.CHAIR_SEAT


REGISTRY, NIGHT, TEACHING, COUNSEL = "教務處註冊組", "進修部教務組", "教務處教學組", "輔導室"
# Each: year, semester, held on, 散會, seats 請假, (seat, 代理人), 列席 guests, agenda, the follow-ups
# it reports (上次會議決議執行情形), the day the 執行秘書 confirmed it.
MEETINGS: tuple[_Spec, ...] = (
    _Spec(114, 1, date(2025, 9, 3), "15:40", (15, 20), ((5, "林妤美"),), (("羅晉柏", "資訊科科主任"),), (
        _report(
            "114學年度第1學期學習歷程檔案作業期程報告",
            "依補充規定第五點，本學期課程學習成果上傳至115年2月3日，教師認證至2月10日（進修部2月13日），"
            "學校提交3月2日至3月20日；期程已公告於學校網站並訂定自我檢核日期。",
            "洽悉；各單位依期程辦理，並於自我檢核日回報進度。", (1,)),
        _report(
            "113學年度第2學期學校提交作業進度報告",
            "113學年度第2學期資料自8月18日起提交，預定9月12日前完成；收訖確認9月22日至10月3日辦理，"
            "學生提出之疑義由提交單位於3日內查明。",
            "洽悉。", (2,)),
        _motion(
            "D1", "訂定本學期課程學習成果認證期限及逾期處理方式案",
            "一、任課教師每學期應於規定時間內完成認證（補充規定第六點）。二、擬訂教師認證期限為115年2月10日，"
            "進修部為2月13日；逾期未認證者由註冊組列冊通知。",
            "照案通過；註冊組於認證截止前兩週及前三日各寄發提醒，逾期名單送教學組協助追蹤。"
            "本學期準時認證率以95%為目標。",
            (1, 5), REGISTRY, date(2026, 2, 13), ("on_time_rate", 114, 1, 0.95)),
        _motion(
            "D2", "辦理114學年度學生系統操作訓練及教師認證研習場次案",
            "依補充規定第十點，系統操作訓練及專業研習每學年至少各一場次。擬辦理9月9日教師認證操作說明、"
            "10月7日高一平臺操作說明、10月15日進修部學生平臺操作說明、11月11日課程學習成果認證實務研習。",
            "修正通過；增列12月課程學習成果上傳與送出認證操作說明一場，由註冊組排定。",
            (4,), REGISTRY, date(2025, 12, 12)),
        _motion(
            "D3", "親師座談會學習歷程檔案說明案",
            "9月19日親師座談會擬安排學習歷程檔案說明：上傳時程、認證流程及勾選原則，"
            "並說明上傳件數不影響成績。",
            "照案通過；說明資料由註冊組提供，各班導師於座談會中宣導。",
            (4, 6), REGISTRY, date(2025, 9, 19)),
    ), {}, date(2025, 9, 8)),
    _Spec(114, 1, date(2025, 12, 17), "15:30", (7, 16, 21), (), (("林妤美", "進修部學務組長"),), (
        _report(
            "本學期課程學習成果上傳及認證進度報告",
            "截至12月12日，高一、高二上傳進度與上學年同期相當，高三因統測準備較慢；待認證件數以機械科、"
            "電機科較多。",
            "洽悉；請各科主任提醒科內教師於期限內完成認證。", (1, 3)),
        _report(
            "教師離職之代理認證情形報告",
            "本學期有進修部兼任教師離職，"
            "其未完成認證之課程學習成果依補充規定第十一點由進修部教務組代理認證。",
            "洽悉。", (3,)),
        _motion(
            "D4", "課程諮詢紀錄登錄率偏低之改善措施案",
            "113學年度課程諮詢涵蓋率約七成，未達本小組建議之八成；"
            "擬由輔導室於下學期辦理課程諮詢教師增能研習，"
            "並每月提供未登錄名單。",
            "照案通過；輔導室每月底提供各課程諮詢教師未登錄名單，第2學期涵蓋率以80%為目標。",
            (2, 5), COUNSEL, date(2026, 6, 30), ("counselling_rate", 114, 2, 0.80), (14, 0, 2)),
        _motion(
            "D5", "部分科別準時認證率偏低之改善措施案",
            "113學年度全校準時認證率達95%，惟部分科別未達；"
            "擬請教學組於認證期限前一週提供各科待認證清單予科主任。",
            "照案通過；自本學期起由教學組於認證截止前一週提供各科清單。",
            (3, 5), TEACHING, date(2026, 2, 3)),
        _motion(
            "K1", "進修部學生平臺帳號夜間重設案（進修部教務組長提）",
            "進修部學生多於夜間使用平臺，忘記密碼時無法即時重設。",
            "由進修部教務組於夜間上課時段受理帳號重設，並將流程公告於進修部網頁。",
            (3,), NIGHT, date(2026, 1, 9), section="臨時動議"),
    ), {
        "D1": ("執行中", "12月已寄發第一次認證提醒；待認證件數集中於高三課程。"),
        "D2": ("已完成", "9/9、10/7、10/15、11/11及12/9共辦理五場，合計1,755人次參加。"),
    }, date(2025, 12, 22)),
    _Spec(114, 2, date(2026, 3, 4), "15:50", (4, 20), ((12, "許祐宇"),), (("莊維威", "教務處註冊組幹事"),), (
        _report(
            "114學年度第2學期學習歷程檔案作業期程報告",
            "本學期課程學習成果上傳至7月14日、教師認證至7月21日（進修部7月24日），學生勾選7月22日至8月14日；"
            "114學年度第1學期資料提交3月2日至3月20日辦理中。",
            "洽悉。", (1,)),
        _report(
            "114學年度第1學期教師認證結果報告",
            "教師認證已於2月10日截止（進修部2月13日），全校準時認證率達成95%目標；未準時者集中於少數課程。",
            "洽悉；未準時名單送請各科主任關懷。", (5,)),
        _motion(
            "D6", "教師認證績優人員敘獎建議案",
            "依補充規定第十二點，由執行秘書視辦理成效提交工作小組議決後提請敘獎。"
            "擬就114學年度第1學期準時完成認證"
            "且認證件數達10件以上之教師，建請依本校教職員獎勵標準予以嘉獎一次。",
            "照案通過；名單經各科確認後，由教務處簽請人事室辦理敘獎。",
            (5,), "教務處", date(2026, 4, 30), votes=(15, 0, 3)),
        _motion(
            "D7", "多元表現及課程學習成果勾選宣導案",
            "113學年度勾選率約九成，未勾選者多為高二學生；擬於6月辦理勾選操作說明，並請導師於班會宣導。",
            "照案通過；114學年度勾選率以90%為目標，6月9日辦理勾選操作說明，導師於班會時間協助宣導。",
            (4, 6), REGISTRY, date(2026, 8, 14), ("selection_rate", 114, None, 0.90)),
        _motion(
            "D8", "留職停薪及離職教師平臺帳號處理案",
            "本學期有教師留職停薪；擬依補充規定第十一點，未完成之認證由註冊組代理，"
            "帳號停用時間得衡酌資安延後。",
            "照案通過；人事室於異動時即通知註冊組，註冊組於3日內完成帳號處理。",
            (2, 3), REGISTRY, date(2026, 3, 31)),
    ), {
        "D1": ("已完成", "教師認證已於2月10日截止（進修部2月13日），逾期名單已送教學組追蹤。"),
        "D4": ("執行中", "輔導室已排定3月17日課程諮詢教師增能研習，並自2月起每月提供未登錄名單。"),
        "D5": ("已完成", "已於1月27日提供各科待認證清單予科主任。"),
        "K1": ("已完成", "夜間帳號重設流程已於1月5日公告於進修部網頁。"),
    }, date(2026, 3, 9)),
    _Spec(114, 2, date(2026, 6, 10), "15:30", (1, 14, 21), (),
          (("羅晉柏", "資訊科科主任"), ("林妤美", "進修部學務組長")), (
        _report(
            "高三學習歷程檔案第二梯次提交情形報告",
            "高三第二梯次資料已配合升學時程提交；收訖確認之疑義均已於3日內查明回復。",
            "洽悉。", (2,)),
        _report(
            "114學年度第1學期收訖確認結果報告",
            "收訖確認已於4月10日截止；學生提出疑義者均已由提交單位查明，須更正者已重新提交。",
            "洽悉。", (1, 2)),
        _motion(
            "D9", "畢業生學習歷程檔案資料封存作業案",
            "依補充規定第八點，已畢業學生資料封存5年；擬於學年結束後封存114學年度畢業生資料，"
            "並清點逾保存年限資料。",
            "照案通過；註冊組於8月31日前完成封存，逾保存年限資料刪除前應列冊陳核。",
            (2, 3), REGISTRY, date(2026, 8, 31)),
        _motion(
            "D10", "訂定114學年度第2學期準時認證目標及提醒期程案",
            "本學期教師認證期限為7月21日（進修部7月24日），適逢暑假開始；擬維持準時認證率95%目標並加發提醒。",
            "照案通過；準時認證率目標95%，註冊組於7月7日及7月17日寄發提醒。",
            (1, 5), REGISTRY, date(2026, 7, 24), ("on_time_rate", 114, 2, 0.95), (16, 0, 1)),
        _motion(
            "K2", "離校學生收訖確認紙本通知案（進修部教務組長提）",
            "依補充規定第十一點第四款，學年度結束後離校之學生無法上平臺確認收訖明細時，以紙本郵寄通知。",
            "由註冊組及進修部教務組於收訖確認期間寄發紙本通知，回覆情形於下次會議報告。",
            (6,), "教務處註冊組、進修部教務組", date(2026, 10, 2), section="臨時動議"),
    ), {
        "D4": ("執行中", "3月17日增能研習計28人參加；4月起登錄情形回升，持續追蹤。"),
        "D7": ("執行中", "6月9日勾選操作說明已辦理，計840人參加；導師班會宣導中。"),
        "D8": ("已完成", "已建立人事異動通知流程，本學期異動帳號均已處理。"),
    }, date(2026, 6, 15), chair_seat=committee.SECRETARY_SEAT),  # 校長請假，執行秘書代理主席
    _Spec(115, 1, date(2026, 9, 2), "15:35", (11, 16), ((6, "黃宇承"),), (("莊維威", "教務處註冊組幹事"),), (
        _report(
            "115學年度第1學期學習歷程檔案作業期程報告",
            "本學期課程學習成果上傳至116年2月2日，教師認證至2月9日（進修部2月12日）；"
            "114學年度第2學期資料提交8月17日至9月11日辦理中。",
            "洽悉；作業期程已公告於學校網站。", (1,)),
        _report(
            "114學年度勾選結果報告",
            "114學年度學生勾選已於8月14日截止，勾選率逾九成；未勾選學生已由導師個別提醒。",
            "洽悉；115學年度持續於班會宣導勾選時程。", (6,)),
        _motion(
            "D11", "訂定本學期課程學習成果上傳率目標及催繳措施案",
            "114學年度各學期上傳率約九成；為及早發現未上傳學生，擬訂本學期上傳率目標85%，"
            "並於期中及期末前各印發一次紙本催繳通知。",
            "照案通過；上傳率目標85%，註冊組於11月及1月印發催繳通知，導師協助發放。",
            (1, 6), REGISTRY, date(2027, 2, 2), ("upload_rate", 115, 1, 0.85)),
        _motion(
            "D12", "辦理115學年度教師認證操作說明及認證實務研習案",
            "擬於9月9日辦理教師認證操作說明，11月11日辦理課程學習成果認證實務研習；新進教師須參加。",
            "照案通過；新進教師列為必要參加對象，由教學組協助調課。",
            (4,), REGISTRY, date(2026, 11, 11)),
    ), {
        "D4": ("執行中", "114學年度第2學期涵蓋率仍未達80%；輔導室本學期起增加期中登錄提醒。"),
        "D7": ("已完成", "勾選已於8月14日截止，114學年度勾選率逾九成。"),
        "D9": ("已完成", "114學年度畢業生資料已封存；逾保存年限資料清冊已陳核，刪除紀錄留存備查。"),
        "K2": ("執行中", "紙本通知將於9月21日收訖確認開始時寄發。"),
    }, date(2026, 9, 7)),
    _Spec(115, 1, date(2026, 11, 11), "15:20", (3, 19, 21), (), (("羅晉柏", "資訊科科主任"),), (
        _report(
            "本學期課程學習成果上傳及認證進度報告",
            "截至11月上旬上傳率約六成，待認證件數集中於高一新生課程；已印發第一次紙本催繳通知。",
            "洽悉。", (1, 3)),
        _report(
            "115學年度親師座談會及學生平臺操作說明辦理情形報告",
            "9月21日親師座談會說明計544人參加；10月7日高一、10月15日進修部平臺操作說明均已辦理。",
            "洽悉。", (4,)),
        _motion(
            "D13", "學習歷程學校平臺備份及異常應變演練案",
            "為避免平臺異常致檔案遺失，擬於寒假前辦理一次備份還原演練，並提醒學生於雲端保存檔案副本。",
            "照案通過；由設備組會同註冊組於12月底前完成演練並提報結果。",
            (3,), "教務處設備組", date(2026, 12, 31), votes=(15, 0, 1)),
        _motion(
            "", "教師認證逾期催辦及代理認證作業要點（草案）案",
            "擬訂定認證逾期之催辦程序，並明定教師無法認證時由註冊組、進修部教務組代理之程序。",
            "", (3, 5), REGISTRY, date(2027, 2, 12)),  # 決議 not written yet: the minutes are a 草稿
    ), {
        "D4": ("執行中", "輔導室已寄發未登錄名單；本學期涵蓋率持續追蹤。"),
        "D11": ("執行中", "11月第一次紙本催繳通知已印發，由導師發放。"),
        "D12": ("已完成", "9月9日操作說明120人、11月11日認證實務研習84人參加。"),
        "K2": ("執行中", "紙本通知已寄發；尚有畢業生未回覆，持續以電話聯繫。"),
    }, None),
)  # fmt: skip
# Updates between meetings: when, resolution code, status, note.
UPDATES: tuple[tuple[datetime, str, str, str], ...] = (
    (datetime(2025, 9, 22, 9, 30), "D3", "已完成", "9月19日親師座談會已完成說明，計522人參加。"),
    (datetime(2025, 10, 20, 16), "D2", "執行中", "已辦理9/9、10/7、10/15三場，11/11研習報名中。"),
    (datetime(2026, 4, 28, 14), "D6", "已完成", "敘獎名單已簽陳核定，由人事室辦理。"),
    (datetime(2026, 7, 27, 10), "D10", "已完成", "認證已於7月21日截止（進修部7月24日），準時認證率達標。"),
    (datetime(2026, 8, 28, 16), "D9", "執行中", "114學年度畢業生資料已封存；逾保存年限資料清冊陳核中。"),
    (datetime(2026, 9, 10, 9), "D12", "執行中", "9月9日教師認證操作說明已辦理，計120人參加。"),
)


def _rosters(con: Connection) -> int:
    names = {str(r["staff_code"]): str(r["name"]) for r in db.query_rows(con, "staff_all")}
    filled = 0
    for year, picks in ROSTER_PICKS.items():
        members = committee.suggest(con, year)
        for i, m in enumerate(members):
            pick = picks.get(m.seat_no)
            if pick is not None:
                code = pick if pick in names else None
                members[i] = replace(m, person_name=names[pick] if code else pick, staff_code=code)
        check = committee.save(con, year, members, USER, now=ROSTER_SAVED[year])
        if not check.complete:
            raise RuntimeError(f"示範工作小組名冊 {year} 學年度不完整：{'、'.join(check.missing)}")
        filled += check.filled
    return filled


def _draft(con: Connection, spec: _Spec, codes: dict[int, str], closed: set[str]) -> meetings.MeetingDraft:
    draft = meetings.blank_draft(con, spec.year, spec.semester, spec.day)
    deputies = dict(spec.deputies)
    for a in draft.attendance:
        if a.seat_no in spec.leave:
            a.attendance = "請假"
        elif a.seat_no in deputies:
            a.attendance, a.deputy_name = "代理", deputies[a.seat_no]
    chair = next(a.person_name for a in draft.attendance if a.seat_no == spec.chair_seat)
    # queries/resolutions_list.sql drops the between-meeting updates when no meeting is excluded,
    # so blank_draft also offers resolutions closed between meetings: leave out those closed here.
    draft.follow_ups = [f for f in draft.follow_ups if codes[f.item_id] not in closed]
    reported = {codes[f.item_id] for f in draft.follow_ups}
    if reported != set(spec.follow):
        raise RuntimeError(
            f"示範會議 {spec.day} 的決議追蹤不符：待追蹤 {sorted(reported)}，資料 {sorted(spec.follow)}"
        )
    for f in draft.follow_ups:
        f.status, f.note = spec.follow[codes[f.item_id]]
    return replace(
        draft,
        end_time=spec.end,
        place=PLACE,
        chair=chair,
        recorder=RECORDER,
        guests=[meetings.Guest(name, title) for name, title in spec.guests],
        items=[replace(item, topics=list(item.topics)) for _, item in spec.items],
    )


def seed(con: Connection) -> dict[str, int]:
    """Write the demo's rosters, meetings and follow-ups; nothing when meetings already exist.
    Returns what was written: roster seats, meetings, items, resolutions, follow-ups (reported
    in meetings) and status updates (between meetings)."""
    counts = dict.fromkeys(("roster_seats", "meetings", "items", "resolutions", "follow_ups", "updates"), 0)
    if db.row_count(con, "meetings"):
        return counts
    counts["roster_seats"] = _rosters(con)
    ids: dict[str, int] = {}  # resolution code → item_id
    pending = list(UPDATES)
    closed: set[str] = set()  # codes of resolutions marked 已完成 so far
    for spec in MEETINGS:
        saved_at = datetime.combine(spec.day, time(17))
        while pending and pending[0][0] < saved_at:
            at, code, status, note = pending.pop(0)
            resolutions.update_status(con, ids[code], status, note, USER, now=at)
            counts["updates"] += 1
            if status == resolutions.DONE:
                closed.add(code)
        codes = {v: k for k, v in ids.items()}
        draft = _draft(con, spec, codes, closed)
        meeting = meetings.save(con, draft, USER, now=saved_at)
        for (code, _), stored in zip(spec.items, meeting.items, strict=True):
            if code:
                assert stored.item_id is not None  # stored items always carry their id
                ids[code] = stored.item_id
        if spec.confirm_on is not None:
            at = datetime.combine(spec.confirm_on, time(10))
            meetings.confirm(con, meeting.meeting_id, USER, meeting.version, now=at)
        counts["meetings"] += 1
        counts["items"] += len(meeting.items)
        counts["resolutions"] += sum(
            1 for i in meeting.items if i.section in meetings.DECIDING_SECTIONS and i.decision
        )
        counts["follow_ups"] += len(draft.follow_ups)
        closed.update(codes[f.item_id] for f in draft.follow_ups if f.status == resolutions.DONE)
    for at, code, status, note in pending:
        resolutions.update_status(con, ids[code], status, note, USER, now=at)
        counts["updates"] += 1
    return counts
