"""The worker: configuration, webadmin health checks against the real stack, metrics,
systemd readiness and a clean stop."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.parse

import pytest

from harness.worker_process import BINARY, SAMPLE_CONF, Worker

CHECKS = ["MongoDB", "RabbitMQ backend", "OpenSearch Backend", "Redis", "LDAP User Server",
          "CalendarQueueConsumers", "RabbitMQDeadLetterQueueEmptiness", "WebSocket push bus"]


def get_json(worker, path):
    status, body = worker.get(path)
    return status, json.loads(body)


def test_all_checks_are_healthy(stack):
    status, body = get_json(stack.worker, "/healthcheck")
    assert status == 200
    assert body["status"] == "healthy"
    assert {c["componentName"]: c["status"] for c in body["checks"]} == {n: "healthy" for n in CHECKS}
    for c in body["checks"]:
        assert c["cause"] is None
        assert c["escapedComponentName"] == urllib.parse.quote(c["componentName"])


def test_checks_are_listed_and_addressable_by_name(stack):
    status, body = get_json(stack.worker, "/healthcheck/checks")
    assert status == 200
    assert [c["componentName"] for c in body] == CHECKS
    status, body = get_json(stack.worker, "/healthcheck/checks/RabbitMQ%20backend")
    assert (status, body) == (200, {"componentName": "RabbitMQ backend", "escapedComponentName": "RabbitMQ%20backend",
                                    "status": "healthy", "cause": None})
    status, body = get_json(stack.worker, "/healthcheck?check=MongoDB&check=Redis")
    assert [c["componentName"] for c in body["checks"]] == ["MongoDB", "Redis"]


def test_unknown_checks_and_routes_answer_the_james_error(stack):
    status, body = get_json(stack.worker, "/healthcheck/checks/Nope")
    assert (status, body) == (404, {"statusCode": 404, "type": "notFound",
                                    "message": "Component with name Nope cannot be found", "details": None})
    status, body = get_json(stack.worker, "/healthcheck?check=Nope&check=Other")
    assert (status, body["message"]) == (404, "Components with name Nope, Other cannot be found")
    status, body = get_json(stack.worker, "/no/such/route")
    assert (status, body["type"], body["message"]) == (404, "notFound", "GET /no/such/route can not be found")


def test_redis_outage_is_reported_and_recovered_without_restart(stack):
    stack.redis.stop()
    try:
        status, body = get_json(stack.worker, "/healthcheck")
        assert status == 503
        assert body["status"] == "unhealthy"
        redis = next(c for c in body["checks"] if c["componentName"] == "Redis")
        assert redis["status"] == "unhealthy"
        assert "Redis" in redis["cause"]
        assert all(c["status"] == "healthy" for c in body["checks"] if c["componentName"] != "Redis")
        status, body = get_json(stack.worker, "/healthcheck/checks/Redis")
        assert (status, body["status"]) == (503, "unhealthy")
    finally:
        stack.redis.launch()  # same port, same worker process
    status, body = get_json(stack.worker, "/healthcheck")
    assert (status, body["status"]) == (200, "healthy")
    assert stack.worker.running()


def test_metrics_are_prometheus_text_with_process_metrics(stack):
    stack.worker.get("/healthcheck/checks")
    import urllib.request
    with urllib.request.urlopen(stack.worker.webadmin_url + "/metrics", timeout=5) as r:
        assert r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        text = r.read().decode()
    assert "# TYPE webAdmin summary" in text
    assert 'webAdmin{quantile="0.99"}' in text
    rss = next(line for line in text.splitlines() if line.startswith("process_resident_memory_bytes"))
    assert float(rss.split()[1]) > 1_000_000
    status, body = stack.worker.get("/metrics?name[]=process_open_fds")
    names = {line.split()[0] for line in body.decode().splitlines() if not line.startswith("#")}
    assert names == {"process_open_fds"}


def test_logs_are_json_lines(stack):
    lines = [line for line in stack.worker.log_path.read_text().splitlines() if line.strip()]
    assert lines
    for line in lines:
        entry = json.loads(line)
        assert {"timestamp", "level", "thread", "logger", "message"} <= entry.keys()
    assert any(json.loads(line)["message"] == "Started" for line in lines)


def test_sigterm_notifies_systemd_and_exits_cleanly(stack, tmp_path):
    worker = Worker(tmp_path / "worker", stack.worker_environment())
    worker.start()
    assert any(n.startswith("READY=1") for n in worker.notifications)
    assert worker.get("/healthcheck/checks")[0] == 200
    worker.stop()
    assert worker.last_exit == 0
    assert "STOPPING=1" in worker.notifications
    messages = [json.loads(line)["message"] for line in worker.log_path.read_text().splitlines()]
    assert messages[-1] == "Stopped"


def run_with(conf_dir, env):
    return subprocess.run([str(BINARY), "--conf", str(conf_dir)], env=env, capture_output=True, text=True,
                          timeout=20)


@pytest.mark.parametrize("file,line,expected", [
    ("webadmin.properties", "port=eighty", "'port' = 'eighty': expected a port number"),
    ("healthcheck.properties", "healthcheck.period=soon", "healthcheck.period"),
    ("rabbitmq.properties", "uri=http://nope", "'rabbitmq.properties: uri' is not an AMQP URI"),
    ("configuration.properties", "mongo.url=${env:TCAL_UNSET_VARIABLE}", "TCAL_UNSET_VARIABLE"),
])
def test_a_bad_value_stops_start_up_naming_the_key(stack, tmp_path, file, line, expected):
    conf = tmp_path / "conf"
    shutil.copytree(SAMPLE_CONF, conf)
    # The first definition of a key wins: replace the sample's line rather than adding one.
    key = line.split("=", 1)[0]
    kept = [l for l in (conf / file).read_text().splitlines() if not l.startswith(key + "=")]
    (conf / file).write_text("\n".join(kept + [line]) + "\n")
    env = {**stack.worker_environment(), "TCAL_WEBADMIN_PORT": "0", "RUNTIME_DIRECTORY": str(tmp_path)}
    result = run_with(conf, env)
    assert result.returncode == 78, result.stdout + result.stderr
    error = json.loads(result.stdout.strip().splitlines()[-1])
    assert error["level"] == "ERROR" and error["message"] == "Invalid configuration"
    assert expected in error["mdc"]["error"]


def test_missing_configuration_folder_is_reported(tmp_path):
    result = run_with(tmp_path / "absent", {})
    assert result.returncode == 78
    assert "does not exist" in result.stdout


def test_systemd_unit_is_valid(tmp_path):
    unit = (SAMPLE_CONF.parent / "twake-calendar-worker.service").read_text()
    assert "Type=notify" in unit
    # systemd-analyze needs the binary to exist at the ExecStart path.
    (tmp_path / "twake-calendar-worker.service").write_text(
        unit.replace("/usr/bin/twake-calendar-worker", str(BINARY)))
    result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "twake-calendar-worker.service")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_an_upstream_configuration_folder_starts_the_worker_unchanged(stack, tmp_path):
    """A folder shaped like the Java side service's (its files and keys, none of ours): the
    worker must start with it as it is, warn about nothing it knows, and answer."""
    conf = tmp_path / "upstream-conf"
    conf.mkdir()
    webadmin_port = __import__("harness.service", fromlist=["free_port"]).free_port()
    (conf / "configuration.properties").write_text(f"""
mongo.url={stack.mongo.url}
mongo.database={stack.mongo_database}
domains=upstream.test
rest.api.port=80
spa.calendar.url=https://calendar.upstream.test
spa.excal.url=https://excal.upstream.test
jwt.key.private=file://{stack.jwt_private_key}
jwt.key.public=file://{stack.jwt_public_key}
jwt.key.validity=PT12H
oidc.userInfo.url=http://sso.upstream.test/userinfo
oidc.introspect.url=http://sso.upstream.test/introspect
oidc.introspect.credentials=Basic dGVzdDp0ZXN0
oidc.introspection.claim=email
oidc.claim=email
oidc.audience=tcalendar
oidc.token.cache.expiration=300s
admin.username=admin@upstream.test
admin.password=secret
calendar.sharing.enabled=true
contacts.sharing.enabled=true
domain.contacts.enabled=true
default.language=en
default.timezone=Europe/Paris
default.business.hours.start=8:0
default.business.hours.end=19:0
default.business.hours.daysOfWeek=1,2,3,4,5,6
default.use.24h.format=true
dav.url={stack.dav.url}
dav.admin.user=admin
dav.admin.password=secret123
dav.rest.client.trust.all.ssl.certs=false
dav.rest.client.response.timeout=10000
dav.queues.quorum.bypass=false
visio.url=https://jitsi.upstream.test
smtp.host=localhost
smtp.port=25
smtp.helo=localhost
smtp.ssl.enabled=false
smtp.starttls.enabled=false
mail.template.location=file://root/templates
mail.sender=no-reply@upstream.test
default.calendar.public.visibility=read
twp.settings.enabled=false
""")
    (conf / "rabbitmq.properties").write_text(f"""uri={stack.rabbitmq.url}
management.uri=http://127.0.0.1:15672
management.user=guest
management.password=guest
scheduled.consumer.reconnection.enabled=true
scheduled.consumer.reconnection.interval=60s
""")
    (conf / "redis.properties").write_text(f"redisURL={stack.redis.url}\n")
    (conf / "opensearch.properties").write_text(f"""opensearch.masterHost=127.0.0.1
opensearch.port={stack.opensearch.http_port}
opensearch.nb.shards=5
opensearch.nb.replica=1
opensearch.index.calendar.events.name=calendar-events
opensearch.index.calendar.events.summary.searchPrefix=true
""")
    (conf / "webadmin.properties").write_text(f"enabled=true\nport={webadmin_port}\nhost=127.0.0.1\n"
                                              "https.enabled=false\npassword.generate=false\n")
    (conf / "healthcheck.properties").write_text("# healthcheck.period=60s\n")
    (conf / "jvm.properties").write_text("# -Xmx1024m\n")
    (conf / "extensions.properties").write_text("")
    (conf / "logback.xml").write_text("<configuration/>\n")
    (conf / "usersrepository.xml").write_text(f"""<usersrepository name="LocalUsers"
    class="org.apache.james.user.ldap.ReadOnlyUsersLDAPRepository" ldapHost="{stack.ldap.url}"
    principal="{stack.ldap.admin_dn}" credentials="{stack.ldap.admin_password}"
    userBase="{stack.ldap.users_dn}" userObjectClass="inetOrgPerson" userIdAttribute="mail">
  <algorithm>SHA-512</algorithm>
  <enableVirtualHosting>true</enableVirtualHosting>
</usersrepository>
""")
    worker = Worker(tmp_path / "worker", {}, conf_dir=conf)
    worker.webadmin_url = f"http://127.0.0.1:{webadmin_port}"
    worker.start()
    try:
        status, body = worker.get("/healthcheck")
        assert status == 200, body
        entries = [json.loads(line) for line in worker.log_path.read_text().splitlines()]
        assert not [e for e in entries if "Unknown configuration key" in e["message"]]
        socket = "/run/twake-calendar/worker.sock"  # the default edge.listen
        assert any(e["message"] == "API listening" and e["mdc"]["address"] == "unix:" + socket for e in entries)
    finally:
        worker.stop()
    assert worker.last_exit == 0


def test_mongodb_command_metrics(stack, api, people):
    people.user()  # a find and an insert at least
    status, body = stack.worker.get("/metrics")
    text = body.decode()
    for name in ["mongodb_command_find_count", "mongodb_command_insert_count", "mongodb_command_other_count"]:
        line = next(l for l in text.splitlines() if l.startswith(name) and not l.startswith("#"))
        assert float(line.split()[-1]) >= 1, line
    assert 'mongodb_command_find_timer{quantile="0.99"}' in text
    assert 'twake_mongodb_command_duration_seconds_bucket{command="find",outcome="success"' in text
    assert 'twake_http_server_request_duration_seconds_count{listener="api",route="/internal/provision",status="200"}' in text


def test_the_systemd_watchdog_is_pinged(stack, tmp_path):
    # As systemd sets it for WatchdogSec=400ms (no WATCHDOG_PID: any process may ping).
    worker = Worker(tmp_path / "worker", {**stack.worker_environment(), "WATCHDOG_USEC": "400000"})
    worker.start()
    try:
        time.sleep(1.0)
        assert worker.poll_notifications().count("WATCHDOG=1") >= 3
    finally:
        worker.stop()
