"""The audit log: who did what, when, from where — append-only.

`record` is the only writer and it only inserts; reads are for the audit page and for the
sign-in lock-out. A core write records its entry on its own cursor, inside its transaction, so
the change and its entry commit together or not at all. The core knows who acted but not where:
the UI names the page and the client's address once per run (`acting_from`), and every entry of
that run carries them. Base module: it imports no room. This module must not import streamlit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from dashboard import db
from dashboard.school_calendar import school_now

Connection = duckdb.DuckDBPyConnection

SIGN_IN_OK = "登入成功"
SIGN_IN_FAILED = "登入失敗"
SIGN_IN_LOCKED = "登入鎖定"
IMPORTED = "匯入"
IMPORT_UNDONE = "復原匯入"
FORM_SAVED = "表單儲存"  # a record entered or changed by form (detail says which)
FORM_DELETED = "表單刪除"
CONFIRMED = "確認"  # minutes confirmed (locked) or unlocked again
PURGED = "資料銷毀"
EXPORTED = "匯出"  # a file built for a signed-in user (detail: the file's name)
DOWNLOADED = "下載"  # the web server handed a file to a signed-in browser
BACKED_UP = "備份"
RESTORED = "還原"
ACCOUNT_CHANGED = "帳號變更"

# What the audit page offers to filter by, in this order (an entry may carry another action:
# the filter lists those too, after these).
ACTIONS: tuple[str, ...] = (
    SIGN_IN_OK,
    SIGN_IN_FAILED,
    SIGN_IN_LOCKED,
    IMPORTED,
    IMPORT_UNDONE,
    FORM_SAVED,
    FORM_DELETED,
    CONFIRMED,
    EXPORTED,
    DOWNLOADED,
    BACKED_UP,
    RESTORED,
    PURGED,
    ACCOUNT_CHANGED,
)

_origin: ContextVar[tuple[str | None, str | None]] = ContextVar("audit_origin", default=(None, None))


@contextmanager
def acting_from(page: str | None, address: str | None) -> Iterator[None]:
    """Within this block, entries that name no page or address get these (the UI's run)."""
    token = _origin.set((page, address))
    try:
        yield
    finally:
        _origin.reset(token)


def origin() -> tuple[str | None, str | None]:
    """The page and address of the run in progress (for work it hands to another thread)."""
    return _origin.get()


_NAME_LIMIT = 64  # what a failed sign-in typed as the account is kept, cut to this length


def record(
    cur: Connection,
    action: str,
    username: str | None,
    *,
    detail: str | None = None,
    page: str | None = None,
    address: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one entry (on `cur`, so it commits or rolls back with the change it describes)."""
    origin_page, origin_address = _origin.get()
    cur.execute(
        "insert into audit_log (happened_at, username, action, detail, page, address)"
        " values ($at, $username, $action, $detail, $page, $address)",
        {
            "at": at or school_now(),
            "username": None if username is None else username[:_NAME_LIMIT],
            "action": action,
            "detail": detail,
            "page": page if page is not None else origin_page,
            "address": address if address is not None else origin_address,
        },
    )


# --- reading, for the 稽核紀錄 page ---------------------------------------------------------

SHOWN_ROWS = 2_000  # entries the page draws at most (the newest); its export takes EXPORT_ROWS
EXPORT_ROWS = 100_000


@dataclass(frozen=True)
class Entry:
    """One row of audit_log, as the page reads it."""

    entry_id: int
    happened_at: datetime  # school time
    username: str | None  # the account, or the name typed at a failed sign-in
    action: str
    detail: str | None
    page: str | None
    address: str | None  # the client's address; none from the command line


@dataclass(frozen=True)
class Entries:
    rows: list[Entry]
    matching: int  # entries that match the filter; more than len(rows) when the limit cut them


def entries(
    con: Connection,
    first_day: date,
    last_day: date,
    *,
    account: str | None = None,
    actions: Sequence[str] | None = None,
    max_rows: int = SHOWN_ROWS,
) -> Entries:
    """The entries of first_day..last_day (school time, both included), newest first."""
    found = db.query_rows(
        con,
        "audit_entries",
        first_day=first_day,
        last_day=last_day,
        account=account or None,
        actions=list(actions) if actions else None,
        max_rows=max_rows,
    )
    matching = int(found[0]["matching"]) if found else 0
    rows = [Entry(**{k: v for k, v in r.items() if k != "matching"}) for r in found]
    return Entries(rows, matching)


def accounts_seen(con: Connection) -> list[str]:
    """Every account name in the log (a failed sign-in's typed name too), sorted."""
    rows = con.execute(
        "select distinct username from audit_log where username is not null order by username"
    ).fetchall()
    return [str(r[0]) for r in rows]


def actions_offered(con: Connection) -> list[str]:
    """ACTIONS in their order, then any other action the log holds."""
    seen = [
        str(r[0]) for r in con.execute("select distinct action from audit_log order by action").fetchall()
    ]
    return [*ACTIONS, *(a for a in seen if a not in ACTIONS)]
