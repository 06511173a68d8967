#pragma once

// The node's open sockets and what each registered (docs/reference/realtime.md §3.2): by user,
// by collection path, and whether display alarms are on. Lives on the event loop; nothing is
// persisted (a restarted worker's clients reconnect and register again).

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "worker/realtime/collection_path.hpp"
#include "worker/realtime/connection.hpp"

namespace twake::realtime {

class ConnectionRegistry {
  public:
    void add(Connection& connection);
    // Drops the connection and everything it registered.
    void remove(Connection& connection);
    bool contains(Connection& connection) const { return states_.contains(&connection); }
    std::size_t size() const { return states_.size(); }

    bool registered(Connection& connection, const CollectionPath& path) const;
    std::size_t registration_count(Connection& connection) const;
    // No effect on a connection that is gone (it closed while its registration was checked).
    void register_path(Connection& connection, const CollectionPath& path,
                       const std::string& token = {});
    void unregister_path(Connection& connection, const CollectionPath& path);
    void set_display(Connection& connection, bool enabled);

    // Users with a connection registered to `path` (one fetch per user, §3.3).
    std::set<std::string> users_registered_to(const std::string& path) const;
    // That user's connections registered to `path`.
    std::vector<Connection*> registered_to(const std::string& user, const std::string& path) const;
    std::vector<Connection*> of_user(const std::string& user) const;
    std::vector<Connection*> with_display(const std::string& user) const;
    std::vector<Connection*> all() const;

    // The last token sent to `connection` for `path` (a push repeating it is skipped).
    bool token_is_new(Connection& connection, const std::string& path, const std::string& token);

    // Gauges: registrations by kind.
    std::size_t calendars() const { return calendars_; }
    std::size_t address_books() const { return address_books_; }
    std::size_t displays() const { return displays_; }

  private:
    struct State {
        std::map<std::string, std::string> paths;  // path → last token pushed ("" none yet)
        bool display = false;
    };
    std::unordered_map<Connection*, State> states_;
    std::unordered_map<std::string, std::set<Connection*>> by_path_;
    std::unordered_map<std::string, std::set<Connection*>> by_user_;
    std::size_t calendars_ = 0;
    std::size_t address_books_ = 0;
    std::size_t displays_ = 0;

    void count(const std::string& path, int delta);
};

}  // namespace twake::realtime
