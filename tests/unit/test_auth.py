from __future__ import annotations

import duckdb
import pytest

from dashboard import auth


def test_password_is_stored_as_argon2id_and_verifies(con: duckdb.DuckDBPyConnection) -> None:
    auth.add_user(con, "clerk", "s3cret-pass", "註冊組", "王小明")
    stored = con.execute("select password_hash from users where username = 'clerk'").fetchone()
    assert stored is not None
    assert stored[0].startswith("$argon2id$")
    assert "s3cret-pass" not in stored[0]
    user = auth.authenticate(con, "clerk", "s3cret-pass")
    assert user == auth.User("clerk", "王小明", "註冊組")


def test_wrong_password_and_unknown_user_are_refused(con: duckdb.DuckDBPyConnection) -> None:
    auth.add_user(con, "clerk", "s3cret-pass", "註冊組")
    assert auth.authenticate(con, "clerk", "wrong-pass") is None
    assert auth.authenticate(con, "nobody", "s3cret-pass") is None


def test_disabled_user_cannot_sign_in(con: duckdb.DuckDBPyConnection) -> None:
    auth.add_user(con, "clerk", "s3cret-pass", "註冊組")
    con.execute("update users set disabled = true where username = 'clerk'")
    assert auth.authenticate(con, "clerk", "s3cret-pass") is None


@pytest.mark.parametrize(
    ("username", "password", "role", "fragment"),
    [
        ("x", "long-enough", "註冊組", "帳號須為"),
        ("clerk", "short", "註冊組", "密碼至少"),
        ("clerk", "long-enough", "工友", "角色「工友」不存在"),
    ],
)
def test_bad_account_requests_are_refused_in_chinese(
    con: duckdb.DuckDBPyConnection, username: str, password: str, role: str, fragment: str
) -> None:
    with pytest.raises(auth.AccountError, match=fragment):
        auth.add_user(con, username, password, role)
    assert con.execute("select count(*) from users").fetchone() == (0,)


def test_duplicate_account_is_refused_unless_replacing(con: duckdb.DuckDBPyConnection) -> None:
    auth.add_user(con, "clerk", "s3cret-pass", "註冊組")
    with pytest.raises(auth.AccountError, match="已存在"):
        auth.add_user(con, "clerk", "other-pass", "校長")
    auth.add_user(con, "clerk", "other-pass", "校長", replace=True)
    assert auth.authenticate(con, "clerk", "other-pass") == auth.User("clerk", "clerk", "校長")


def test_permission_table() -> None:
    assert auth.can("註冊組", "import_data")
    assert not auth.can("校長", "import_data")
    assert auth.can("校長", "view_dashboard")
    assert not auth.can("執行秘書", "manage_users")
    assert auth.can("管理者", "purge_records")
    with pytest.raises(KeyError):
        auth.can("管理者", "no_such_permission")
