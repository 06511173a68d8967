#include "worker/realtime/push_coalescer.hpp"

namespace twake::realtime {

bool PushCoalescer::changed(const std::string& key) {
    auto [it, inserted] = rounds_.try_emplace(key, State::Waiting);
    if (inserted) {
        return true;
    }
    if (it->second == State::Fetching) {
        it->second = State::FetchingDirty;
    }
    return false;
}

void PushCoalescer::fetch_started(const std::string& key) {
    rounds_[key] = State::Fetching;
}

bool PushCoalescer::fetch_finished(const std::string& key) {
    auto it = rounds_.find(key);
    if (it == rounds_.end()) {
        return false;
    }
    if (it->second == State::FetchingDirty) {
        it->second = State::Waiting;
        return true;
    }
    rounds_.erase(it);
    return false;
}

}  // namespace twake::realtime
