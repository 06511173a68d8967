"""Who is who: the MongoDB `users` and `domains` collections read the way esn-sabre reads them
(lib/DAVACL/PrincipalBackend/Mongo.php; docs/reference/mongodb.md §13)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pymongo
from bson import ObjectId

PROJECTION = {"_id": 1, "accounts": 1, "domains": 1, "preferredEmail": 1, "emails": 1, "firstname": 1,
              "lastname": 1}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")   # roughly PHP's FILTER_VALIDATE_EMAIL


@dataclass(frozen=True)
class User:
    """A user, or a resource (kind "resources"): both own a calendar home and act as principals."""
    id: str            # ObjectId hex: principal principals/<kind>/<id>, calendar home /calendars/<id>
    email: str         # the principal's address: first email account's emails[0]; <id>@<domain> for a resource
    domain_id: str
    display_name: str = ""   # "firstname lastname" (a resource: its name), the principal's {DAV:}displayname
    kind: str = "users"

    @property
    def principal(self) -> str:
        return f"principals/{self.kind}/{self.id}"

    @property
    def address(self) -> str:
        """The calendar-user address the iTIP broker compares with ORGANIZER/ATTENDEE."""
        return f"mailto:{self.email.lower()}"


class Directory:
    def __init__(self, mongo_url: str, database: str):
        self._db = pymongo.MongoClient(mongo_url, serverSelectionTimeoutMS=5000)[database]

    def authenticate_email(self, email: str) -> User | None:
        """Impersonation target → user, as getAuthTenantByEmail: lookup by the lower-cased address in
        accounts.emails, then preferredEmail, then emails; the user's first domain must be the
        domain named after the '@' (taken as sent, like esn-sabre). No user: a resource addressed
        `<resource id>@<its domain>` (getAuthTenantByResourceEmail)."""
        if not EMAIL.match(email):
            return None
        doc = self._find_by_email(email.lower())
        if doc is None:
            return self._resource_by_email(email)
        domains = doc.get("domains") or []
        domain_id = domains[0].get("domain_id") if domains else None
        if domain_id is None:
            return None
        if self._db.domains.find_one({"_id": domain_id, "name": email.split("@", 1)[1]}, {"_id": 1}) is None:
            return None
        return self._user(doc, domain_id)

    def find_by_address(self, address: str) -> User | None:
        """A calendar-user address (mailto:… or bare) → local user, as the ACL plugin's
        getPrincipalByUri does for iTIP recipients (no domain check there); else a resource whose
        id is the local part (the principals/resources search, which ignores the domain)."""
        email = address.strip().strip("<>")
        if email.lower().startswith("mailto:"):
            email = email[7:]
        doc = self._find_by_email(email.lower())
        if doc is None:
            return self.find_resource(email.split("@", 1)[0])
        domains = doc.get("domains") or []
        return self._user(doc, domains[0].get("domain_id") if domains else None)

    def find_resource(self, resource_id: str) -> User | None:
        """A resource as a principal: its address is `<id>@<its domain's name>` (resourceToPrincipal)."""
        if not ObjectId.is_valid(resource_id):
            return None
        doc = self._db.resources.find_one({"_id": ObjectId(resource_id)}, {"_id": 1, "domain": 1, "name": 1})
        if doc is None or doc.get("domain") is None:
            return None
        domain = self._db.domains.find_one({"_id": doc["domain"]}, {"name": 1})
        email = f"{doc['_id']}@{domain['name']}" if domain is not None else ""
        return User(str(doc["_id"]), email, str(doc["domain"]), str(doc.get("name") or ""), kind="resources")

    def find_home_owner(self, home: str) -> User | None:
        """Whose calendar home /calendars/<home>/ is: a user, else a resource."""
        return self.find_by_id(home) or self.find_resource(home)

    def find_by_id(self, user_id: str) -> User | None:
        """The owner of a calendar home."""
        if not ObjectId.is_valid(user_id):
            return None
        doc = self._db.users.find_one({"_id": ObjectId(user_id)}, PROJECTION)
        if doc is None:
            return None
        domains = doc.get("domains") or []
        return self._user(doc, domains[0].get("domain_id") if domains else None)

    def user_in_domain(self, user_id: str, domain_id: str) -> bool:
        if not (ObjectId.is_valid(user_id) and ObjectId.is_valid(domain_id)):
            return False
        query = {"_id": ObjectId(user_id), "domains.domain_id": ObjectId(domain_id)}
        return self._db.users.find_one(query, {"_id": 1}) is not None

    def resource_in_domain(self, resource_id: str, domain_id: str) -> bool:
        """A bookable resource (MongoDB `resources`) of that domain: its home is
        /calendars/<resource id>/ as in esn-sabre."""
        if not (ObjectId.is_valid(resource_id) and ObjectId.is_valid(domain_id)):
            return False
        query = {"_id": ObjectId(resource_id), "domain": ObjectId(domain_id)}
        return self._db.resources.find_one(query, {"_id": 1}) is not None

    def is_resource(self, resource_id: str) -> bool:
        """A bookable resource of any domain: its principal is principals/resources/<id>."""
        if not ObjectId.is_valid(resource_id):
            return False
        return self._db.resources.find_one({"_id": ObjectId(resource_id)}, {"_id": 1}) is not None

    def _resource_by_email(self, email: str) -> User | None:
        resource_id, domain_name = email.split("@", 1)
        resource = self.find_resource(resource_id)
        if resource is None or not resource.email or resource.email.split("@", 1)[1] != domain_name:
            return None
        return resource

    def _find_by_email(self, email: str):
        for field in ("accounts.emails", "preferredEmail", "emails"):
            doc = self._db.users.find_one({field: email}, PROJECTION)
            if doc is not None:
                return doc
        return None

    @staticmethod
    def _user(doc, domain_id) -> User:
        email = next((a["emails"][0] for a in doc.get("accounts") or []
                      if a.get("type") == "email" and a.get("emails")), None)
        email = email or doc.get("preferredEmail") or (doc.get("emails") or [""])[0]
        # esn-sabre's userToPrincipal: firstname + " " + lastname.
        name = " ".join(str(doc.get(k) or "") for k in ("firstname", "lastname")).strip()
        return User(str(doc["_id"]), email, str(domain_id) if domain_id is not None else "", name)
