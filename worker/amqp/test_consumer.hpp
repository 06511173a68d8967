#pragma once

// A consumer for the integration tests of the framework only, enabled by
// `test.consumer.enabled=true` in rabbitmq.properties (docs/configuration.md §2.2). Body: a
// JSON object; `{"failures": n}` fails its first n runs, `{"poison": "why"}` is poison,
// `{"copies": n}` is done after publishing n copies of `{}` to its exchange, any other object
// is done. A body that is not a JSON object is poison.

#include "worker/amqp/consumer.hpp"

namespace twake::amqp {

Consumer test_consumer();

}  // namespace twake::amqp
