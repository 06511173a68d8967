"""Public routes: avatars, icons, the technical-token introspection esn-sabre calls
(docs/reference/rest-api.md §11.1, §8.2, §11.2), reached through nginx as clients reach them."""

from __future__ import annotations

import time

import jwt as pyjwt
import requests


def test_avatar_is_a_png(stack):
    r = requests.get(stack.edge_url + "/api/avatars?email=zoe@example.com&objectType=user", timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "image/png"
    assert r.headers["Cache-Control"] == "max-age=1800, public"
    assert r.content.startswith(b"\x89PNG\r\n\x1a\n")
    same = requests.get(stack.edge_url + "/api/avatars?email=Zed@example.com", timeout=5)
    assert same.content == r.content  # one image per upper-cased first character


def test_avatar_errors(stack):
    r = requests.get(stack.edge_url + "/api/avatars", timeout=5)
    assert r.status_code == 400
    assert r.json()["error"]["details"] == "Request for avatar is missing email query parameter"
    assert requests.get(stack.edge_url + "/api/avatars?email=", timeout=5).json()["error"]["details"] == "Empty email"


def test_icons_with_etags(stack):
    r = requests.get(stack.edge_url + "/images/icon/laptop.svg", timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "image/svg+xml"
    assert r.headers["Cache-Control"] == "public, max-age=604800"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.text.startswith("<svg") and r.text.rstrip().endswith("</svg>")
    etag = r.headers["ETag"]
    assert etag.endswith('-laptop"')
    again = requests.get(stack.edge_url + "/linagora.esn.resource/images/icon/laptop.svg",
                         headers={"If-None-Match": f'"x", {etag}'}, timeout=5)
    assert (again.status_code, again.content) == (304, b"")
    assert requests.get(stack.edge_url + "/images/icon/laptop.svg", headers={"If-None-Match": "*"},
                        timeout=5).status_code == 304
    assert requests.get(stack.edge_url + "/images/icon/Laptop.svg", timeout=5).status_code == 404
    assert requests.get(stack.edge_url + "/images/icon/nope.svg", timeout=5).status_code == 404
    assert requests.get(stack.edge_url + "/images/icon/.svg", timeout=5).status_code == 400


def technical_user(domain_id):
    """The `data` claim as the worker (and upstream) writes it (docs/reference/auth.md §5.2)."""
    return {"data": {"principal": "principals/technicalUser"}, "type": "dav", "user_type": "technical",
            "schemaVersion": 1, "__v": 0, "description": "Allows to authenticate on Sabre DAV",
            "name": "Sabre Dav", "domainId": domain_id, "_id": "4890c190-d1d6-392e-afbf-991d4ce359b6"}


def technical_token(stack, domain_id, **changes):
    claims = {"iss": "Twake-calendar-side-service", "domainId": domain_id, "technicalToken": True,
              "data": technical_user(domain_id), "exp": int(time.time()) + 60}
    claims.update(changes)
    return pyjwt.encode(claims, stack.technical_token_secret, algorithm="HS256")


def test_technical_token_introspection(stack, people):
    domain = people.domain()
    domain_id = people.domain_id(domain)
    token = technical_token(stack, domain_id)
    r = requests.get(stack.edge_url + "/api/technicalToken/introspect", headers={"X-TECHNICAL-TOKEN": token},
                     timeout=5)
    assert r.status_code == 200
    assert r.json() == {**technical_user(domain_id), "domain": domain}


def test_technical_token_refusals(stack, people):
    domain_id = people.domain_id(people.domain())
    not_found = {"error": {"code": 404, "type": "NotFound", "message": "Not found",
                           "details": "Token not found or expired"}}
    bad = [
        None,
        "garbage",
        technical_token(stack, domain_id, exp=int(time.time()) - 5),
        technical_token(stack, domain_id, iss="someone-else"),
        technical_token(stack, domain_id, technicalToken=False),
        technical_token(stack, "000000000000000000000000"),
        pyjwt.encode({"iss": "Twake-calendar-side-service", "domainId": domain_id, "technicalToken": True,
                      "data": {}, "exp": int(time.time()) + 60}, "another-secret-of-enough-length-xxxxxx",
                     algorithm="HS256"),
    ]
    for token in bad:
        headers = {"X-TECHNICAL-TOKEN": token} if token else {}
        r = requests.get(stack.edge_url + "/api/technicalToken/introspect", headers=headers, timeout=5)
        assert (r.status_code, r.json()) == (404, not_found), token


def test_identity_headers_sent_by_a_client_never_reach_the_worker(stack, db):
    # A public route through nginx with forged identity: the worker must see none of it.
    r = requests.put(stack.edge_url + "/api/user/profile", timeout=5,
                     headers={"X-Twake-User": "alice@example.com", "X-Twake-Auth": "admin"})
    assert r.status_code == 405


def test_esn_sabre_accepts_a_technical_token_through_the_edge(stack, people):
    # The DAV server introspects the token through nginx, as esn-sabre does in production.
    domain = people.domain()
    token = technical_token(stack, people.domain_id(domain))
    r = requests.request("PROPFIND", stack.dav.url + f"/addressbooks/{people.domain_id(domain)}/",
                         headers={"TwakeCalendarToken": token, "Depth": "0"}, timeout=5)
    assert r.status_code in (207, 404), r.text
    r = requests.request("PROPFIND", stack.dav.url + "/calendars/", headers={"TwakeCalendarToken": "bad"},
                         timeout=5)
    assert r.status_code == 401
