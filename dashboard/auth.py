"""Local accounts, roles and the one permission check every page and command uses.

Passwords are stored only as argon2id hashes. Roles follow the people who use the dashboard:
the administrator, the registry clerks (註冊組 / 進修部教務組), the executive secretary
(教務主任), the principal and the other working-group members. This module must not import
streamlit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboard import audit, db
from dashboard.school_calendar import school_now

# The roles that see the whole school (or its divisions), then the two that see only their own
# part of it: a 教師 the items sent to them and their classes, a 導師 the classes they lead.
SCHOOL_WIDE: tuple[str, ...] = ("管理者", "註冊組", "執行秘書", "校長", "工作小組委員")
CLASSROOM: tuple[str, ...] = ("教師", "導師")
ROLES: tuple[str, ...] = SCHOOL_WIDE + CLASSROOM

# permission -> roles that hold it. One table, so a page cannot invent its own rule.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view_dashboard": frozenset(SCHOOL_WIDE),
    "import_data": frozenset({"管理者", "註冊組"}),
    "view_data_quality": frozenset({"管理者", "註冊組", "執行秘書"}),
    "view_student_names": frozenset({"管理者", "註冊組", "執行秘書"}),
    "view_addresses": frozenset({"管理者", "註冊組"}),
    # 作業期程, 自我檢核, 研習場次, 代理人: Art. 5 gives the schedule to 教務處, whose head is the 執行秘書
    "edit_records": frozenset({"管理者", "註冊組", "執行秘書"}),
    "edit_meetings": frozenset({"管理者", "執行秘書"}),
    "confirm_minutes": frozenset({"管理者", "執行秘書"}),
    "set_targets": frozenset({"管理者", "執行秘書"}),
    "manage_users": frozenset({"管理者"}),
    "purge_records": frozenset({"管理者"}),
    "view_audit": frozenset({"管理者", "校長"}),
}

MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"[A-Za-z0-9_.-]{2,32}")
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against this when the user does not exist keeps the response time the same, so a
# login form cannot be used to find out which accounts exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


# Lock-out: this many failed sign-ins within the window, for one account (since its last
# successful sign-in) or from one address, refuse every further try until the window has passed.
LOCK_FAILURES = 5
LOCK_WINDOW = timedelta(minutes=15)
LOCKED_MESSAGE = (
    "登入失敗次數過多（15 分鐘內 5 次），暫時無法登入；請 15 分鐘後再試。忘記密碼請洽系統管理者。"
)


class AccountError(ValueError):
    """A user-facing problem with an account request (message in Traditional Chinese)."""


class SignInLocked(AccountError):
    """Too many failed sign-ins for this account or from this address; nothing was checked."""


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str

    def can(self, permission: str) -> bool:
        return can(self.role, permission)


def can(role: str, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return role in PERMISSIONS[permission]


def validate_new_user(username: str, password: str, role: str) -> list[str]:
    problems = []
    if not _USERNAME.fullmatch(username):
        problems.append("帳號須為 2–32 個英數字、底線、句點或連字號。")
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"密碼至少需 {MIN_PASSWORD_LENGTH} 個字元。")
    if role not in ROLES:
        problems.append(f"角色「{role}」不存在；可用的角色：{'、'.join(ROLES)}。")
    return problems


def add_user(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    role: str,
    display_name: str | None = None,
    *,
    replace: bool = False,
) -> User:
    problems = validate_new_user(username, password, role)
    if problems:
        raise AccountError(" ".join(problems))
    cur = con.cursor()
    try:
        exists = cur.execute("select 1 from users where username = $u", {"u": username}).fetchone()
        if exists and not replace:
            raise AccountError(f"帳號「{username}」已存在。")
        params = {
            "u": username,
            "n": display_name or username,
            "r": role,
            "h": _hasher.hash(password),
            "t": school_now(),
        }
        cur.execute("begin transaction")
        cur.execute("delete from users where username = $u", {"u": username})
        cur.execute(
            "insert into users (username, display_name, role, password_hash, created_at, disabled)"
            " values ($u, $n, $r, $h, $t, false)",
            params,
        )
        cur.execute("commit")
    finally:
        cur.close()
    return User(username, display_name or username, role)


def _locked(con: duckdb.DuckDBPyConnection, username: str, address: str | None, now: datetime) -> bool:
    rows = db.query_rows(
        con,
        "sign_in_failures",
        username=username,
        address=address,
        since=now - LOCK_WINDOW,
        failed=audit.SIGN_IN_FAILED,
        succeeded=audit.SIGN_IN_OK,
    )
    found = rows[0]
    return int(found["account_failures"]) >= LOCK_FAILURES or int(found["address_failures"]) >= LOCK_FAILURES


def _log(
    con: duckdb.DuckDBPyConnection, action: str, username: str, address: str | None, at: datetime
) -> None:
    cur = con.cursor()
    try:
        audit.record(cur, action, username, address=address, page="登入", at=at)
    finally:
        cur.close()


def authenticate(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    *,
    address: str | None = None,
    now: datetime | None = None,
) -> User | None:
    """The account if the password is right, else None; every try is in the audit log.

    Raises SignInLocked, without checking the password, while the account or the address has
    LOCK_FAILURES failed tries within LOCK_WINDOW (the account's counted since it last signed in).
    """
    name = username.strip()
    at = now or school_now()
    if _locked(con, name, address, at):
        _log(con, audit.SIGN_IN_LOCKED, name, address, at)
        raise SignInLocked(LOCKED_MESSAGE)
    cur = con.cursor()
    try:
        row = cur.execute(
            "select display_name, role, password_hash from users where username = $u and not disabled",
            {"u": name},
        ).fetchone()
    finally:
        cur.close()
    stored = row[2] if row else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
        verified = row is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        verified = False
    _log(con, audit.SIGN_IN_OK if verified else audit.SIGN_IN_FAILED, name, address, at)
    if not verified or row is None:
        return None
    return User(name, row[0], row[1])


def active_user(con: duckdb.DuckDBPyConnection, username: str) -> User | None:
    """The account `username` if it exists and is not disabled (a session cookie's holder)."""
    cur = con.cursor()
    try:
        row = cur.execute(
            "select display_name, role from users where username = $u and not disabled", {"u": username}
        ).fetchone()
    finally:
        cur.close()
    return None if row is None else User(username, row[0], row[1])
