#include "worker/webadmin/webadmin_log.hpp"
#include "shared/text/percent.hpp"

#include "shared/identity/address.hpp"
#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "shared/text/uuid.hpp"
#include "worker/http/uri.hpp"

namespace twake::webadmin {

namespace {

const log::Logger kLog("worker.webadmin");

constexpr std::string_view kRedacted = "***";

void redact_json(cJSON* node) {
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node)) {
        return;
    }
    cJSON* child = node->child;
    while (child != nullptr) {
        cJSON* next = child->next;
        if (cJSON_IsObject(node) && child->string != nullptr && is_secret_field(child->string)) {
            cJSON* replacement = cJSON_CreateString(std::string(kRedacted).c_str());
            if (replacement == nullptr) {
                cJSON_DetachItemViaPointer(node, child);  // never leave the secret in place
                cJSON_Delete(child);
            } else {
                // The member's name moves to the replacement (ReplaceItemViaPointer keeps none).
                replacement->string = child->string;
                child->string = nullptr;
                cJSON_ReplaceItemViaPointer(node, child, replacement);
            }
        } else {
            redact_json(child);
        }
        child = next;
    }
}

// `a=1&password=x&b` → `a=1&password=***&b`; names are compared decoded.
std::string redact_form(std::string_view form) {
    std::string out;
    size_t pos = 0;
    while (pos <= form.size()) {
        size_t amp = form.find('&', pos);
        if (amp == std::string_view::npos) {
            amp = form.size();
        }
        std::string_view pair = form.substr(pos, amp - pos);
        size_t eq = pair.find('=');
        std::string_view raw_name = pair.substr(0, eq);
        auto name = text::percent_decode(raw_name, true);
        if (pos > 0) {
            out.push_back('&');
        }
        // An undecodable name might hide a secret one: redact its value too.
        if (eq != std::string_view::npos && (!name || is_secret_field(*name))) {
            out.append(raw_name).append("=").append(kRedacted);
        } else {
            out.append(pair);
        }
        pos = amp + 1;
    }
    return out;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && identity::lower(text.substr(0, prefix.size())) == prefix;
}

std::string field_or_empty(const http::Request& request, std::string_view name) {
    auto it = request.find(name);
    return it == request.end() ? std::string() : std::string(it->value());
}

std::string endpoint_of(const http::Request& request) {
    std::string_view target(request.target().data(), request.target().size());
    return std::string(target.substr(0, target.find('?')));
}

log::Mdc request_mdc(const http::Request& request) {
    auto content_type = field_or_empty(request, "Content-Type");
    std::string_view target(request.target().data(), request.target().size());
    // Password mode has no login; James fills this from the admin JWT's subject.
    return log::Mdc{{"requestId", field_or_empty(request, kRequestIdField)},
                    {"ip", field_or_empty(request, kPeerField)},
                    {"real-ip", field_or_empty(request, "X-Real-IP")},
                    {"endpoint", capped(endpoint_of(request), 1024)},
                    {"method", std::string(request.method_string())},
                    {"login", ""},
                    {"queryParameters", loggable_query(target)},
                    {"request-body", loggable_body(request.body(), content_type, false)}};
}

}  // namespace

bool is_secret_field(std::string_view name) {
    std::string lowered = identity::lower(name);
    return lowered.find("password") != std::string::npos ||
           lowered.find("secret") != std::string::npos ||
           lowered.find("token") != std::string::npos;
}

std::string capped(std::string text, size_t limit) {
    if (text.size() <= limit) {
        return text;
    }
    size_t total = text.size();
    size_t cut = limit;
    // Do not split a UTF-8 sequence: back off over continuation bytes (10xxxxxx).
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    text.resize(cut);
    return text + "...(truncated, " + std::to_string(total) + " bytes)";
}

std::string loggable_body(std::string_view body, std::string_view content_type, bool text_allowed) {
    if (body.empty()) {
        return "";
    }
    if (starts_with_ci(content_type, "application/x-www-form-urlencoded")) {
        return capped(redact_form(body));
    }
    if (auto parsed = json::Json::parse(body)) {
        redact_json(parsed->get());
        return capped(parsed->dump());
    }
    if (text_allowed) {
        return capped(std::string(body));
    }
    return "(" + std::to_string(body.size()) + " bytes, not logged: neither JSON nor a form)";
}

std::string loggable_query(std::string_view target) {
    size_t question = target.find('?');
    if (question == std::string_view::npos) {
        return "";
    }
    return capped(redact_form(target.substr(question + 1)), 1024);
}

void stamp_and_log_request(http::Request& request, const std::string& peer) {
    request.set(kRequestIdField, text::random_uuid());
    request.set(kPeerField, peer);
    kLog.info("WebAdmin request received", request_mdc(request));
}

void log_response(const http::Request& request, const http::Response& response,
                  std::chrono::nanoseconds duration) {
    log::Mdc mdc = request_mdc(request);
    auto content_type = response.find(http::beast_http::field::content_type);
    mdc.emplace_back("status", std::to_string(response.result_int()));
    mdc.emplace_back("response-body", loggable_body(response.body(),
                                                    content_type == response.end()
                                                        ? std::string_view()
                                                        : std::string_view(content_type->value()),
                                                    true));
    mdc.emplace_back("durationMs", std::to_string(duration.count() / 1000000));
    kLog.info("WebAdmin response received", mdc);
}

}  // namespace twake::webadmin
