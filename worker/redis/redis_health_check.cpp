#include "worker/redis/redis_health_check.hpp"

#include "worker/redis/redis_connection.hpp"

namespace twake::redis {

health::Result RedisHealthCheck::check() {
    try {
        RedisConnection connection(address_, std::chrono::seconds(3));
        Reply reply = connection.command({"PING"});
        if (reply->type != REDIS_REPLY_STATUS || std::string(reply->str, reply->len) != "PONG") {
            return unhealthy("Unexpected answer to PING");
        }
        return healthy();
    } catch (const RedisError& e) {
        return unhealthy(e.what());
    }
}

}  // namespace twake::redis
