"""The meeting record form's values in session state, apart from the widgets that show them.

The form never loses what the user typed: its values live in session state under `mt_*`
keys (a draft put there by load_into_state, read back by draft_from_state), a refused save
leaves them in place with its problems under `mt_problems`, and a shadow copy restores them when
the user visits another page and comes back (keep_shadow, ensure_loaded). The save names the
version the form was loaded from, so a second editor's stale save is refused by the core.
meeting_form.py renders the widgets.

Session state ends with the browser's connection (a reload, a lost network, an expired
sign-in), so the shadow is also kept on the server for its user (`_KEPT`, in this process's
memory, never in the database or a file): when the same account opens the same meeting in a new
session, what it had typed and not saved comes back, with a notice saying so. Saving, or
choosing to load the newest version, forgets it; it expires with the longest sign-in.
"""

from __future__ import annotations

import threading
from datetime import datetime, time
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import auth, sessions
from dashboard.formatting import roc_date, roc_datetime
from dashboard.records import committee, meetings, resolutions
from dashboard.school_calendar import school_now
from ui import state

SS = st.session_state
SHADOW = "mt__shadow"  # not a widget key: survives Streamlit's clean-up of unrendered widgets
FRAMES = "mtf_frames"  # not a form value: the tables the data editors return this run
RESEND = "mtf_resend"  # the form was just filled from a record: see _values_again
NO_METRIC = ""
RESTORED = "mtf_restored"  # not a form value: when the input now shown was kept from a lost session
PRISTINE = "mtf_pristine"  # not a form value: the form as loaded, to tell typed input from none

# (account, meeting id or "new") -> (when it was kept, the shadow). A module-level store is
# shared by every session of the process, so it is keyed by the account and read only by it.
_KEPT: dict[tuple[str, Any], tuple[datetime, dict[str, Any]]] = {}
_KEPT_LOCK = threading.Lock()
KEPT_PER_ACCOUNT = 5  # the newest unsaved forms an account gets back; older ones are let go


def _copy(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return value.copy()
    if isinstance(value, list | dict):
        return type(value)(value)
    return value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        return isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame) and _same_frame(a, b)
    return bool(a == b) or ((a is None or a == "") and (b is None or b == ""))


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    left, right = a.reset_index(drop=True).astype(object), b.reset_index(drop=True).astype(object)
    return bool(left.where(left.notna(), None).equals(right.where(right.notna(), None)))


def _changed(shadow: dict[str, Any]) -> bool:
    """Whether the form holds anything the user typed (beyond the form as it was loaded)."""
    pristine = SS[PRISTINE]
    ignored = {"mt_problems", "mt_stale"}
    keys = (set(shadow) | set(pristine)) - ignored
    return any(not _same(shadow.get(k), pristine.get(k)) for k in keys)


def _keep(username: str, key: Any, shadow: dict[str, Any]) -> None:
    now = school_now()
    with _KEPT_LOCK:
        _KEPT[(username, key)] = (now, {k: _copy(v) for k, v in shadow.items()})
        mine = sorted((at, k) for (u, k), (at, _) in _KEPT.items() if u == username)
        for _, old in mine[:-KEPT_PER_ACCOUNT]:
            del _KEPT[(username, old)]


def _kept(username: str, key: Any) -> tuple[datetime, dict[str, Any]] | None:
    with _KEPT_LOCK:
        found = _KEPT.get((username, key))
        if found is not None and school_now() - found[0] > sessions.LIFETIME:
            del _KEPT[(username, key)]
            return None
    return None if found is None else (found[0], {k: _copy(v) for k, v in found[1].items()})


def forget(key: Any) -> None:
    """The form's input is saved or given up: no shadow, nothing kept for a later session."""
    SS["mt_loaded"] = None
    SS.pop(SHADOW, None)
    SS.pop(RESTORED, None)
    user = state.current_user()
    if user is not None:
        with _KEPT_LOCK:
            _KEPT.pop((user.username, key), None)


def restored_notice() -> str | None:
    """What to tell the user when the form holds input kept from a lost session."""
    at = SS.get(RESTORED)
    if not isinstance(at, datetime):
        return None
    return (
        f"已還原您於 {roc_datetime(at)} 尚未儲存的內容（上次的連線已中斷或登入已逾時）。"
        "請確認後按「儲存會議紀錄」；若不需要，請按「捨棄我的修改，載入最新版本」。"
    )


# --- loading the form ---------------------------------------------------------------------


def _hhmm(text: str) -> time | None:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return None


def _period(item: meetings.Item, year: int, semester: int) -> str:
    y = item.metric_year or year
    s = item.metric_semester or semester
    return f"{y}-{s}"


def load_into_state(draft: meetings.MeetingDraft, marker: tuple[Any, int]) -> None:
    """Put a draft into the form's session state (replacing whatever the form held)."""
    for key in [k for k in SS if isinstance(k, str) and k.startswith("mt_")]:
        del SS[key]
    SS.pop(SHADOW, None)
    SS["mt_loaded"] = marker
    SS.pop(PRISTINE, None)  # taken when this load is first drawn (keep_shadow)
    SS.pop(RESTORED, None)
    SS["mt_year"] = draft.school_year
    SS["mt_semester"] = draft.semester
    SS["mt_seq"] = draft.sequence_no
    SS["mt_seq_semester"] = draft.semester
    SS["mt_held_on"] = draft.held_on
    SS["mt_start"] = _hhmm(draft.start_time)
    SS["mt_end"] = _hhmm(draft.end_time) if draft.end_time else None
    SS["mt_place"] = draft.place
    SS["mt_chair"] = draft.chair
    SS["mt_recorder"] = draft.recorder
    SS["mt_att_base"] = pd.DataFrame(
        [
            {
                "席次": a.seat_no,
                "職稱": committee.SEAT_BY_NO[a.seat_no].name,
                "姓名": a.person_name,
                "出席情形": a.attendance,
                "代理人": a.deputy_name,
            }
            for a in sorted(draft.attendance, key=lambda a: a.seat_no)
        ]
    )
    SS["mt_guest_base"] = pd.DataFrame(
        [{"姓名": g.name, "職稱": g.title} for g in draft.guests], columns=["姓名", "職稱"]
    )
    SS["mt_fu_base"] = _follow_up_frame(draft.follow_ups)
    SS["mt_fu_day"] = draft.held_on
    SS["mt_meeting_id"] = marker[0] if isinstance(marker[0], int) else None
    SS["mt_items"] = []
    SS["mt_next_uid"] = 0
    for item in draft.items:
        _add_item(item, draft.school_year, draft.semester)


def _follow_up_frame(follow_ups: list[meetings.FollowUp]) -> pd.DataFrame:
    known = {r.item_id: r for r in resolutions.all_resolutions(state.connection())}
    rows = []
    for f in follow_ups:
        r = known.get(f.item_id)
        if r is None:
            continue
        rows.append(
            {
                "item_id": f.item_id,
                "會次": r.session_label.replace("工作小組會議", ""),
                "案由": r.title,
                "決議": r.decision,
                "負責單位": r.owner_unit,
                "執行期限": roc_date(r.due_date),
                "執行情形": f.status,
                "說明": f.note,
            }
        )
    # what the secretary fills in comes right after 案由, so it is on screen without scrolling
    columns = ["item_id", "會次", "案由", "執行情形", "說明", "負責單位", "執行期限", "決議"]
    return pd.DataFrame(rows, columns=columns)


def _refresh_follow_ups() -> None:
    """A changed meeting date changes which earlier resolutions are carried over; statuses the
    user already set for a resolution that is still carried over are kept."""
    day = SS.get("mt_held_on")
    if day is None or day == SS.get("mt_fu_day"):
        return
    current = frames().get("mt_fu_base", SS["mt_fu_base"])
    kept = {int(r["item_id"]): (r["執行情形"], r["說明"]) for r in current.to_dict("records")}
    open_ones = resolutions.open_before(state.connection(), day, exclude_meeting=SS.get("mt_meeting_id"))
    follow_ups = [meetings.FollowUp(r.item_id, *kept.get(r.item_id, (r.status, r.note))) for r in open_ones]
    SS["mt_fu_base"] = _follow_up_frame(follow_ups)
    SS["mt_fu_day"] = day
    SS.pop("mte_fu", None)


def _add_item(item: meetings.Item, year: int, semester: int) -> None:
    uid = SS["mt_next_uid"]
    SS["mt_next_uid"] = uid + 1
    SS["mt_items"] = [*SS["mt_items"], uid]
    p = f"mt_i{uid}_"
    SS[p + "id"] = item.item_id
    SS[p + "section"] = item.section
    SS[p + "title"] = item.title
    SS[p + "explanation"] = item.explanation
    SS[p + "decision"] = item.decision
    SS[p + "topics"] = list(item.topics)
    for name in ("for", "against", "abstain"):
        value = getattr(item, f"votes_{name}")
        SS[p + name] = "" if value is None else str(value)
    SS[p + "owner"] = item.owner_unit
    SS[p + "due"] = item.due_date
    SS[p + "metric"] = item.metric_key or NO_METRIC
    SS[p + "period"] = _period(item, year, semester)
    SS[p + "target"] = "" if item.metric_target is None else f"{item.metric_target * 100:g}"


def ensure_loaded(marker: tuple[Any, int], load: Any) -> None:
    """Load the form for `marker` (meeting id or "new", version) unless it already holds that
    meeting; restore the shadow copy when Streamlit dropped the widget values while the user
    was on another page. A newer version in the database never replaces the user's input: the
    save is refused instead and the user chooses to reload."""
    loaded = SS.get("mt_loaded")
    if loaded is not None and loaded[0] == marker[0] and "mt_place" in SS:
        _values_again()
        return  # the same meeting, whatever version the database has now: keep the input
    shadow = SS.get(SHADOW)
    if shadow is not None and shadow.get("mt_loaded", (None,))[0] == marker[0]:
        for key, value in shadow.items():
            SS[key] = value
        SS[RESEND] = "filled"
        return
    user = state.current_user()
    kept = None if user is None else _kept(user.username, marker[0])
    if kept is not None and kept[1].get("mt_loaded", (None,))[0] == marker[0]:
        for key, value in kept[1].items():
            SS[key] = value
        SS[SHADOW] = kept[1]
        SS[RESTORED] = kept[0]
        SS[RESEND] = "filled"
        return
    load_into_state(load(), marker)
    SS[RESEND] = "filled"


def _form_keys() -> list[str]:
    """The form's values: mt_* keys (buttons are mtb_*, tables mte_*, the shadow is apart)."""
    return [k for k in SS if isinstance(k, str) and k.startswith("mt_") and k != SHADOW]


def _values_again() -> None:
    """After the form was filled from a record (or a run was cut short), set its non-blank
    values again before the widgets are drawn, once the next run completes.

    Streamlit sends a value set through session state to the browser with the run that set it.
    When that run is cut short (a click or Enter while the page is still drawing, which a busy
    server makes likely), the browser can mount the widget empty and send the empty value back:
    a loaded record lost its 案由, 決議 and 工作事項 so. Setting them again in the following run
    carries them. Only then, and only the non-blank ones: a value set again in every run would
    overwrite what the user types while a run is on its way.
    """
    if RESEND not in SS:
        return
    for key in _form_keys():
        value = SS[key]
        if isinstance(value, pd.DataFrame):
            continue  # a table's base data, passed to its editor: not a widget's value
        if value is not None and not (isinstance(value, str | list) and len(value) == 0):
            SS[key] = value
    SS[RESEND] = "again"


def form_drawn() -> None:
    """The whole form was drawn in this run: values set again at its start have gone out."""
    if SS.get(RESEND) == "again":
        del SS[RESEND]


def keep_shadow() -> None:
    """Copy the form's values and this run's edited tables, so ensure_loaded can bring them
    back."""
    shadow = {k: SS[k] for k in _form_keys()}
    shadow.update(frames())
    SS[SHADOW] = shadow
    user = state.current_user()
    loaded = shadow.get("mt_loaded")
    if user is None or loaded is None:
        return
    if PRISTINE not in SS:  # the first drawing of a freshly loaded form: as loaded, untouched
        SS[PRISTINE] = {k: _copy(v) for k, v in shadow.items()}
        return
    if _changed(shadow):
        _keep(user.username, loaded[0], shadow)
    else:  # back to the form as loaded: nothing to give back later
        with _KEPT_LOCK:
            _KEPT.pop((user.username, loaded[0]), None)


def frames() -> dict[str, pd.DataFrame]:
    """This run's edited tables, by the base key they replace when the form is restored.

    In session state, not in the module: a module-level dict is shared by every signed-in
    user, so one editor's attendance could be saved into another editor's meeting."""
    held = SS.get(FRAMES)
    if not isinstance(held, dict):
        held = SS[FRAMES] = {}
    return held


def _int_or_problem(text: str, key: str, label: str, problems: dict[str, str]) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    problems[key] = f"{label}「{text}」不是整數。"
    return None


def _items_from_state(year: int, problems: dict[str, str]) -> list[meetings.Item]:
    items = []
    for index, uid in enumerate(SS["mt_items"]):
        p = f"mt_i{uid}_"
        votes = {
            name: _int_or_problem(SS.get(p + name, ""), f"items.{index}.votes", "票數", problems)
            for name in ("for", "against", "abstain")
        }
        metric = SS.get(p + "metric") or ""
        target_text = (SS.get(p + "target") or "").strip()
        target: float | None = None
        if target_text:
            try:
                target = float(target_text) / 100
            except ValueError:
                problems[f"items.{index}.metric"] = f"目標值「{target_text}」不是數字；請填百分比，例如 95。"
        period = str(SS.get(p + "period") or f"{year}-1")
        metric_year, metric_semester = (int(x) for x in period.split("-"))
        items.append(
            meetings.Item(
                section=SS.get(p + "section", "討論事項"),
                title=SS.get(p + "title", ""),
                explanation=SS.get(p + "explanation", ""),
                decision=SS.get(p + "decision", ""),
                topics=list(SS.get(p + "topics", [])),
                votes_for=votes["for"],
                votes_against=votes["against"],
                votes_abstain=votes["abstain"],
                owner_unit=SS.get(p + "owner", ""),
                due_date=SS.get(p + "due"),
                metric_key=metric,
                metric_year=metric_year if metric else None,
                metric_semester=metric_semester if metric and metric != "selection_rate" else None,
                metric_target=target if metric else None,
                item_id=SS.get(p + "id"),
            )
        )
    return items


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def draft_from_state(problems: dict[str, str]) -> meetings.MeetingDraft:
    """The draft the widgets hold now; page-level parse problems are added to `problems`."""
    year = int(SS["mt_year"])
    att = frames().get("mt_att_base", SS["mt_att_base"])
    guests = frames().get("mt_guest_base", SS["mt_guest_base"])
    follow = frames().get("mt_fu_base", SS["mt_fu_base"])
    start, end = SS.get("mt_start"), SS.get("mt_end")
    return meetings.MeetingDraft(
        school_year=year,
        semester=int(SS["mt_semester"]),
        sequence_no=int(SS.get("mt_seq") or 0),
        held_on=SS.get("mt_held_on"),
        start_time="" if start is None else f"{start:%H:%M}",
        end_time="" if end is None else f"{end:%H:%M}",
        place=SS.get("mt_place", ""),
        chair=SS.get("mt_chair", ""),
        recorder=SS.get("mt_recorder", ""),
        attendance=[
            meetings.Attendance(
                int(r["席次"]), _text(r["姓名"]), _text(r["出席情形"]) or "出席", _text(r["代理人"])
            )
            for r in att.to_dict("records")
        ],
        guests=[
            meetings.Guest(_text(r["姓名"]), _text(r["職稱"]))
            for r in guests.to_dict("records")
            if _text(r["姓名"]) or _text(r["職稱"])
        ],
        items=_items_from_state(year, problems),
        follow_ups=[
            meetings.FollowUp(int(r["item_id"]), _text(r["執行情形"]), _text(r["說明"]))
            for r in follow.to_dict("records")
        ],
    )


def save(user: auth.User, meeting_id: int | None, version: int | None) -> meetings.Meeting | None:
    """Validate and save; on refusal the problems go to session state and the input stays."""
    problems: dict[str, str] = {}
    draft = draft_from_state(problems)
    if problems:
        SS["mt_problems"] = problems
        return None
    try:
        saved = meetings.save(
            state.connection(), draft, user, meeting_id=meeting_id, expected_version=version
        )
    except meetings.MeetingError as refused:
        SS["mt_problems"] = dict(refused.problems)
        SS["mt_stale"] = isinstance(refused, meetings.StaleMeetingError)
        return None
    SS.pop("mt_problems", None)
    SS.pop("mt_stale", None)
    state.data_changed()
    return saved
