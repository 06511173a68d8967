"""The OpenID Connect provider of the test stack (t/harness/oidc/provider.mjs, on oidc-provider)
and a client that gets real tokens from it. Standard library only.

    op = OidcProvider(workdir, accounts, backchannel_logout_uri=None)
    op.start()
    op.token(email, ttl=None)              -> access token, no login session (no sid)
    op.session_token(email, password)      -> (access token, sid), real authorization-code flow
    op.logout(sid)                         -> RP-initiated logout of that session; the provider
                                              POSTs logout_token to backchannel_logout_uri first
    op.introspect(token) / op.userinfo(token) -> dict
    op.revoke(token)

Accounts are dicts {sub, email, given_name, family_name, password}. The provider keeps
everything in memory: a restart forgets every token and session.
"""

from __future__ import annotations

import base64
import hashlib
import http.cookiejar
import json
import re
import secrets
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .service import REPO, Service, free_port

OIDC_DIR = REPO / "t" / "harness" / "oidc"
TEST_GRANT = "urn:twake:test:password"
SCOPE = "openid email profile"


def npm_install() -> None:
    """Install oidc-provider from the lock file unless node_modules is already there."""
    if not (OIDC_DIR / "node_modules" / "oidc-provider" / "package.json").exists():
        subprocess.run(["npm", "ci", "--prefix", str(OIDC_DIR), "--no-audit", "--no-fund"], check=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """The login flow is followed by hand: the last hop goes to the client, which may not exist."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class OidcProvider(Service):
    name = "oidc"

    def __init__(self, workdir: Path, accounts: list[dict], backchannel_logout_uri: str | None = None,
                 access_token_ttl: int = 3600, audience: str | list[str] = "tcalendar"):
        super().__init__(workdir)
        self.accounts = accounts
        # Read when the config is written (start()); set it before starting.
        self.backchannel_logout_uri = backchannel_logout_uri
        self.access_token_ttl = access_token_ttl
        # What introspection reports as `aud`: a string, or a list to test the array form.
        self.audience = audience
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.authorization_url = self.issuer + "/auth"
        self.token_url = self.issuer + "/token"
        self.introspection_url = self.issuer + "/token/introspection"
        self.revocation_url = self.issuer + "/token/revocation"
        self.userinfo_url = self.issuer + "/me"
        self.end_session_url = self.issuer + "/session/end"
        self.client_id = "tcalendar-edge"
        self.client_secret = secrets.token_urlsafe(24)
        # The code flow ends with a redirect to this URI; nothing needs to listen there.
        self.redirect_uri = f"http://127.0.0.1:{self.port}/test-callback"
        self.redirect_uris = [self.redirect_uri]  # append the edge's callback before start()
        self._sessions: dict[str, dict] = {}  # sid -> cookie jar and id_token, for logout()

    # -- Service ------------------------------------------------------------
    def prepare(self) -> None:
        npm_install()
        client = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uris": self.redirect_uris,
            "grant_types": ["authorization_code", TEST_GRANT],
        }
        if self.backchannel_logout_uri:
            client["backchannel_logout_uri"] = self.backchannel_logout_uri
        config = {
            "port": self.port,
            "issuer": self.issuer,
            "audience": self.audience,
            "access_token_ttl": self.access_token_ttl,
            "accounts": self.accounts,
            "clients": [client],
        }
        (self.workdir / "oidc.json").write_text(json.dumps(config, indent=2))

    def command(self) -> list[str]:
        return ["node", str(OIDC_DIR / "provider.mjs"), str(self.workdir / "oidc.json")]

    def ready(self) -> bool:
        with urllib.request.urlopen(self.issuer + "/.well-known/openid-configuration", timeout=1) as r:
            return json.load(r)["issuer"] == self.issuer

    # -- HTTP helpers -------------------------------------------------------
    def client_authorization(self) -> str:
        """The Authorization header value of the edge's client (for introspection)."""
        return self._basic()

    def _basic(self) -> str:
        pair = f"{urllib.parse.quote(self.client_id)}:{urllib.parse.quote(self.client_secret)}"
        return "Basic " + base64.b64encode(pair.encode()).decode()

    def _post_client(self, url: str, form: dict) -> dict:
        """POST a form with the client's Basic credentials; JSON answer, or HTTPError."""
        req = urllib.request.Request(url, urllib.parse.urlencode(form).encode(),
                                     {"Authorization": self._basic()})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else {}

    # -- tokens -------------------------------------------------------------
    def add_account(self, account: dict) -> None:
        """Registers an account in the running provider (and for its next start)."""
        self.accounts = [*self.accounts, account]
        self._post_client(self.token_url, {"grant_type": TEST_GRANT, "username": account["email"],
                                           "register": json.dumps(account)})

    def token(self, email: str, ttl: int | None = None) -> str:
        """An access token for `email` from the test grant: no login session, so no sid.
        `ttl` (seconds) makes a short-lived one for expiry tests."""
        form = {"grant_type": TEST_GRANT, "username": email}
        if ttl is not None:
            form["ttl"] = str(ttl)
        return self._post_client(self.token_url, form)["access_token"]

    def session_token(self, email: str, password: str) -> tuple[str, str]:
        """Log in through the real authorization-code flow (dev login and consent pages, PKCE)
        and return (access_token, sid). The browser session is kept for logout(sid)."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        state = secrets.token_urlsafe(12)
        url = self.authorization_url + "?" + urllib.parse.urlencode({
            "client_id": self.client_id, "response_type": "code", "scope": SCOPE,
            "redirect_uri": self.redirect_uri, "state": state, "nonce": secrets.token_urlsafe(12),
            "code_challenge": challenge, "code_challenge_method": "S256",
            # Bind the tokens to the session (sid) even when no back-channel logout URI is set.
            "claims": json.dumps({"id_token": {"sid": None}}),
        })
        data = None
        for _ in range(10):  # authorize -> login page -> authorize -> consent page -> authorize -> code
            status, headers, body = _request(opener, url, data)
            if status in (302, 303):
                url = urllib.parse.urljoin(url, headers.get("Location"))
                data = None
                if url.startswith(self.redirect_uri):
                    break
                continue
            if status != 200:
                raise RuntimeError(f"login flow: {status} at {url}: {body[:300]!r}")
            prompt = re.search(r'name="prompt" value="(\w+)"', body)
            action = re.search(r'<form[^>]* action="([^"]+)"', body)
            if not prompt or not action:
                raise RuntimeError(f"login flow: unexpected page at {url}: {body[:300]!r}")
            form = {"prompt": prompt.group(1)}
            if form["prompt"] == "login":
                form.update(login=email, password=password)
            url = urllib.parse.urljoin(url, action.group(1))
            data = urllib.parse.urlencode(form).encode()
        else:
            raise RuntimeError("login flow: too many steps")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        if "code" not in query or query.get("state") != [state]:
            raise RuntimeError(f"login flow ended without a code: {url}")
        tokens = self._post_client(self.token_url, {
            "grant_type": "authorization_code", "code": query["code"][0],
            "redirect_uri": self.redirect_uri, "code_verifier": verifier,
        })
        sid = self.introspect(tokens["access_token"])["sid"]
        self._sessions[sid] = {"opener": opener, "id_token": tokens["id_token"]}
        return tokens["access_token"], sid

    def logout(self, sid: str) -> None:
        """RP-initiated logout of the session from session_token(), as a browser would do it:
        GET /session/end with id_token_hint, then confirm "Yes, sign me out". The provider sends
        the back-channel logout (form field logout_token) before it answers the confirmation,
        ends the session and revokes the session's tokens."""
        session = self._sessions.pop(sid)
        opener = session["opener"]
        url = self.end_session_url + "?" + urllib.parse.urlencode({"id_token_hint": session["id_token"]})
        status, _, body = _request(opener, url)
        xsrf = re.search(r'name="xsrf" value="([^"]+)"', body)
        if status != 200 or not xsrf:
            raise RuntimeError(f"logout: {status} at {url}: {body[:300]!r}")
        form = urllib.parse.urlencode({"xsrf": xsrf.group(1), "logout": "yes"}).encode()
        status, headers, body = _request(opener, self.end_session_url + "/confirm", form)
        if status not in (302, 303):
            raise RuntimeError(f"logout confirm: {status}: {body[:300]!r}")

    def introspect(self, token: str) -> dict:
        return self._post_client(self.introspection_url, {"token": token})

    def userinfo(self, token: str) -> dict:
        """Claims of the token's account; raises urllib.error.HTTPError (401) for a dead token."""
        req = urllib.request.Request(self.userinfo_url, headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)

    def revoke(self, token: str) -> None:
        self._post_client(self.revocation_url, {"token": token, "token_type_hint": "access_token"})


def _request(opener, url: str, data: bytes | None = None) -> tuple[int, object, str]:
    """One request without following redirects: (status, headers, body text)."""
    try:
        with opener.open(url, data, timeout=10) as r:
            return r.status, r.headers, r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:  # 3xx (not followed) and 4xx/5xx land here
        return e.code, e.headers, e.read().decode(errors="replace")
