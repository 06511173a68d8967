"""PROPFIND on the resources Radicale cannot answer in esn-sabre's form: the root `/` (where
CalDAV/CardDAV discovery, RFC 6764 §6, asks for current-user-principal) and esn-sabre's principal
tree `/principals/`, `/principals/users/`, `/principals/users/<id>/` (Radicale's principals are
`/<user>/`, with home sets pointing there).

A user principal answers what sabre's CalDAV, CardDAV and ACL plugins add to a
PrincipalUser: home sets, calendar-user addresses (mailto: and the principal URL), email.
"""

from __future__ import annotations

from dataclasses import dataclass

from .auth import Identity
from .directory import Directory, User
from .multistatus import CALDAV, CARDDAV, DAV, SABRE, Empty, Hrefs, Value, clark, document, requested

# esn-sabre's principalCollectionSet (esn.php): the collections searched for principals.
PRINCIPAL_COLLECTIONS = Hrefs(("/principals/users/", "/principals/resources/", "/principals/team-calendars/",
                               "/principals/domains/"))
COLLECTION = Empty((clark(DAV, "collection"),))
ROOT_CHILDREN = ("/principals/", "/calendars/", "/addressbooks/")


@dataclass
class Answer:
    status: int
    body: bytes = b""


def current_principal(identity: Identity) -> str:
    return f"/{identity.principal}/"


def is_principal_path(parts: list[str]) -> bool:
    return not parts or parts[0] == "principals"


def propfind(directory: Directory, identity: Identity, parts: list[str], depth: str, body: bytes) -> Answer:
    """PROPFIND on `/` or under `/principals/` (parts: the path's segments)."""
    try:
        asked = requested(body)
    except ValueError:
        return Answer(400)
    common = {clark(DAV, "current-user-principal"): Hrefs((current_principal(identity),)),
              clark(DAV, "principal-collection-set"): PRINCIPAL_COLLECTIONS}
    collection = {clark(DAV, "resourcetype"): COLLECTION, **common}
    deep = depth != "0"             # sabre refuses infinity on principals; 1 is what clients send

    if not parts:
        found = [("/", collection)] + ([(href, collection) for href in ROOT_CHILDREN] if deep else [])
    elif parts == ["principals"]:
        found = [("/principals/", collection)] + ([("/principals/users/", collection)] if deep else [])
    elif parts == ["principals", "users"]:
        # Listing every user would leak the directory; the caller's own principal is what clients need.
        found = [("/principals/users/", collection)]
        if deep and identity.user is not None:
            me = directory.find_by_id(identity.user.id)
            if me is not None:
                found.append((f"/principals/users/{me.id}/", _user(me, common)))
    elif len(parts) == 3 and parts[1] == "users":
        user = directory.find_by_id(parts[2])
        if user is None:
            return Answer(404)
        if not _may_read(identity, user):
            return Answer(403)           # esn-sabre: assertUserBelongsToDomain
        found = [(f"/principals/users/{user.id}/", _user(user, common))]
    else:
        return Answer(404)
    return Answer(207, document([(href, props, asked) for href, props in found]))


def _may_read(identity: Identity, user: User) -> bool:
    if identity.technical_domain is not None:
        return identity.technical_domain == user.domain_id
    return identity.user is not None and identity.user.domain_id == user.domain_id


def _user(user: User, common: dict[str, Value]) -> dict[str, Value]:
    url = f"/principals/users/{user.id}/"
    props: dict[str, Value] = {
        clark(DAV, "resourcetype"): Empty((clark(DAV, "collection"), clark(DAV, "principal"))),
        clark(DAV, "displayname"): user.display_name or user.email,
        clark(DAV, "principal-URL"): Hrefs((url,)),
        clark(DAV, "alternate-URI-set"): Hrefs((f"mailto:{user.email}",)),
        clark(CALDAV, "calendar-home-set"): Hrefs((f"/calendars/{user.id}/",)),
        clark(CALDAV, "calendar-user-address-set"): Hrefs((f"mailto:{user.email}", url)),
        clark(CALDAV, "calendar-user-type"): "INDIVIDUAL",
        clark(CARDDAV, "addressbook-home-set"): Hrefs((f"/addressbooks/{user.id}/",)),
        clark(SABRE, "email-address"): user.email,
    }
    return {**props, **common}
