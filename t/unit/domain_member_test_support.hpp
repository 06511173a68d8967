#pragma once

// Cards for the domain-members address book tests.

#include <optional>
#include <string>

#include "worker/addressbook/vcard.hpp"

namespace twake::addressbook::testing {

// Every field given: designated initializers leaving some out trip -Wmissing-field-initializers.
inline Contact card(std::string uid, std::optional<std::string> family,
                    std::optional<std::string> given, std::optional<std::string> display,
                    std::optional<std::string> email, std::optional<std::string> phone) {
    return Contact{std::move(uid),     std::move(family), std::move(given),
                   std::move(display), std::move(email),  std::move(phone)};
}

}  // namespace twake::addressbook::testing
