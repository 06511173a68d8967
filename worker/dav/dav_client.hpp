#pragma once

// Calls to esn-sabre (docs/reference/auth.md §5): as a user (Basic impersonation) or for a whole
// domain (the TwakeCalendarToken header with a technical token). Blocking: run on the blocking
// pool.

#include <optional>
#include <string>
#include <vector>

#include "shared/json/json.hpp"
#include "shared/jwt/technical_token.hpp"
#include "worker/dav/calendar_report.hpp"
#include "worker/config/worker_config.hpp"
#include "worker/net/http_client.hpp"

namespace twake::dav {

// A sharee of a calendar as esn-sabre lists it (`invite` of the JSON API).
struct Sharee {
    std::string email;  // without "mailto:", lower-cased
    int access = 0;     // 2 read, 3 read-write, 5 administration (sabre's levels)
};

// A calendar object as esn-sabre stores it, and the ETag of that version.
struct CalendarObject {
    std::string ical;
    std::string etag;
};

class DavError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class DavClient {
  public:
    DavClient(const config::DavConfig& config, const jwt::TechnicalTokenIssuer& tokens)
        : config_(config), tokens_(tokens) {}

    // The sharees of /calendars/<home>/<calendar> read with the domain's technical token;
    // nullopt when esn-sabre does not know the calendar; DavError when it cannot be asked.
    std::optional<std::vector<Sharee>> calendar_sharees(const std::string& home,
                                                        const std::string& calendar,
                                                        const std::string& domain_id);

    // GET /calendars/<home>/<calendar> as JSON, impersonating `user` (docs/reference/auth.md §5.1):
    // the status and body esn-sabre answered; DavError when it cannot be asked.
    net::HttpResponse calendar_metadata_as(const std::string& user, const std::string& home,
                                           const std::string& calendar);

    // GET of `target` (a path and query under dav.url) with Accept: application/json,
    // impersonating `user`: the status and body esn-sabre answered; DavError when it cannot be
    // asked (the real-time side's sync tokens, docs/reference/realtime.md §3).
    net::HttpResponse get_json_as(const std::string& user, const std::string& target);

    // POST /itip impersonating `recipient` (docs/reference/rabbitmq.md §3.3): the status and
    // body esn-sabre answered; DavError when it cannot be asked.
    net::HttpResponse deliver_itip(const std::string& recipient, const std::string& body);

    // An import's writes (docs/reference/rest-api.md §17.2), impersonating `user`: the
    // status esn-sabre answered; DavError when it cannot be asked.
    // PUT /calendars/<home>/<calendar>/<uid>.ics?import (no scheduling), text/plain as
    // upstream sends it.
    long import_calendar_object_as(const std::string& user, const std::string& home,
                                   const std::string& calendar, const std::string& uid,
                                   const std::string& ics);
    // PUT /addressbooks/<home>/<book>/<uid>.vcf, application/vcard.
    long create_contact_as(const std::string& user, const std::string& home,
                           const std::string& book, const std::string& uid,
                           const std::string& vcard);

    // GET of `path` (/calendars/<home>/<calendar>/<object>.ics) with the domain's technical
    // token; nullopt when there is no such object; DavError when esn-sabre cannot be asked or
    // refuses.
    std::optional<CalendarObject> calendar_object(const std::string& path,
                                                  const std::string& domain_id);

    // PUT of `ical` at `path` with the domain's technical token, only over the version
    // `if_match` names (If-Match): false when the object changed meanwhile (412); DavError
    // when esn-sabre cannot be asked or refuses.
    bool replace_calendar_object(const std::string& path, const std::string& ical,
                                 const std::string& if_match, const std::string& domain_id);

    // The same two as `user` (Basic impersonation, docs/reference/auth.md §5.1).
    std::optional<CalendarObject> calendar_object_as(const std::string& user,
                                                     const std::string& path);
    bool replace_calendar_object_as(const std::string& user, const std::string& path,
                                    const std::string& ical, const std::string& if_match);

    // esn-sabre's JSON REPORT of the event `uid` among the calendars of `home`, impersonating
    // `user` (docs/reference/rabbitmq.md §3.4): the answer's body; nullopt when none has it
    // (404 or an empty answer). DavError when esn-sabre cannot be asked or answers an error.
    std::optional<std::string> report_by_uid(const std::string& user, const std::string& home,
                                             const std::string& uid);

    // The href of that event (first_item_href of the REPORT); nullopt when none has it.
    std::optional<std::string> find_event_href(const std::string& user, const std::string& home,
                                               const std::string& uid);

    // The calendars of `user_id`'s default calendar list (docs/reference/alarms.md §5) as
    // /calendars/<home>/<calendar>, impersonating `user`; DavError when esn-sabre cannot be
    // asked or refuses.
    // `query` chooses which (kPersonalCalendarsQuery: only the user's own).
    std::vector<std::string> user_calendars(const std::string& user, const std::string& user_id,
                                            std::string_view query = kDefaultCalendarListQuery);

    // Every object of `calendar` (/calendars/<home>/<calendar>) by a calendar-query REPORT,
    // impersonating `user`; DavError when esn-sabre cannot be asked or refuses.
    std::vector<ReportedObject> calendar_objects_as(const std::string& user,
                                                    const std::string& calendar);

    // The same with the domain's technical token (a resource's calendar).
    std::vector<ReportedObject> calendar_objects_of_domain(const std::string& calendar,
                                                           const std::string& domain_id);

    // The domain's `domain-members` address book (docs/webadmin.md §9), with its technical
    // token; esn-sabre's book is created (and the call retried once) when it does not exist.
    // DavError when esn-sabre cannot be asked or refuses.
    // Every card, as one vCard stream (`?export`).
    std::string export_domain_members(const std::string& domain_id);
    // PUT of the card at <uid>.vcf (created or replaced).
    void put_domain_member(const std::string& domain_id, const std::string& uid,
                           const std::string& vcard);
    // DELETE of <uid>.vcf; a card already gone is no error.
    void delete_domain_member(const std::string& domain_id, const std::string& uid);

    std::chrono::milliseconds timeout() const { return config_.timeout; }

  private:
    // A request to esn-sabre's `path` carrying the domain's technical token.
    net::HttpRequest as_domain(const std::string& path, const std::string& domain_id) const;
    // A request to esn-sabre's `path` impersonating `user`.
    net::HttpRequest as_user(const std::string& path, const std::string& user) const;
    // The GET and the conditional PUT of a calendar object, sent as `request` says.
    std::optional<CalendarObject> read_object(net::HttpRequest request);
    bool write_object(net::HttpRequest request, const std::string& ical,
                      const std::string& if_match);
    // POST /addressbooks/<domain>.json making the domain-members book; one that exists is fine.
    void create_domain_members_book(const std::string& domain_id);
    // The calendar-query REPORT of every object, sent as `request` says (its URL and credentials).
    std::vector<ReportedObject> report_objects(net::HttpRequest request,
                                               const std::string& calendar);

    const config::DavConfig& config_;
    const jwt::TechnicalTokenIssuer& tokens_;
};

// The first item's `_links.self.href` of a JSON REPORT answer (pure, for unit tests).
std::optional<std::string> first_item_href(const std::string& report_json);

// The first item's `data` (the event as jCal) of a JSON REPORT answer; nullopt without one
// (pure, for unit tests).
std::optional<json::Json> first_item_data(const std::string& report_json);

// Parses the `invite` array of esn-sabre's calendar JSON (pure, for unit tests).
std::vector<Sharee> parse_sharees(const std::string& calendar_json);

}  // namespace twake::dav
