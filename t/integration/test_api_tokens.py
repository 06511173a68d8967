"""POST /api/jwt/generate (docs/reference/rest-api.md §8.1)."""

from __future__ import annotations

import json
import time

import jwt as pyjwt


def test_generated_jwt_is_rs256_for_the_caller(api, people, stack):
    u = people.user()
    r = api.post("/api/jwt/generate", user=u["email"])
    assert r.status == 200
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    token = json.loads(r.body)
    assert r.body.startswith(b'"eyJ')
    header = pyjwt.get_unverified_header(token)
    assert header == {"typ": "JWT", "alg": "RS256"}
    claims = pyjwt.decode(token, stack.jwt_public_key.read_text(), algorithms=["RS256"])
    assert claims["sub"] == u["email"]
    assert claims["twake_calendar_auth_type"] == "jwt"
    assert abs(claims["iat"] - time.time()) < 30
    assert claims["exp"] - claims["iat"] == 12 * 3600


def test_generation_needs_a_caller_and_refuses_renewal_by_a_legacy_jwt(api, people):
    assert api.post("/api/jwt/generate").status == 401
    u = people.user()
    r = api.post("/api/jwt/generate", user=u["email"], auth="jwt")
    assert r.status == 401
    assert api.post("/api/jwt/generate", user=u["email"], auth="basic").status == 200
