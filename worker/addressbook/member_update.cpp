#include "worker/addressbook/member_update.hpp"

#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "shared/identity/address.hpp"
#include "shared/jwt/technical_token.hpp"

namespace twake::addressbook {

namespace {

// Surrounding white space off; nullopt when nothing is left.
std::optional<std::string> trimmed(std::string_view v) {
    size_t b = v.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) {
        return std::nullopt;
    }
    return std::string(v.substr(b, v.find_last_not_of(" \t\r\n") - b + 1));
}

std::optional<std::string> attribute(const ldap::LdapEntry& entry, const char* name) {
    auto it = entry.attributes.find(name);
    if (it == entry.attributes.end()) {
        return std::nullopt;
    }
    return trimmed(it->second);
}

// A mail address as James's MailAddress accepts it: the rules of a credential username (no
// space, quote, bracket, comma, colon or semicolon in the local part), the domain
// lower-cased and the local part kept.
std::optional<std::string> mail_address(const std::optional<std::string>& text) {
    if (!text) {
        return std::nullopt;
    }
    auto address = identity::parse_credential_username(*text);
    if (!address) {
        return std::nullopt;
    }
    return address->full();
}

// Addresses are compared whole and case-insensitively.
std::string key_of(const std::string& mail) {
    return identity::lower(mail);
}

// givenName, else cn with every occurrence of sn removed, trimmed.
std::optional<std::string> given_name_of(const ldap::LdapEntry& entry,
                                         const std::optional<std::string>& sn) {
    if (auto given = attribute(entry, "givenName")) {
        return given;
    }
    auto cn = attribute(entry, "cn");
    if (!cn) {
        return std::nullopt;
    }
    std::string rest = *cn;
    if (sn) {
        for (size_t at = rest.find(*sn); at != std::string::npos; at = rest.find(*sn, at)) {
            rest.erase(at, sn->size());
        }
    }
    return trimmed(rest);
}

bool differs(const Contact& wanted, const Contact& card) {
    return wanted.given_name != card.given_name || wanted.family_name != card.family_name ||
           wanted.email != mail_address(card.email) || wanted.phone != card.phone ||
           (wanted.display_name && wanted.display_name != card.display_name);
}

}  // namespace

std::optional<Contact> contact_of(const ldap::LdapEntry& entry, const std::string& uid_or_empty) {
    auto mail = mail_address(attribute(entry, "mail"));
    if (!mail) {
        return std::nullopt;
    }
    Contact contact;
    contact.family_name = attribute(entry, "sn");
    contact.given_name = given_name_of(entry, contact.family_name);
    contact.display_name = attribute(entry, "displayName");
    if (!contact.display_name) {
        contact.display_name = attribute(entry, "cn");
    }
    if (!contact.display_name) {
        contact.display_name = mail;
    }
    contact.email = mail;
    contact.phone = attribute(entry, "telephoneNumber");
    contact.uid = uid_or_empty;
    if (contact.uid.empty()) {
        contact.uid = attribute(entry, "uid").value_or(jwt::name_based_uuid(*mail));
    }
    return contact;
}

MemberUpdate compute_member_update(const std::vector<ldap::LdapEntry>& members,
                                   const std::vector<Contact>& cards) {
    MemberUpdate update;
    std::unordered_map<std::string, const Contact*> card_by_mail;
    for (const Contact& card : cards) {
        if (auto mail = mail_address(card.email)) {
            card_by_mail.try_emplace(key_of(*mail), &card);
        }
    }
    std::unordered_set<std::string> seen;
    for (const ldap::LdapEntry& entry : members) {
        auto wanted = contact_of(entry, "");
        if (!wanted) {
            auto raw = entry.attributes.find("mail");
            update.invalid.push_back(raw != entry.attributes.end() ? raw->second : entry.dn);
            continue;
        }
        std::string key = key_of(*wanted->email);
        if (!seen.insert(key).second) {
            continue;  // a duplicate address: the first entry wins
        }
        auto found = card_by_mail.find(key);
        if (found == card_by_mail.end()) {
            update.added.push_back(std::move(*wanted));
            continue;
        }
        const Contact& card = *found->second;
        if (differs(*wanted, card)) {
            wanted->uid =
                card.uid.empty() ? jwt::name_based_uuid(*mail_address(card.email)) : card.uid;
            update.updated.push_back(std::move(*wanted));
        }
    }
    for (const Contact& card : cards) {
        auto mail = mail_address(card.email);
        if (!mail) {
            continue;
        }
        std::string key = key_of(*mail);
        auto first = card_by_mail.find(key);
        if (first->second != &card || seen.contains(key)) {
            continue;
        }
        Contact gone = card;
        if (gone.uid.empty()) {
            gone.uid = jwt::name_based_uuid(*mail);
        }
        update.deleted.push_back(std::move(gone));
    }
    return update;
}

}  // namespace twake::addressbook
