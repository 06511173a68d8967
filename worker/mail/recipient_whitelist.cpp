#include "worker/mail/recipient_whitelist.hpp"

#include "shared/identity/address.hpp"

namespace twake::mail {

namespace {

std::string key(std::string_view address) {
    std::string s(address);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.erase(s.begin());
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.pop_back();
    }
    return identity::lower(s);
}

}  // namespace

RecipientWhitelist::RecipientWhitelist(const std::vector<std::string>& addresses) {
    for (const auto& a : addresses) {
        if (auto k = key(a); !k.empty()) {
            allowed_.insert(std::move(k));
        }
    }
}

bool RecipientWhitelist::allows(std::string_view address) const {
    return allowed_.empty() || allowed_.contains(key(address));
}

std::vector<std::string> RecipientWhitelist::filter(
    const std::vector<std::string>& recipients) const {
    std::vector<std::string> kept;
    for (const auto& r : recipients) {
        if (allows(r)) {
            kept.push_back(r);
        }
    }
    return kept;
}

}  // namespace twake::mail
