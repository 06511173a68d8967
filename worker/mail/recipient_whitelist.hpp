#pragma once

// mail.imip.recipient.whitelist: when it lists addresses, mail goes only to them
// (docs/mail.md §3). Addresses compare case-insensitively.

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace twake::mail {

class RecipientWhitelist {
  public:
    RecipientWhitelist() = default;  // everyone
    explicit RecipientWhitelist(const std::vector<std::string>& addresses);

    bool allows(std::string_view address) const;
    // The recipients it allows, in their order.
    std::vector<std::string> filter(const std::vector<std::string>& recipients) const;
    bool empty() const { return allowed_.empty(); }

  private:
    std::unordered_set<std::string> allowed_;  // lower-case
};

}  // namespace twake::mail
