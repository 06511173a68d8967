#include "ngx_module/redis/redis_token_store.hpp"

#include <chrono>
#include <utility>
#include <vector>

#include "ngx_module/core/redis_token_record.hpp"

namespace twake::edge {

void RedisTokenStore::find(const std::string& digest, Found done) {
    auto record = [m = metrics_,
                   started = std::chrono::steady_clock::now()](metrics::CallResult result) {
        if (m == nullptr) {
            return;
        }
        auto took = std::chrono::steady_clock::now() - started;
        m->redis_latency.observe(static_cast<uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(took).count()));
        metrics::EdgeMetrics::add(m->redis_lookups[size_t(result)]);
    };
    link_.command(
        {"HGETALL", redis_token_key(digest)}, timeout_,
        [link = &link_, done = std::move(done), record](redisReply* reply) {
            if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY) {
                record(metrics::CallResult::error);
                link->warn("token lookup failed",
                           reply != nullptr && reply->type == REDIS_REPLY_ERROR
                               ? reply->str
                               : "no answer in time");
                done(std::nullopt, true);
                return;
            }
            std::vector<std::pair<std::string, std::string>> fields;
            for (size_t i = 0; i + 1 < reply->elements; i += 2) {
                redisReply* name = reply->element[i];
                redisReply* value = reply->element[i + 1];
                if (name->type == REDIS_REPLY_STRING && value->type == REDIS_REPLY_STRING) {
                    fields.emplace_back(std::string(name->str, name->len),
                                        std::string(value->str, value->len));
                }
            }
            auto token = parse_redis_token(fields);
            record(token ? metrics::CallResult::ok : metrics::CallResult::refused);
            done(std::move(token), false);
        });
}

void RedisTokenStore::save(const std::string& digest, const CachedToken& token,
                           int64_t ttl_seconds) {
    if (ttl_seconds <= 0 || !link_.up()) {
        return;
    }
    auto ignore = [](redisReply*) {};
    link_.command({"MULTI"}, timeout_, ignore);
    for (const auto& write : redis_token_writes(digest, token, ttl_seconds)) {
        link_.command(write, timeout_, ignore);
    }
    link_.command({"EXEC"}, timeout_, [link = &link_](redisReply* reply) {
        if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY) {
            link->warn("token write failed", reply != nullptr && reply->type == REDIS_REPLY_ERROR
                                                 ? reply->str
                                                 : "no answer in time");
        }
    });
}

}  // namespace twake::edge
