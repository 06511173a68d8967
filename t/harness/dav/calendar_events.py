"""The calendar-list messages esn-sabre publishes (lib/Publisher/CalDAV/CalendarRealTimePlugin.php,
docs/reference/realtime.md §3.1): `calendar:calendar:created|updated|deleted` with
`calendarPath` and `calendarProps` for a calendar made, changed or removed, and for each
sharee's instance when a calendar's sharing changes (its `access` in `calendarProps`), plus one
`calendar:calendar:updated` of the source calendar (`delegation_updated`).
"""

from __future__ import annotations

import uuid

Message = tuple[str, dict]      # (exchange, body)

# sabre's Sharing\\Plugin::accessToRightRse
RIGHTS = {2: "dav:read", 3: "dav:read-write", 5: "dav:administration"}


def calendar_changed(action: str, path: str, props: dict | None, connected_user: str) -> Message:
    """`action` is created, updated or deleted; `props` the calendar's properties in Clark
    notation (None for a deletion; an empty one is PHP's empty array, `[]`)."""
    body = {"calendarPath": path, "calendarProps": (props or []) if action != "deleted" else None,
            "connectedUser": connected_user}
    return f"calendar:calendar:{action}", body


def sharee_instance(home: str, calendar: str, sharee_id: str) -> str:
    """The sharee's instance of a shared calendar: esn-sabre gives it a new URI; the shim derives
    one, so that the same share always has the same path."""
    uri = uuid.uuid5(uuid.NAMESPACE_URL, f"/calendars/{home}/{calendar}#{sharee_id}")
    return f"/calendars/{sharee_id}/{uri}"


def sharing_changed(home: str, calendar: str, before: dict[str, int], after: dict[str, int],
                    sharee_ids: dict[str, str], connected_user: str) -> list[Message]:
    """`before` and `after` map sharee addresses to access levels; `sharee_ids` maps the
    addresses of known principals to their ids (esn-sabre skips a sharee without principal)."""
    messages: list[Message] = []
    for href in sorted(set(before) | set(after)):
        sharee = sharee_ids.get(href)
        if sharee is None or before.get(href) == after.get(href):
            continue
        path = sharee_instance(home, calendar, sharee)
        if href not in after:
            messages.append(calendar_changed("deleted", path, None, connected_user))
        else:
            action = "created" if href not in before else "updated"
            messages.append(calendar_changed(action, path, {"access": RIGHTS.get(after[href], "dav:read")},
                                             connected_user))
    if messages:
        messages.append(calendar_changed("updated", f"/calendars/{home}/{calendar}", {"delegation_updated": True},
                                         connected_user))
    return messages
