#include "ngx_module/token_flights.hpp"

namespace twake::edge {

// Keys are copied: only misses come here.
bool TokenFlights::join(std::string_view digest, const Follower& follower) {
    auto [it, created] = flights_.try_emplace(std::string(digest));
    if (created) {
        return true;
    }
    it->second.push_back(follower);
    return false;
}

void TokenFlights::land(std::string_view digest, const TokenOutcome& outcome) {
    auto it = flights_.find(std::string(digest));
    if (it == flights_.end()) {
        return;
    }
    std::vector<Follower> followers = std::move(it->second);
    flights_.erase(it);
    for (const Follower& f : followers) {
        if (f.wakeup->alive()) {
            f.outcome->arrived = true;
            f.outcome->value = outcome;
            f.wakeup->post();
        }
    }
}

}  // namespace twake::edge
