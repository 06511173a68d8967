"""Publishing to the stack's RabbitMQ and taking dead letters back, as esn-sabre and an operator
would: the tests of the worker's consumers share these."""

from __future__ import annotations

import time

import pika


def publish(stack, exchange: str, body: bytes, **properties) -> None:
    """One message on `exchange` (routing key ""), confirmed by the broker."""
    connection = pika.BlockingConnection(pika.URLParameters(stack.rabbitmq.url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(exchange, "", body, pika.BasicProperties(**properties))
    finally:
        connection.close()


def take_dead_letter(stack, queue: str, body: bytes, timeout: float = 20.0):
    """The properties of the dead letter holding `body`, removed from `queue`; the other letters
    read on the way go back to the queue."""
    connection = pika.BlockingConnection(pika.URLParameters(stack.rabbitmq.url))
    try:
        channel = connection.channel()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            method, props, got = channel.basic_get(queue, auto_ack=False)
            if method is None:
                time.sleep(0.2)
            elif got == body:
                channel.basic_ack(method.delivery_tag)
                return props
        raise AssertionError(f"no dead letter arrived in {queue}")
    finally:
        connection.close()
