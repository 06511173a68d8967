#include "worker/redis/session_revocation.hpp"

#include <set>

#include "shared/json/json.hpp"

namespace twake::redis {

std::string revocation_message(const std::string& sid, const std::vector<std::string>& keys) {
    json::Json list = json::Json::array();
    for (const auto& key : keys) {
        list.push(key);
    }
    json::Json message = json::Json::object();
    message.set("sid", sid);
    message.set("keys", std::move(list));
    return message.dump();
}

SessionRevocation revoke_session(RedisConnection& redis, const std::string& sid) {
    std::string list_key = std::string(kSessionKeyPrefix) + sid;
    SessionRevocation result;
    std::set<std::string> seen;  // a token cached again after expiry is listed twice
    for (auto& item : redis.lrange(list_key, 0, -1)) {
        // Only cache entries: a list written by someone else must not delete other keys.
        if (item.starts_with(kTokenKeyPrefix) && item.size() > kTokenKeyPrefix.size()) {
            if (seen.insert(item).second) {
                result.keys.push_back(std::move(item));
            }
        } else {
            result.ignored.push_back(std::move(item));
        }
    }
    for (const auto& key : result.keys) {
        redis.del(key);
    }
    redis.del(list_key);
    result.receivers =
        redis.publish(std::string(kRevocationChannel), revocation_message(sid, result.keys));
    return result;
}

}  // namespace twake::redis
