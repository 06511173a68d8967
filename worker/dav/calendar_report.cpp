#include "worker/dav/calendar_report.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstring>
#include <memory>
#include <mutex>

#include "shared/json/json.hpp"
#include "worker/dav/dav_client.hpp"

namespace twake::dav {

namespace {

constexpr const char* kDavNs = "DAV:";
constexpr const char* kCalDavNs = "urn:ietf:params:xml:ns:caldav";

struct DocFree {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct XmlCharFree {
    void operator()(xmlChar* s) const { xmlFree(s); }
};

bool is(const xmlNode* node, const char* ns, const char* name) {
    return node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
           std::strcmp(reinterpret_cast<const char*>(node->ns->href), ns) == 0 &&
           std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

std::string text_of(const xmlNode* node) {
    std::unique_ptr<xmlChar, XmlCharFree> text(xmlNodeGetContent(node));
    return text ? std::string(reinterpret_cast<const char*>(text.get())) : std::string();
}

// The first element named ns:name under `node`, at any depth (calendar-data sits in
// propstat/prop).
const xmlNode* find(const xmlNode* node, const char* ns, const char* name) {
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
        if (is(child, ns, name)) {
            return child;
        }
        if (const xmlNode* found = find(child, ns, name)) {
            return found;
        }
    }
    return nullptr;
}

}  // namespace

std::string calendar_query_body() {
    return R"(<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"/></C:filter>
</C:calendar-query>
)";
}

std::vector<std::string> parse_calendar_list(const std::string& list_json) {
    std::vector<std::string> out;
    if (list_json.find_first_not_of(" \t\r\n") == std::string::npos) {
        return out;
    }
    auto doc = json::Json::parse(list_json);
    if (!doc || !cJSON_IsObject(doc->get())) {
        throw DavError("esn-sabre sent a calendar list that is not a JSON object");
    }
    const cJSON* embedded = cJSON_GetObjectItemCaseSensitive(doc->get(), "_embedded");
    const cJSON* calendars = cJSON_GetObjectItemCaseSensitive(embedded, "dav:calendar");
    if (!cJSON_IsArray(calendars)) {
        return out;
    }
    for (const cJSON* c = calendars->child; c != nullptr; c = c->next) {
        const cJSON* links = cJSON_GetObjectItemCaseSensitive(c, "_links");
        auto href = json::string_member(cJSON_GetObjectItemCaseSensitive(links, "self"), "href");
        if (!href || href->empty()) {
            continue;
        }
        constexpr std::string_view kJson = ".json";
        if (href->ends_with(kJson)) {
            href->resize(href->size() - kJson.size());
        }
        out.push_back(*href);
    }
    return out;
}

std::vector<ReportedObject> parse_calendar_report(std::string_view multistatus_xml) {
    // libxml2 2.9 must be initialised once before threads use it.
    static std::once_flag initialised;
    std::call_once(initialised, [] { xmlInitParser(); });
    // No network access and no entity expansion: the answer is data, not a document to resolve.
    std::unique_ptr<xmlDoc, DocFree> doc(
        xmlReadMemory(multistatus_xml.data(), static_cast<int>(multistatus_xml.size()), nullptr,
                      nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
    if (root == nullptr || !is(root, kDavNs, "multistatus")) {
        throw DavError("esn-sabre sent a REPORT answer that is not a multistatus document");
    }
    std::vector<ReportedObject> out;
    for (const xmlNode* r = root->children; r != nullptr; r = r->next) {
        if (!is(r, kDavNs, "response")) {
            continue;
        }
        const xmlNode* href = find(r, kDavNs, "href");
        const xmlNode* data = find(r, kCalDavNs, "calendar-data");
        if (href == nullptr || data == nullptr) {
            continue;
        }
        std::string ical = text_of(data);
        if (ical.empty()) {
            continue;
        }
        out.push_back(ReportedObject{text_of(href), std::move(ical)});
    }
    return out;
}

}  // namespace twake::dav
