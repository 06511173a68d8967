"""The part of esn-sabre's JSON API (lib/JSON/CalDAV/CalendarHandler.php) the worker uses:
a calendar's description with its rights (`GET /calendars/<home>/<cal>[.json]?withRights=true`,
`Accept: application/json`) and sharing (`POST /calendars/<home>/<cal>.json` with
`{"share": {"set": [...], "remove": [...]}}`).

Sharees ("invites") are kept in a JSON file per calendar beside Radicale's storage: Radicale
has no sharing, and the shim only needs to remember who was invited with which right.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

# sabre's Sharing\Plugin access levels.
ACCESS_SHAREDOWNER, ACCESS_READ, ACCESS_READWRITE, ACCESS_ADMINISTRATION = 1, 2, 3, 5
RIGHTS = {"dav:read": ACCESS_READ, "dav:read-write": ACCESS_READWRITE,
          "dav:administration": ACCESS_ADMINISTRATION}
INVITE_ACCEPTED = 2


class CalendarInvites:
    def __init__(self, folder: Path):
        self._folder = folder
        self._lock = threading.Lock()

    def _file(self, home: str, calendar: str) -> Path:
        return self._folder / home / f"{calendar}.json"

    def list(self, home: str, calendar: str) -> list[dict]:
        path = self._file(home, calendar)
        return json.loads(path.read_text()) if path.exists() else []

    def shared(self):
        """Every shared calendar: (home, calendar, invites)."""
        for path in sorted(self._folder.glob("*/*.json")):
            invites = json.loads(path.read_text())
            if invites:
                yield path.parent.name, path.stem, invites

    def share(self, home: str, calendar: str, request: dict) -> None:
        """Applies a `share` request: set adds or changes a sharee, remove drops one.
        Raises ValueError for a request that is not one."""
        share = request.get("share") if isinstance(request, dict) else None
        if not isinstance(share, dict):
            raise ValueError("not a share request")
        with self._lock:
            invites = {i["href"]: i for i in self.list(home, calendar)}
            for item in share.get("set", []):
                href = str(item.get("dav:href", ""))
                access = next((level for name, level in RIGHTS.items() if item.get(name)), None)
                if not href.lower().startswith("mailto:") or access is None:
                    raise ValueError("a sharee needs a mailto: href and a right")
                invites[href.lower()] = {"href": href.lower(), "principal": None, "properties": [],
                                         "access": access, "comment": "", "inviteStatus": INVITE_ACCEPTED}
            for item in share.get("remove", []):
                invites.pop(str(item.get("dav:href", "")).lower(), None)
            path = self._file(home, calendar)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(list(invites.values())))

    def describe(self, home: str, calendar: str, owner_email: str | None, with_rights: bool) -> dict:
        """The calendar as esn-sabre's calendarToJson writes it (the properties the worker reads)."""
        body = {"_links": {"self": {"href": f"/calendars/{home}/{calendar}.json"}},
                "dav:name": "#default" if home == calendar else calendar}
        if with_rights:
            owner = [{"href": f"mailto:{owner_email}", "principal": f"principals/users/{home}",
                      "properties": [], "access": ACCESS_SHAREDOWNER, "comment": "",
                      "inviteStatus": INVITE_ACCEPTED}] if owner_email else []
            body["invite"] = owner + self.list(home, calendar)
            body["acl"] = [{"privilege": "{DAV:}all", "principal": f"principals/users/{home}", "protected": True}]
        return body
