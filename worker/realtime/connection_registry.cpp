#include "worker/realtime/connection_registry.hpp"

namespace twake::realtime {

void ConnectionRegistry::count(const std::string& path, int delta) {
    std::size_t& counter = path.starts_with("/calendars/") ? calendars_ : address_books_;
    counter = static_cast<std::size_t>(static_cast<long long>(counter) + delta);
}

void ConnectionRegistry::add(Connection& connection) {
    states_.try_emplace(&connection);
    by_user_[connection.user()].insert(&connection);
}

void ConnectionRegistry::remove(Connection& connection) {
    auto it = states_.find(&connection);
    if (it == states_.end()) {
        return;
    }
    for (const auto& [path, token] : it->second.paths) {
        auto& set = by_path_[path];
        set.erase(&connection);
        if (set.empty()) {
            by_path_.erase(path);
        }
        count(path, -1);
    }
    if (it->second.display) {
        --displays_;
    }
    states_.erase(it);
    auto user = by_user_.find(connection.user());
    if (user != by_user_.end()) {
        user->second.erase(&connection);
        if (user->second.empty()) {
            by_user_.erase(user);
        }
    }
}

bool ConnectionRegistry::registered(Connection& connection, const CollectionPath& path) const {
    auto it = states_.find(&connection);
    return it != states_.end() && it->second.paths.contains(path.path());
}

std::size_t ConnectionRegistry::registration_count(Connection& connection) const {
    auto it = states_.find(&connection);
    return it == states_.end() ? 0 : it->second.paths.size();
}

void ConnectionRegistry::register_path(Connection& connection, const CollectionPath& path,
                                       const std::string& token) {
    auto it = states_.find(&connection);
    if (it == states_.end()) {
        return;
    }
    std::string text = path.path();
    if (it->second.paths.try_emplace(text, token).second) {
        by_path_[text].insert(&connection);
        count(text, 1);
    }
}

void ConnectionRegistry::unregister_path(Connection& connection, const CollectionPath& path) {
    auto it = states_.find(&connection);
    std::string text = path.path();
    if (it == states_.end() || it->second.paths.erase(text) == 0) {
        return;
    }
    auto& set = by_path_[text];
    set.erase(&connection);
    if (set.empty()) {
        by_path_.erase(text);
    }
    count(text, -1);
}

void ConnectionRegistry::set_display(Connection& connection, bool enabled) {
    auto it = states_.find(&connection);
    if (it == states_.end() || it->second.display == enabled) {
        return;
    }
    it->second.display = enabled;
    enabled ? ++displays_ : --displays_;
}

std::set<std::string> ConnectionRegistry::users_registered_to(const std::string& path) const {
    std::set<std::string> users;
    auto it = by_path_.find(path);
    if (it != by_path_.end()) {
        for (Connection* c : it->second) {
            users.insert(c->user());
        }
    }
    return users;
}

std::vector<Connection*> ConnectionRegistry::registered_to(const std::string& user,
                                                           const std::string& path) const {
    std::vector<Connection*> out;
    auto it = by_path_.find(path);
    if (it != by_path_.end()) {
        for (Connection* c : it->second) {
            if (c->user() == user) {
                out.push_back(c);
            }
        }
    }
    return out;
}

std::vector<Connection*> ConnectionRegistry::of_user(const std::string& user) const {
    auto it = by_user_.find(user);
    if (it == by_user_.end()) {
        return {};
    }
    return {it->second.begin(), it->second.end()};
}

std::vector<Connection*> ConnectionRegistry::with_display(const std::string& user) const {
    std::vector<Connection*> out;
    for (Connection* c : of_user(user)) {
        if (states_.at(c).display) {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<Connection*> ConnectionRegistry::all() const {
    std::vector<Connection*> out;
    out.reserve(states_.size());
    for (const auto& [c, state] : states_) {
        out.push_back(c);
    }
    return out;
}

bool ConnectionRegistry::token_is_new(Connection& connection, const std::string& path,
                                      const std::string& token) {
    auto it = states_.find(&connection);
    if (it == states_.end()) {
        return false;
    }
    auto found = it->second.paths.find(path);
    if (found == it->second.paths.end() || found->second == token) {
        return false;
    }
    found->second = token;
    return true;
}

}  // namespace twake::realtime
