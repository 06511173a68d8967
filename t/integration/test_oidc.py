"""The OIDC provider gives real tokens for the test users, as the edge will check them."""

from __future__ import annotations

import time
import urllib.error

import pytest


def test_token_introspects_active_with_the_users_email(stack):
    token = stack.oidc.token("alice@example.com")
    info = stack.oidc.introspect(token)
    assert info["active"] is True
    assert info["exp"] > time.time()
    assert info["aud"] == "tcalendar"
    assert "sid" not in info  # no login session behind this grant
    claims = stack.oidc.userinfo(token)
    assert claims["email"] == "alice@example.com"
    assert (claims["given_name"], claims["family_name"]) == ("Alice", "Martin")


def test_session_token_carries_the_sid_back_channel_logout_needs(stack):
    token, sid = stack.oidc.session_token("bob@example.com", "bob-secret")
    info = stack.oidc.introspect(token)
    assert info["active"] is True and info["sid"] == sid
    stack.oidc.logout(sid)
    assert stack.oidc.introspect(token) == {"active": False}


def test_revoked_and_expired_tokens_are_inactive(stack):
    revoked = stack.oidc.token("carol@example.com")
    stack.oidc.revoke(revoked)
    assert stack.oidc.introspect(revoked) == {"active": False}
    short = stack.oidc.token("carol@example.com", ttl=1)
    time.sleep(2.1)
    assert stack.oidc.introspect(short) == {"active": False}
    with pytest.raises(urllib.error.HTTPError) as e:
        stack.oidc.userinfo(short)
    assert e.value.code == 401
