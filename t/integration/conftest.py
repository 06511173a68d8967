"""Session fixtures: one real stack per test session (t/harness/stack.py), and helpers the
tests share to create their own domains and users (tests isolate themselves by name)."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.stack import Stack  # noqa: E402


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    s = Stack(tmp_path_factory.mktemp("stack"))
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def db(stack):
    return stack.mongo.client()[stack.mongo_database]


@pytest.fixture(scope="session")
def api(stack):
    """The worker's API listener, spoken to as the edge does."""
    return stack.worker.api()


class People:
    """Creates unique domains and users through the worker itself (its provisioning call),
    so documents are exactly what the worker writes."""

    def __init__(self, api, db):
        self.api, self.db = api, db

    def domain(self) -> str:
        from datetime import datetime, timezone

        from bson import ObjectId

        name = f"d{uuid.uuid4().hex[:10]}.test"
        self.db.domains.insert_one({"_id": ObjectId(), "timestamps": {"creation": datetime.now(timezone.utc)},
                                    "hostnames": [], "name": name, "company_name": name, "administrators": []})
        return name

    def user(self, domain: str | None = None, local: str | None = None, given="Ada", family="Lovelace") -> dict:
        domain = domain or self.domain()
        email = f"{local or 'u' + uuid.uuid4().hex[:8]}@{domain}"
        r = self.api.post("/internal/provision", headers={
            "X-Twake-User": email, "X-Twake-Given-Name": given, "X-Twake-Family-Name": family})
        assert r.status == 200, r.body
        return {"email": email, "id": r.json()["id"], "domain": domain}

    def domain_id(self, name: str) -> str:
        return str(self.db.domains.find_one({"name": name})["_id"])


@pytest.fixture(scope="session")
def people(api, db):
    return People(api, db)
