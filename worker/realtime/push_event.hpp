#pragma once

// A push as it travels between worker nodes (docs/reference/realtime.md §4): what changed,
// addressed by a key (`calendar:{home}:{cal}`, `addressbook:{home}:{book}`, `username:{email}`),
// and the push bus's envelope around it. Tokens never travel: the node holding the socket
// fetches them as its user.

#include <optional>
#include <string>
#include <string_view>

#include "worker/realtime/collection_path.hpp"
#include "worker/realtime/server_messages.hpp"

namespace twake::realtime {

struct PushEvent {
    enum class Type { CalendarChange, AddressBookChange, CalendarList, Alarm, SessionRevoked };
    Type type = Type::CalendarChange;
    std::string key;
    std::string path;    // the collection (changes, calendar list)
    std::string change;  // calendar list: created, updated, deleted, delegated, subscribed
    DisplayAlarm alarm;  // alarm only
    std::string sid;     // session revoked only

    static PushEvent collection_changed(const CollectionPath& path);
    static PushEvent calendar_list(const std::string& owner, std::string_view change,
                                   const std::string& path);
    static PushEvent display_alarm(const std::string& user, DisplayAlarm alarm);
    // Not a push to a client: every node closes the sockets opened in that OIDC session.
    static PushEvent session_revoked(const std::string& sid);

    // The user a `username:` key names; nullopt for a collection key.
    std::optional<std::string> user() const;
};

struct Envelope {
    std::string node;
    PushEvent event;
};

// `{"v":1,"node":"<nodeId>","key":"<key>","event":{"type":…,…}}`
std::string encode_envelope(const Envelope& envelope);
// Nullopt for another version, an unknown event type or a missing member.
std::optional<Envelope> decode_envelope(std::string_view text);

}  // namespace twake::realtime
