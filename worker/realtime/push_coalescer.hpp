#pragma once

// Coalescing of sync-token fetches per (user, path) (docs/reference/realtime.md §3.3): the first
// change starts a wait of `websocket.push.debounce` then one fetch; changes during the wait
// are absorbed; changes during the fetch cause exactly one more round after it. Pure
// bookkeeping: the caller runs the timer and the fetch.

#include <string>
#include <unordered_map>

namespace twake::realtime {

class PushCoalescer {
  public:
    // A change of `key`: true when the caller must start a round (wait, then fetch); false
    // when a round already waits or runs (then it was counted).
    bool changed(const std::string& key);
    // The wait is over and the fetch of `key` starts.
    void fetch_started(const std::string& key);
    // The fetch of `key` ended: true when changes came meanwhile and the caller must run one
    // more round; false when the key is idle again.
    bool fetch_finished(const std::string& key);

    std::size_t pending() const { return rounds_.size(); }

  private:
    enum class State { Waiting, Fetching, FetchingDirty };
    std::unordered_map<std::string, State> rounds_;
};

}  // namespace twake::realtime
