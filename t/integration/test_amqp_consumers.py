"""The RabbitMQ foundation: the topology the worker declares (docs/reference/rabbitmq.md §5),
the consumer framework's ack, retry and dead-letter policy (§6), its health checks and metrics
(docs/operate.md §3.1, §3.2), and a broker restart survived. Driven through the test-only
consumer (`test.consumer.enabled`, docs/configuration.md §2.2)."""

from __future__ import annotations

import json
import re
import subprocess
import time

import pika
import pytest

from harness.worker_conf import start_worker

EXCHANGE = "twake:test:consumer"
QUEUE = "tcalendar:test:consumer"
DLQ = QUEUE + ":dead-letter"

CALENDAR_QUEUES = {
    "tcalendar:event:created:search": "tcalendar:event:created:search-dead-letter",
    "tcalendar:event:updated:search": "tcalendar:event:updated:search-dead-letter",
    "tcalendar:event:deleted:search": "tcalendar:event:deleted:search-dead-letter",
    "tcalendar:event:alarm:created": "tcalendar:event:alarm:created:dead-letter",
    "tcalendar:event:alarm:updated": "tcalendar:event:alarm:updated:dead-letter",
    "tcalendar:event:alarm:request": "tcalendar:event:alarm:request:dead-letter",
    "tcalendar:event:alarm:deleted": "tcalendar:event:alarm:deleted:dead-letter",
    "tcalendar:event:alarm:cancel": "tcalendar:event:alarm:cancel:dead-letter",
    "tcalendar:itip:localDelivery": "tcalendar:itip:localDelivery:dead-letter",
    "tcalendar:event:notificationEmail:send": "tcalendar:event:notificationEmail:send:dead-letter",
    "resource:tcalendar:event:created": "resource:tcalendar:event:created:dead-letter",
    "resource:tcalendar:event:accepted": "resource:tcalendar:event:accepted:dead-letter",
    "resource:tcalendar:event:declined": "resource:tcalendar:event:declined:dead-letter",
}


@pytest.fixture(scope="module")
def worker(stack, tmp_path_factory):
    w = start_worker(stack, tmp_path_factory.mktemp("amqp"), {"rabbitmq.properties": {
        "test.consumer.enabled": "true", "consumer.retry.max": "2", "consumer.retry.delay": "200ms"}})
    wait_for(lambda: queue_counts(stack, QUEUE)[1] == 1, "the test consumer")
    yield w
    w.stop()


def channel(stack):
    parameters = pika.URLParameters(stack.rabbitmq.url)
    parameters.heartbeat = 0
    connection = pika.BlockingConnection(parameters)
    return connection, connection.channel()


def queue_counts(stack, queue):
    """(messages, consumers), or (None, None) when the queue or the broker is missing."""
    try:
        connection, ch = channel(stack)
    except pika.exceptions.AMQPError:
        return None, None
    try:
        ok = ch.queue_declare(queue, passive=True).method
        return ok.message_count, ok.consumer_count
    except pika.exceptions.ChannelClosedByBroker:
        return None, None
    finally:
        connection.close()


def wait_for(predicate, what, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def publish(stack, body: bytes, **properties):
    connection, ch = channel(stack)
    try:
        ch.confirm_delivery()
        ch.basic_publish(EXCHANGE, "", body, pika.BasicProperties(**properties))
    finally:
        connection.close()


def take_dead_letter(stack, timeout=20.0):
    """The next message of the test dead-letter queue, removed from it: (properties, body)."""
    connection, ch = channel(stack)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            method, props, body = ch.basic_get(DLQ, auto_ack=True)
            if method is not None:
                return props, body
            time.sleep(0.1)
        raise AssertionError("no dead letter arrived")
    finally:
        connection.close()


def metric(worker, family, suffix="", **labels):
    """The sum of the family's samples (`suffix`: `_count` of a histogram) with those labels."""
    status, body = worker.get(f"/metrics?name[]={family}")
    assert status == 200
    total = 0.0
    for line in body.decode().splitlines():
        m = re.match(rf"{family}{suffix}\{{(.*)\}} (\S+)$", line)
        if m and all(f'{k}="{v}"' in m.group(1) for k, v in labels.items()):
            total += float(m.group(2))
    return total


def publish_and_await_ack(stack, worker, body: bytes):
    acked = metric(worker, "twake_amqp_messages_acked_total", queue=QUEUE)
    publish(stack, body)
    wait_for(lambda: metric(worker, "twake_amqp_messages_acked_total", queue=QUEUE) == acked + 1, "the ack")


def check(worker, name):
    status, body = worker.get("/healthcheck/checks/" + name)
    return status, json.loads(body)


def rabbitmqctl(stack, *args) -> list[list[str]]:
    env = stack.rabbitmq.environment()
    out = subprocess.run(["/usr/lib/rabbitmq/bin/rabbitmqctl", "-n", env["RABBITMQ_NODENAME"], "-q",
                          "--no-table-headers", *args],
                         env={**env, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                         check=True, timeout=60).stdout
    return [line.split("\t") for line in out.splitlines() if line.strip()]


def test_topology_is_declared_with_upstream_arguments(stack, worker):
    queues = {row[0]: row[1:] for row in rabbitmqctl(stack, "list_queues", "name", "durable", "arguments")}
    for work, dead in {**CALENDAR_QUEUES, QUEUE: DLQ}.items():
        durable, arguments = queues[work]
        assert durable == "true"
        assert '"x-queue-version",2' in arguments.replace(" ", "")
        assert f'"x-dead-letter-exchange","{dead}"' in arguments.replace(" ", "")
        durable, arguments = queues[dead]
        assert durable == "true"
        assert '"x-queue-version",2' in arguments.replace(" ", "")
        assert "x-dead-letter-exchange" not in arguments
    exchanges = {row[0]: row[1:] for row in rabbitmqctl(stack, "list_exchanges", "name", "type", "durable")}
    for name in ["calendar:event:created", "calendar:itip:localDelivery", "calendar:event:notificationEmail:send",
                 "resource:calendar:event:declined", "sabre:contact:update", "calendar:subscription:deleted",
                 "sabre:addressbook:subscription:updated", *CALENDAR_QUEUES.values()]:
        assert exchanges[name] == ["fanout", "true"], name
    bindings = {(row[0], row[1]) for row in rabbitmqctl(stack, "list_bindings", "source_name", "destination_name")}
    assert ("calendar:itip:localDelivery", "tcalendar:itip:localDelivery") in bindings
    assert ("calendar:event:created", "tcalendar:event:created:search") in bindings
    assert ("tcalendar:itip:localDelivery:dead-letter", "tcalendar:itip:localDelivery:dead-letter") in bindings


def test_a_declaration_with_other_arguments_would_be_refused(stack, worker):
    """The arguments are really there: the broker refuses a declaration that differs."""
    connection, ch = channel(stack)
    try:
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
            ch.queue_declare("tcalendar:itip:localDelivery", durable=True,
                             arguments={"x-queue-version": 1})
        assert e.value.reply_code == 406
    finally:
        if connection.is_open:
            connection.close()


def test_a_handled_message_is_acknowledged(stack, worker):
    received = metric(worker, "twake_amqp_messages_received_total", queue=QUEUE)
    publish_and_await_ack(stack, worker, b'{"hello": "world"}')
    assert metric(worker, "twake_amqp_messages_received_total", queue=QUEUE) == received + 1
    assert queue_counts(stack, QUEUE)[0] == 0
    assert metric(worker, "twake_amqp_message_handling_duration_seconds", "_count", queue=QUEUE,
                  outcome="done") > 0


def test_a_poison_message_is_dead_lettered_at_once_and_the_consumer_goes_on(stack, worker):
    retried = metric(worker, "twake_amqp_messages_retried_total", queue=QUEUE)
    publish(stack, b"{not json", content_type="application/json")
    props, body = take_dead_letter(stack)
    assert body == b"{not json"
    assert props.headers["x-twake-dead-letter-reason"] == "not a JSON object"
    assert props.headers["x-twake-dead-letter-queue"] == QUEUE
    assert props.headers["x-twake-attempts"] == 1
    assert props.delivery_mode == 2
    assert metric(worker, "twake_amqp_messages_retried_total", queue=QUEUE) == retried
    assert metric(worker, "twake_amqp_messages_dead_lettered_total", queue=QUEUE, cause="poison") >= 1
    publish_and_await_ack(stack, worker, b"{}")


def test_publications_of_a_handler_are_committed_before_its_ack(stack, worker):
    acked = metric(worker, "twake_amqp_messages_acked_total", queue=QUEUE)
    publish(stack, b'{"copies": 3}')
    wait_for(lambda: metric(worker, "twake_amqp_messages_acked_total", queue=QUEUE) == acked + 4,
             "the message and its three copies")


def test_a_failure_is_retried_then_succeeds(stack, worker):
    retried = metric(worker, "twake_amqp_messages_retried_total", queue=QUEUE)
    publish_and_await_ack(stack, worker, b'{"failures": 1}')
    assert metric(worker, "twake_amqp_messages_retried_total", queue=QUEUE) == retried + 1
    assert queue_counts(stack, DLQ)[0] == 0


def test_a_failure_that_persists_is_dead_lettered_after_the_retries(stack, worker):
    retried = metric(worker, "twake_amqp_messages_retried_total", queue=QUEUE)
    exhausted = metric(worker, "twake_amqp_messages_dead_lettered_total", queue=QUEUE, cause="retries_exhausted")
    started = time.monotonic()
    publish(stack, b'{"failures": 99}')
    props, body = take_dead_letter(stack)
    # consumer.retry.max=2, consumer.retry.delay=200ms: waits of 200 then 400 ms.
    assert time.monotonic() - started >= 0.6
    assert body == b'{"failures": 99}'
    assert props.headers["x-twake-dead-letter-reason"] == "failed 3 times; last error: test failure 3"
    assert props.headers["x-twake-attempts"] == 3
    assert props.content_type == "application/json"
    assert metric(worker, "twake_amqp_messages_retried_total", queue=QUEUE) == retried + 2
    assert metric(worker, "twake_amqp_messages_dead_lettered_total", queue=QUEUE,
                  cause="retries_exhausted") == exhausted + 1


def test_health_checks_see_dead_letters_and_consumers(stack, worker):
    status, body = check(worker, "CalendarQueueConsumers")
    assert (status, body["status"], body["cause"]) == (200, "healthy", None)
    status, body = check(worker, "RabbitMQDeadLetterQueueEmptiness")
    assert (status, body["status"]) == (200, "healthy")
    publish(stack, b'{"poison": "refused by the test"}')
    wait_for(lambda: queue_counts(stack, DLQ)[0] == 1, "the dead letter")
    status, body = check(worker, "RabbitMQDeadLetterQueueEmptiness")
    assert (status, body["status"]) == (200, "degraded")
    assert f"{DLQ} (1)" in body["cause"]
    # Each check also records what the queues hold: the lag an operator alerts on.
    assert metric(worker, "twake_amqp_queue_messages", queue=DLQ) == 1
    check(worker, "CalendarQueueConsumers")
    assert metric(worker, "twake_amqp_queue_messages", queue=QUEUE) == 0
    assert metric(worker, "twake_amqp_queue_consumers", queue=QUEUE) == 1
    props, _ = take_dead_letter(stack)
    assert props.headers["x-twake-dead-letter-reason"] == "refused by the test"
    status, body = check(worker, "RabbitMQDeadLetterQueueEmptiness")
    assert (status, body["status"]) == (200, "healthy")


def test_a_consumer_cancelled_by_the_broker_is_restarted(stack, worker):
    """Deleting the queue cancels the consumer: the worker reconnects and declares it again."""
    connection, ch = channel(stack)
    try:
        ch.queue_delete(QUEUE)
    finally:
        connection.close()
    wait_for(lambda: queue_counts(stack, QUEUE)[1] == 1, "the consumer back", timeout=15)
    status, body = check(worker, "CalendarQueueConsumers")
    assert (status, body["status"]) == (200, "healthy")


def test_a_queue_that_exists_with_other_arguments_is_used_as_it_is(stack, worker):
    """An operator's (or upstream's) queue with other arguments: the broker refuses our
    declaration (406); the worker logs it, keeps the queue and consumes from it."""
    connection, ch = channel(stack)
    try:
        ch.queue_delete(QUEUE)  # cancels the consumer: the worker reconnects after 2 s
        ch.queue_declare(QUEUE, durable=True, arguments={"x-max-length": 1000})
    finally:
        connection.close()
    try:
        wait_for(lambda: queue_counts(stack, QUEUE)[1] == 1, "the consumer back", timeout=15)
        publish_and_await_ack(stack, worker, b'{"kept": true}')
        arguments = {row[0]: row[1] for row in rabbitmqctl(stack, "list_queues", "name", "arguments")}[QUEUE]
        assert "x-max-length" in arguments and "x-dead-letter-exchange" not in arguments
    finally:
        connection, ch = channel(stack)
        try:
            ch.queue_delete(QUEUE)  # the worker declares it again, with its own arguments
        finally:
            connection.close()
    wait_for(lambda: queue_counts(stack, QUEUE)[1] == 1, "the consumer on the queue declared again", timeout=15)


@pytest.mark.fault
def test_a_broker_restart_is_survived(stack, worker):
    stack.rabbitmq.stop()
    try:
        status, body = check(worker, "CalendarQueueConsumers")
        assert (status, body["status"]) == (503, "unhealthy")
    finally:
        stack.rabbitmq.start()
    back = time.monotonic()
    wait_for(lambda: queue_counts(stack, QUEUE)[1] == 1, "the consumer after the restart", timeout=15)
    assert time.monotonic() - back <= 10
    publish_and_await_ack(stack, worker, b'{"after": "restart"}')
    status, body = check(worker, "CalendarQueueConsumers")
    assert (status, body["status"]) == (200, "healthy")
