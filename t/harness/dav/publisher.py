"""AMQP publishing like esn-sabre's AMQPPublisher (exchange = topic, routing key ""), but
persistent, typed and confirmed (docs/reference/rabbitmq.md §2)."""

from __future__ import annotations

import json
import logging
import threading

import pika

log = logging.getLogger("dav.publisher")

# Every exchange the shim publishes to. esn-sabre never declares them; we do at start so that a
# publish never hits a missing exchange, with the flags the worker declares them with.
EXCHANGES = [
    "calendar:event:created", "calendar:event:updated", "calendar:event:deleted",
    "calendar:event:request", "calendar:event:reply", "calendar:event:cancel",
    "calendar:event:alarm:created", "calendar:event:alarm:updated", "calendar:event:alarm:deleted",
    "calendar:event:alarm:request", "calendar:event:alarm:cancel",
    "calendar:itip:localDelivery",
    "resource:calendar:event:created", "resource:calendar:event:accepted", "resource:calendar:event:declined",
    "calendar:calendar:created", "calendar:calendar:updated", "calendar:calendar:deleted",
]

PROPERTIES = pika.BasicProperties(delivery_mode=2, content_type="application/json")


class Publisher:
    """One connection shared by the request threads (pika's BlockingConnection is not
    thread-safe, hence the lock); reconnects once when the broker dropped it."""

    def __init__(self, amqp_url: str):
        self._parameters = pika.URLParameters(amqp_url)
        self._parameters.heartbeat = 0      # idle between tests: no heartbeat to miss
        self._lock = threading.Lock()
        self._connection = None
        self._channel = None
        with self._lock:
            self._connect()

    def publish(self, topic: str, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        with self._lock:
            try:
                self._channel.basic_publish(topic, "", data, PROPERTIES)
            except pika.exceptions.AMQPError as e:
                log.warning("publish to %s failed (%s), reconnecting", topic, e)
                self._connect()
                self._channel.basic_publish(topic, "", data, PROPERTIES)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None and self._connection.is_open:
                self._connection.close()

    def _connect(self) -> None:
        if self._connection is not None and self._connection.is_open:
            try:
                self._connection.close()
            except pika.exceptions.AMQPError:
                pass
        self._connection = pika.BlockingConnection(self._parameters)
        self._channel = self._connection.channel()
        self._channel.confirm_delivery()
        for name in EXCHANGES:
            self._channel.exchange_declare(name, exchange_type="fanout", durable=True)
