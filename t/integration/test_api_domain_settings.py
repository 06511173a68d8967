"""GET /api/domain/settings (docs/reference/rest-api.md §7): the settings in effect for the caller's
domain, from the `domain_settings` document, the configuration, then the built-in defaults."""

from __future__ import annotations

import shutil

import requests

from harness.worker_process import SAMPLE_CONF, Worker

DEFAULTS = {"userSearchMode": "enabled", "resourceSearchEnabled": True,
            "defaultCalendarPublicVisibility": "private", "calendarPublicVisibilitySettingEnabled": True}


def test_defaults_for_a_domain_with_nothing_stored(api, people):
    u = people.user()
    r = api.get("/api/domain/settings", user=u["email"])
    assert r.status == 200
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    assert r.json() == DEFAULTS


def test_stored_values_win(api, people, db, stack):
    u = people.user()
    r = requests.put(f"{stack.worker.webadmin_url}/domains/{u['domain']}/settings", timeout=30, json={
        "userSearchMode": "limited", "resourceSearchEnabled": False,
        "defaultCalendarPublicVisibility": "read", "calendarPublicVisibilitySettingEnabled": None})
    assert r.status_code == 204
    assert api.get("/api/domain/settings", user=u["email"]).json() == {
        "userSearchMode": "limited", "resourceSearchEnabled": False,
        "defaultCalendarPublicVisibility": "read", "calendarPublicVisibilitySettingEnabled": True}
    # A document written by another tool, enum in capitals, is read as well.
    db.domain_settings.update_one({"domain": u["domain"]},
                                  {"$set": {"userSearchMode": "DISABLED", "calendarPublicVisibilitySettingEnabled": False}})
    assert api.get("/api/domain/settings", user=u["email"]).json() == {
        "userSearchMode": "disabled", "resourceSearchEnabled": False,
        "defaultCalendarPublicVisibility": "read", "calendarPublicVisibilitySettingEnabled": False}


def test_each_caller_reads_its_own_domain(api, people, stack):
    u = people.user()
    other = people.user()
    requests.patch(f"{stack.worker.webadmin_url}/domains/{other['domain']}/settings", timeout=30,
                   json={"userSearchMode": "disabled"}).raise_for_status()
    assert api.get("/api/domain/settings", user=u["email"]).json() == DEFAULTS
    assert api.get("/api/domain/settings", user=other["email"]).json()["userSearchMode"] == "disabled"


def test_needs_a_caller(api):
    r = api.get("/api/domain/settings")
    assert r.status == 401
    assert r.json()["error"]["type"] == "Unauthorized"


def test_configuration_is_the_fallback(stack, people, tmp_path):
    limited, disabled, plain = people.domain(), people.domain(), people.domain()
    conf = tmp_path / "conf"
    shutil.copytree(SAMPLE_CONF, conf)
    with (conf / "configuration.properties").open("a") as f:
        f.write(f"\nuser.search.limited.domains={limited},{disabled}\n"
                f"user.search.disabled.domains={disabled}\n"
                "resource.search.enabled=false\n"
                "default.calendar.public.visibility=READ\n"
                "calendar.public.visibility.setting.enabled=false\n")
    worker = Worker(tmp_path / "worker", stack.worker_environment(), conf_dir=conf)
    worker.start()
    try:
        client = worker.api()
        fallback = {"resourceSearchEnabled": False, "defaultCalendarPublicVisibility": "read",
                    "calendarPublicVisibilitySettingEnabled": False}
        for domain, mode in ((limited, "limited"), (disabled, "disabled"), (plain, "enabled")):
            u = people.user(domain)
            r = client.get("/api/domain/settings", user=u["email"])
            assert (r.status, r.json()) == (200, {"userSearchMode": mode, **fallback})
        r = requests.get(f"{worker.webadmin_url}/domains/{limited}/settings", timeout=30)
        assert r.json() == {"userSearchMode": None, "resourceSearchEnabled": None,
                            "defaultCalendarPublicVisibility": None, "calendarPublicVisibilitySettingEnabled": None,
                            "resolved": {"userSearchMode": "limited", **fallback}}
        # A stored value still wins over the configuration.
        requests.patch(f"{worker.webadmin_url}/domains/{disabled}/settings", timeout=30,
                       json={"userSearchMode": "enabled", "resourceSearchEnabled": True}).raise_for_status()
        u = people.user(disabled)
        assert client.get("/api/domain/settings", user=u["email"]).json() == {
            **fallback, "userSearchMode": "enabled", "resourceSearchEnabled": True}
    finally:
        worker.stop()
