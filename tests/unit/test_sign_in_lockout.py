"""Sign-in that behaves (issue [8/11] finding 2): 5 failed tries in 15 minutes lock an account
(counted since its last successful sign-in) and an address; while locked even the right password
is refused without being checked; every try — success, failure, lock-out — is in the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pytest

from dashboard import audit, auth

T0 = datetime(2026, 12, 4, 9, 0)
HERE, THERE = "10.1.2.3", "10.9.9.9"


def _at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _log(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute(
        "select happened_at, username, action, address, page from audit_log order by entry_id"
    ).fetchall()


@pytest.fixture
def clerk(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    auth.add_user(con, "clerk", "s3cret-pass", "註冊組", "王小明")
    auth.add_user(con, "other", "other-pass1", "註冊組", "李大華")
    return con


def test_the_sixth_try_is_refused_even_with_the_right_password(clerk: duckdb.DuckDBPyConnection) -> None:
    for i in range(auth.LOCK_FAILURES):
        assert auth.authenticate(clerk, "clerk", f"wrong-{i}", address=HERE, now=_at(i)) is None
    with pytest.raises(auth.SignInLocked) as locked:
        auth.authenticate(clerk, "clerk", "s3cret-pass", address=THERE, now=_at(5))
    assert "15 分鐘" in str(locked.value)
    # from another address too: the account itself is locked
    actions = [row[2] for row in _log(clerk)]
    assert actions == [audit.SIGN_IN_FAILED] * auth.LOCK_FAILURES + [audit.SIGN_IN_LOCKED]


def test_the_lock_ends_when_the_window_has_passed(clerk: duckdb.DuckDBPyConnection) -> None:
    for i in range(auth.LOCK_FAILURES):
        auth.authenticate(clerk, "clerk", "wrong", address=HERE, now=_at(i))
    with pytest.raises(auth.SignInLocked):
        auth.authenticate(clerk, "clerk", "s3cret-pass", address=HERE, now=_at(14))
    # 15 minutes after the first failure only four remain in the window
    user = auth.authenticate(clerk, "clerk", "s3cret-pass", address=HERE, now=_at(15.5))
    assert user == auth.User("clerk", "王小明", "註冊組")


def test_four_failures_do_not_lock_and_a_success_starts_the_count_again(
    clerk: duckdb.DuckDBPyConnection,
) -> None:
    for i in range(auth.LOCK_FAILURES - 1):
        auth.authenticate(clerk, "clerk", "wrong", now=_at(i))
    assert auth.authenticate(clerk, "clerk", "s3cret-pass", now=_at(4)) is not None
    for i in range(auth.LOCK_FAILURES - 1):
        auth.authenticate(clerk, "clerk", "wrong", now=_at(5 + i))
    assert auth.authenticate(clerk, "clerk", "s3cret-pass", now=_at(9)) is not None


def test_an_address_that_guesses_many_accounts_is_locked(clerk: duckdb.DuckDBPyConnection) -> None:
    for i, name in enumerate(["a1", "a2", "other", "a4", "a5"]):
        auth.authenticate(clerk, name, "guess", address=HERE, now=_at(i))
    with pytest.raises(auth.SignInLocked):
        auth.authenticate(clerk, "clerk", "s3cret-pass", address=HERE, now=_at(6))
    # the same account from another address is not locked: none of its own tries failed
    assert auth.authenticate(clerk, "clerk", "s3cret-pass", address=THERE, now=_at(6)) is not None


def test_every_try_is_logged_with_who_when_and_from_where(clerk: duckdb.DuckDBPyConnection) -> None:
    auth.authenticate(clerk, "clerk", "s3cret-pass", address=HERE, now=_at(0))
    auth.authenticate(clerk, " nobody ", "whatever", address=THERE, now=_at(1))
    assert _log(clerk) == [
        (_at(0), "clerk", audit.SIGN_IN_OK, HERE, "登入"),
        (_at(1), "nobody", audit.SIGN_IN_FAILED, THERE, "登入"),
    ]
    passwords = clerk.execute("select count(*) from audit_log where detail like '%pass%'").fetchone()
    assert passwords == (0,)  # no password is ever written down


def test_a_long_typed_account_name_is_cut_in_the_log(clerk: duckdb.DuckDBPyConnection) -> None:
    auth.authenticate(clerk, "x" * 5000, "whatever", now=_at(0))
    (name,) = clerk.execute("select username from audit_log").fetchone() or ("",)
    assert isinstance(name, str) and len(name) == 64
