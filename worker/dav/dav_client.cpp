#include "worker/dav/dav_client.hpp"

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "shared/text/percent.hpp"

namespace twake::dav {

namespace {

const log::Logger kLog("worker.dav");

net::HttpResponse ask_sabre(const net::HttpRequest& request) {
    try {
        return net::perform(request);
    } catch (const net::HttpError& e) {
        throw DavError(std::string("esn-sabre unreachable: ") + e.what());
    }
}

}  // namespace

std::vector<Sharee> parse_sharees(const std::string& calendar_json) {
    std::vector<Sharee> out;
    auto doc = json::Json::parse(calendar_json);
    if (!doc) {
        return out;
    }
    const cJSON* invites = cJSON_GetObjectItemCaseSensitive(doc->get(), "invite");
    if (!cJSON_IsArray(invites)) {
        return out;
    }
    for (const cJSON* i = invites->child; i != nullptr; i = i->next) {
        auto href = json::string_member(i, "href");
        auto access = json::integer_member(i, "access");
        constexpr std::string_view kMailto = "mailto:";
        // sabre's levels are small numbers; anything else is no sharing this worker knows.
        if (!href || !access || *access < 0 || *access > 1000 ||
            identity::lower(href->substr(0, kMailto.size())) != kMailto) {
            continue;
        }
        out.push_back(
            Sharee{identity::lower(href->substr(kMailto.size())), static_cast<int>(*access)});
    }
    return out;
}

net::HttpRequest DavClient::as_domain(const std::string& path, const std::string& domain_id) const {
    net::HttpRequest request;
    request.url = config_.url + path;
    request.headers = {
        {"TwakeCalendarToken", tokens_.issue(domain_id, std::chrono::system_clock::now())}};
    request.timeout = config_.timeout;
    return request;
}

namespace {

// Any status but the expected ones is a DavError.
[[noreturn]] void refused(const net::HttpRequest& request, const net::HttpResponse& response) {
    if (response.status == 401) {
        // A refused technical token means a secret shared wrongly, or esn-sabre's apiroot
        // not pointing at this service (docs/reference/auth.md §5.3).
        kLog.error("esn-sabre refused the technical token", {{"url", request.url}});
    }
    throw DavError("esn-sabre answered " + std::to_string(response.status));
}

}  // namespace

std::optional<std::vector<Sharee>> DavClient::calendar_sharees(const std::string& home,
                                                               const std::string& calendar,
                                                               const std::string& domain_id) {
    net::HttpRequest request =
        as_domain("/calendars/" + home + "/" + calendar + "?withRights=true", domain_id);
    request.headers.emplace_back("Accept", "application/json");
    net::HttpResponse response = ask_sabre(request);
    if (response.status == 404) {
        return std::nullopt;
    }
    if (response.status != 200) {
        refused(request, response);
    }
    return parse_sharees(response.body);
}

net::HttpRequest DavClient::as_user(const std::string& path, const std::string& user) const {
    net::HttpRequest request;
    request.url = config_.url + path;
    request.basic_auth = {config_.admin_user + "&" + user, config_.admin_password};
    request.timeout = config_.timeout;
    return request;
}

std::optional<CalendarObject> DavClient::calendar_object(const std::string& path,
                                                         const std::string& domain_id) {
    return read_object(as_domain(path, domain_id));
}

std::optional<CalendarObject> DavClient::calendar_object_as(const std::string& user,
                                                            const std::string& path) {
    return read_object(as_user(path, user));
}

std::optional<CalendarObject> DavClient::read_object(net::HttpRequest request) {
    request.headers.emplace_back("Accept", "text/calendar");
    net::HttpResponse response = ask_sabre(request);
    if (response.status == 404) {
        return std::nullopt;
    }
    if (response.status != 200) {
        refused(request, response);
    }
    auto etag = response.header("ETag");
    if (!etag) {
        throw DavError("esn-sabre sent a calendar object without ETag");
    }
    return CalendarObject{std::move(response.body), *etag};
}

bool DavClient::replace_calendar_object(const std::string& path, const std::string& ical,
                                        const std::string& if_match, const std::string& domain_id) {
    return write_object(as_domain(path, domain_id), ical, if_match);
}

bool DavClient::replace_calendar_object_as(const std::string& user, const std::string& path,
                                           const std::string& ical, const std::string& if_match) {
    return write_object(as_user(path, user), ical, if_match);
}

bool DavClient::write_object(net::HttpRequest request, const std::string& ical,
                             const std::string& if_match) {
    request.method = "PUT";
    request.headers.emplace_back("Content-Type", "text/calendar; charset=utf-8");
    request.headers.emplace_back("If-Match", if_match);
    request.body = ical;
    net::HttpResponse response = ask_sabre(request);
    if (response.status == 412) {
        return false;
    }
    if (response.status < 200 || response.status >= 300) {
        refused(request, response);
    }
    return true;
}

net::HttpResponse DavClient::calendar_metadata_as(const std::string& user, const std::string& home,
                                                  const std::string& calendar) {
    net::HttpRequest request;
    request.url = config_.url + "/calendars/" + home + "/" + calendar;
    request.headers = {{"Accept", "application/json"}};
    request.basic_auth = {config_.admin_user + "&" + user, config_.admin_password};
    request.timeout = config_.timeout;
    return ask_sabre(request);
}

net::HttpResponse DavClient::get_json_as(const std::string& user, const std::string& target) {
    net::HttpRequest request;
    request.url = config_.url + target;
    request.headers = {{"Accept", "application/json"}};
    request.basic_auth = {config_.admin_user + "&" + user, config_.admin_password};
    request.timeout = config_.timeout;
    return ask_sabre(request);
}

net::HttpResponse DavClient::deliver_itip(const std::string& recipient, const std::string& body) {
    net::HttpRequest request;
    request.method = "POST";
    request.url = config_.url + "/itip";
    request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    request.body = body;
    request.basic_auth = {config_.admin_user + "&" + recipient, config_.admin_password};
    request.timeout = config_.timeout;
    return ask_sabre(request);
}

long DavClient::import_calendar_object_as(const std::string& user, const std::string& home,
                                          const std::string& calendar, const std::string& uid,
                                          const std::string& ics) {
    // Encoded: the segments come from the client's target and the file.
    net::HttpRequest request =
        as_user("/calendars/" + text::percent_encode(home) + "/" + text::percent_encode(calendar) +
                    "/" + text::percent_encode(uid) + ".ics?import",
                user);
    request.method = "PUT";
    request.headers = {{"Content-Type", "text/plain"}};
    request.body = ics;
    return ask_sabre(request).status;
}

long DavClient::create_contact_as(const std::string& user, const std::string& home,
                                  const std::string& book, const std::string& uid,
                                  const std::string& vcard) {
    net::HttpRequest request =
        as_user("/addressbooks/" + text::percent_encode(home) + "/" + text::percent_encode(book) +
                    "/" + text::percent_encode(uid) + ".vcf",
                user);
    request.method = "PUT";
    request.headers = {{"Content-Type", "application/vcard"}, {"Accept", "text/plain"}};
    request.body = vcard;
    return ask_sabre(request).status;
}

namespace {

// The first item of a JSON REPORT answer (`_embedded["dav:item"][0]`), or nullptr.
const cJSON* first_item(const json::Json& report) {
    const cJSON* embedded = cJSON_GetObjectItemCaseSensitive(report.get(), "_embedded");
    const cJSON* items = cJSON_GetObjectItemCaseSensitive(embedded, "dav:item");
    return cJSON_IsArray(items) ? items->child : nullptr;
}

}  // namespace

std::optional<std::string> first_item_href(const std::string& report_json) {
    auto doc = json::Json::parse(report_json);
    const cJSON* item = doc ? first_item(*doc) : nullptr;
    const cJSON* links = cJSON_GetObjectItemCaseSensitive(item, "_links");
    return json::string_member(cJSON_GetObjectItemCaseSensitive(links, "self"), "href");
}

std::optional<json::Json> first_item_data(const std::string& report_json) {
    auto doc = json::Json::parse(report_json);
    const cJSON* item = doc ? first_item(*doc) : nullptr;
    const cJSON* data = cJSON_GetObjectItemCaseSensitive(item, "data");
    if (data == nullptr) {
        return std::nullopt;
    }
    return json::Json::copy_of(data);
}

std::optional<std::string> DavClient::report_by_uid(const std::string& user,
                                                    const std::string& home,
                                                    const std::string& uid) {
    net::HttpRequest request = as_user("/calendars/" + home + ".json", user);
    request.method = "REPORT";
    request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    json::Json body = json::Json::object();
    body.set("uid", uid);
    request.body = body.dump();
    net::HttpResponse response = ask_sabre(request);
    if (response.status == 404) {
        return std::nullopt;
    }
    if (response.status < 200 || response.status >= 300) {
        throw DavError("esn-sabre answered " + std::to_string(response.status) +
                       " to the REPORT by UID");
    }
    if (response.body.empty()) {
        return std::nullopt;
    }
    return std::move(response.body);
}

std::optional<std::string> DavClient::find_event_href(const std::string& user,
                                                      const std::string& home,
                                                      const std::string& uid) {
    auto report = report_by_uid(user, home, uid);
    return report ? first_item_href(*report) : std::nullopt;
}

std::vector<std::string> DavClient::user_calendars(const std::string& user,
                                                   const std::string& user_id,
                                                   std::string_view query) {
    net::HttpResponse response =
        get_json_as(user, "/calendars/" + user_id + ".json?" + std::string(query));
    if (response.status != 200) {
        throw DavError("esn-sabre answered " + std::to_string(response.status) +
                       " to the calendar list of " + user_id);
    }
    return parse_calendar_list(response.body);
}

std::vector<ReportedObject> DavClient::calendar_objects_as(const std::string& user,
                                                           const std::string& calendar) {
    net::HttpRequest request;
    request.url = config_.url + calendar;
    request.basic_auth = {config_.admin_user + "&" + user, config_.admin_password};
    request.timeout = config_.timeout;
    return report_objects(std::move(request), calendar);
}

std::vector<ReportedObject> DavClient::calendar_objects_of_domain(const std::string& calendar,
                                                                  const std::string& domain_id) {
    return report_objects(as_domain(calendar, domain_id), calendar);
}

std::vector<ReportedObject> DavClient::report_objects(net::HttpRequest request,
                                                      const std::string& calendar) {
    request.method = "REPORT";
    request.headers.emplace_back("Content-Type", "application/xml; charset=utf-8");
    request.headers.emplace_back("Depth", "1");
    request.body = calendar_query_body();
    net::HttpResponse response = ask_sabre(request);
    if (response.status != 207) {
        throw DavError("esn-sabre answered " + std::to_string(response.status) +
                       " to the REPORT of " + calendar);
    }
    return parse_calendar_report(response.body);
}

}  // namespace twake::dav
