#pragma once

// A blocking hiredis connection for the worker (health checks, revocation), with bounded
// connect and command waits. The edge module uses hiredis's asynchronous API instead.

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "worker/redis/redis_address.hpp"

namespace twake::redis {

class RedisError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct ReplyDelete {
    void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDelete>;

class RedisConnection {
  public:
    // Connects, authenticates and selects the database; throws RedisError.
    RedisConnection(const RedisAddress& address, std::chrono::milliseconds timeout);

    // Runs one command (arguments binary-safe); throws RedisError on I/O or an error reply.
    Reply command(const std::vector<std::string>& args);

    // LRANGE key start stop: the elements (a missing key is an empty list).
    std::vector<std::string> lrange(const std::string& key, long long start, long long stop);
    // DEL of one key (never several: keys of a cluster live in different slots); the count
    // deleted.
    long long del(const std::string& key);
    // PUBLISH; the number of subscribers that received the message.
    long long publish(const std::string& channel, const std::string& message);

  private:
    struct ContextDelete {
        void operator()(redisContext* c) const { redisFree(c); }
    };
    std::unique_ptr<redisContext, ContextDelete> ctx_;
};

}  // namespace twake::redis
