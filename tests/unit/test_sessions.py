"""Signed-in sessions (issue [8/11] finding 3): idle and absolute expiry, a forged or altered
cookie, a one-time claim that goes stale, and ending every session of an account."""

from __future__ import annotations

from datetime import datetime, timedelta

from dashboard import sessions

T0 = datetime(2026, 12, 4, 8, 0)


def test_a_session_lives_while_used_and_ends_after_the_idle_time() -> None:
    cookie = sessions.start("registry", now=T0)
    assert sessions.resolve(cookie, now=T0 + timedelta(minutes=29)) == "registry"
    assert sessions.resolve(cookie, now=T0 + timedelta(minutes=58)) == "registry"  # used at 29
    assert sessions.resolve(cookie, now=T0 + timedelta(minutes=58 + 31)) is None
    assert sessions.resolve(cookie, now=T0 + timedelta(minutes=60)) is None  # gone for good


def test_even_a_busy_session_ends_after_its_lifetime() -> None:
    cookie = sessions.start("registry", now=T0)
    at = T0
    while at < T0 + sessions.LIFETIME - timedelta(minutes=20):
        at += timedelta(minutes=20)
        assert sessions.resolve(cookie, now=at) == "registry"
    assert sessions.resolve(cookie, now=T0 + sessions.LIFETIME + timedelta(minutes=1)) is None


def test_an_altered_or_made_up_cookie_is_nobody() -> None:
    cookie = sessions.start("registry", now=T0)
    session_id, signature = cookie.rsplit(".", 1)
    assert sessions.resolve(f"{session_id}x.{signature}", now=T0) is None
    assert sessions.resolve(f"{session_id}.{'0' * len(signature)}", now=T0) is None
    assert sessions.resolve("", now=T0) is None
    assert sessions.resolve(None, now=T0) is None


def test_a_claim_works_once_and_not_after_it_went_stale() -> None:
    cookie = sessions.start("registry", now=T0)
    token = sessions.claim_for(cookie, now=T0)
    assert sessions.redeem(token, now=T0 + timedelta(seconds=5)) == cookie
    assert sessions.redeem(token, now=T0 + timedelta(seconds=6)) is None
    late = sessions.claim_for(cookie, now=T0)
    assert sessions.redeem(late, now=T0 + sessions.CLAIM_TTL + timedelta(seconds=1)) is None


def test_ending_every_session_of_an_account() -> None:
    first = sessions.start("clerk", now=T0)
    second = sessions.start("clerk", now=T0)
    other = sessions.start("registry", now=T0)
    sessions.end_all_of("clerk")
    assert sessions.resolve(first, now=T0) is None
    assert sessions.resolve(second, now=T0) is None
    assert sessions.resolve(other, now=T0) == "registry"
