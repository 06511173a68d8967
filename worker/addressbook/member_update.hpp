#pragma once

// What the domain-members address book must change to mirror the directory
// (docs/webadmin.md §9): directory entries and cards keyed by e-mail address, the directory
// winning. Pure code.

#include <string>
#include <vector>

#include "worker/addressbook/vcard.hpp"
#include "worker/ldap/ldap_connection.hpp"

namespace twake::addressbook {

struct MemberUpdate {
    std::vector<Contact> added;    // the cards to create (UID: uid, else derived from the mail)
    std::vector<Contact> updated;  // the cards to rewrite, under their existing UID
    std::vector<Contact> deleted;  // the cards to remove
    // Entries whose mail is not an address (their raw mail, else their DN): never written,
    // counted as failed additions.
    std::vector<std::string> invalid;
};

// The card an entry gives: FN = displayName, else cn, else the mail; N = sn and givenName (else
// cn without the sn text); EMAIL = mail; TEL = telephoneNumber; values trimmed, empty ones
// absent. nullopt when the mail is not an address.
std::optional<Contact> contact_of(const ldap::LdapEntry& entry, const std::string& uid_or_empty);

// Entries only in the directory are added, cards only in the book deleted, and a card whose
// names, mail or phone differ from its entry's (or whose FN differs) updated. The first
// entry or card of an address wins; cards without a valid EMAIL are left alone.
MemberUpdate compute_member_update(const std::vector<ldap::LdapEntry>& members,
                                   const std::vector<Contact>& cards);

}  // namespace twake::addressbook
