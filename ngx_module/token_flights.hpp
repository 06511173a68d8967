#pragma once

// Concurrent misses for one token within an nginx worker process make one lookup
// (docs/reference/edge-worker.md §4.1): the first request leads (Redis, then the identity provider,
// then provisioning); the others follow and get its outcome.

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ngx_module/core/token_outcome.hpp"
#include "ngx_module/wakeup.hpp"

namespace twake::edge {

// Where an outcome is delivered to a waiting request (shared with the callback, which may
// outlive the request).
struct AwaitedOutcome {
    bool arrived = false;
    TokenOutcome value;
};

class TokenFlights {
  public:
    // A follower's place: its wakeup and where the outcome goes.
    struct Follower {
        std::shared_ptr<Wakeup> wakeup;
        std::shared_ptr<AwaitedOutcome> outcome;
    };

    // True when the caller leads a new flight for `digest`; otherwise it now follows the
    // flight in progress and is woken when it lands.
    bool join(std::string_view digest, const Follower& follower);
    // The leader's outcome goes to every follower, each woken on the next turn of the loop.
    void land(std::string_view digest, const TokenOutcome& outcome);
    size_t in_flight() const { return flights_.size(); }

  private:
    std::unordered_map<std::string, std::vector<Follower>> flights_;
};

}  // namespace twake::edge
