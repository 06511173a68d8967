#include "worker/redis/redis_connection.hpp"

#include <sys/time.h>

namespace twake::redis {

RedisConnection::RedisConnection(const RedisAddress& address, std::chrono::milliseconds timeout) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ctx_.reset(redisConnectWithTimeout(address.host.c_str(), address.port, tv));
    if (!ctx_) {
        throw RedisError("cannot allocate a Redis context");
    }
    if (ctx_->err) {
        throw RedisError("cannot connect to Redis at " + address.host + ":" +
                         std::to_string(address.port) + ": " + ctx_->errstr);
    }
    redisSetTimeout(ctx_.get(), tv);
    if (address.password) {
        if (address.user) {
            command({"AUTH", *address.user, *address.password});
        } else {
            command({"AUTH", *address.password});
        }
    }
    if (address.database != 0) {
        command({"SELECT", std::to_string(address.database)});
    }
}

Reply RedisConnection::command(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lengths.push_back(a.size());
    }
    Reply reply(static_cast<redisReply*>(
        redisCommandArgv(ctx_.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
    if (!reply) {
        throw RedisError(std::string("Redis I/O error: ") + ctx_->errstr);
    }
    if (reply->type == REDIS_REPLY_ERROR) {
        // The first word of a Redis error is its code (WRONGPASS, NOAUTH...); never echo args.
        throw RedisError("Redis answered " + std::string(reply->str, reply->len));
    }
    return reply;
}

namespace {

long long integer_reply(const Reply& reply, const char* command) {
    if (reply->type != REDIS_REPLY_INTEGER) {
        throw RedisError(std::string("unexpected reply type to ") + command);
    }
    return reply->integer;
}

}  // namespace

std::vector<std::string> RedisConnection::lrange(const std::string& key, long long start,
                                                 long long stop) {
    Reply reply = command({"LRANGE", key, std::to_string(start), std::to_string(stop)});
    if (reply->type != REDIS_REPLY_ARRAY) {
        throw RedisError("unexpected reply type to LRANGE");
    }
    std::vector<std::string> items;
    items.reserve(reply->elements);
    for (size_t i = 0; i < reply->elements; ++i) {
        const redisReply* item = reply->element[i];
        if (item->type == REDIS_REPLY_STRING) {
            items.emplace_back(item->str, item->len);
        }
    }
    return items;
}

long long RedisConnection::del(const std::string& key) {
    return integer_reply(command({"DEL", key}), "DEL");
}

long long RedisConnection::publish(const std::string& channel, const std::string& message) {
    return integer_reply(command({"PUBLISH", channel, message}), "PUBLISH");
}

}  // namespace twake::redis
