#pragma once

// The vCards of the domain-members address book (docs/webadmin.md §9): written as vCard 4.0
// (RFC 6350) without PRODID, and read back from esn-sabre's `?export` stream for the fields the
// sync compares. Pure code.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twake::addressbook {

// One card; absent or empty properties are nullopt.
struct Contact {
    std::string uid;
    std::optional<std::string> family_name;   // N, first component
    std::optional<std::string> given_name;    // N, second component
    std::optional<std::string> display_name;  // FN
    std::optional<std::string> email;         // the first EMAIL
    std::optional<std::string> phone;         // the first TEL (text, or a tel: URI's number)

    bool operator==(const Contact&) const = default;
};

// BEGIN:VCARD, VERSION:4.0, UID, FN, N (when a name part is present), EMAIL,
// TEL;TYPE=work, END:VCARD: CRLF lines folded at 75 octets, text values escaped.
std::string write_vcard(const Contact& contact);

// Every VCARD of a stream of cards (an export), unfolded and unescaped; a card without UID
// has an empty `uid`. Lines that are not properties are skipped.
std::vector<Contact> parse_vcards(std::string_view text);

}  // namespace twake::addressbook
