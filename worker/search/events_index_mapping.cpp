#include "worker/search/events_index_mapping.hpp"

#include "shared/json/json.hpp"

namespace twake::search {

namespace {

using json::Json;

Json typed(const char* type) {
    Json field = Json::object();
    field.set("type", type);
    return field;
}

Json unindexed(const char* type) {
    Json field = typed(type);
    field.set("index", false);
    return field;
}

Json analyzed(const char* analyzer) {
    Json field = typed("text");
    field.set("analyzer", analyzer);
    return field;
}

Json custom_analyzer(const char* tokenizer, std::initializer_list<const char*> filters) {
    Json analyzer = Json::object();
    analyzer.set("type", "custom");
    analyzer.set("tokenizer", tokenizer);
    Json list = Json::array();
    for (const char* f : filters) {
        list.push(f);
    }
    analyzer.set("filter", std::move(list));
    return analyzer;
}

// {email, cn} of organizer, attendees and resources.
Json person_mapping() {
    Json email = analyzed("standard");
    Json raw = typed("keyword");
    raw.set("normalizer", "case_insensitive");
    Json fields = Json::object();
    fields.set("raw", std::move(raw));
    email.set("fields", std::move(fields));
    Json cn = analyzed("calendar_event_cn_name_analyzer");
    cn.set("search_analyzer", "calendar_event_cn_name_search_analyzer");
    Json properties = Json::object();
    properties.set("email", std::move(email));
    properties.set("cn", std::move(cn));
    Json person = Json::object();
    person.set("properties", std::move(properties));
    return person;
}

Json events_properties(const EventsIndexConfig& config) {
    Json p = Json::object();
    for (const char* keyword : {"baseCalendarId", "eventUid", "calendarURL", "bookingLinkId"}) {
        p.set(keyword, typed("keyword"));
    }
    Json summary = analyzed("calendar_event_keep_mail_and_url_analyzer");
    if (config.summary_search_prefix) {
        Json prefix = analyzed("calendar_event_summary_prefix_analyzer");
        prefix.set("search_analyzer", "calendar_event_summary_search_prefix_analyzer");
        Json fields = Json::object();
        fields.set("prefix", std::move(prefix));
        summary.set("fields", std::move(fields));
    }
    p.set("summary", std::move(summary));
    p.set("location", analyzed("calendar_event_location_analyzer"));
    p.set("description", analyzed("standard"));
    p.set("organizer", person_mapping());
    p.set("attendees", person_mapping());
    p.set("resources", person_mapping());
    p.set("start", typed("date"));
    p.set("end", unindexed("date"));
    p.set("dtstamp", unindexed("date"));
    p.set("userId", unindexed("keyword"));
    p.set("clazz", unindexed("keyword"));
    p.set("allDay", unindexed("boolean"));
    p.set("isRecurrentMaster", unindexed("boolean"));
    p.set("videoconferenceUrl", unindexed("keyword"));
    p.set("sequence", typed("integer"));
    p.set("resourceName", unindexed("keyword"));
    p.set("recurrenceId", unindexed("keyword"));
    p.set("collapseRank", unindexed("integer"));
    return p;
}

Json analysis(const EventsIndexConfig& config) {
    Json normalizer = Json::object();
    normalizer.set("type", "custom");
    Json lowercase_folding = Json::array();
    lowercase_folding.push("lowercase");
    lowercase_folding.push("asciifolding");
    normalizer.set("filter", std::move(lowercase_folding));
    Json normalizers = Json::object();
    normalizers.set("case_insensitive", std::move(normalizer));

    Json edge = Json::object();
    edge.set("type", "edge_ngram");
    edge.set("min_gram", config.min_ngram);
    edge.set("max_gram", config.min_ngram + config.max_ngram_diff);
    Json folding = Json::object();
    folding.set("type", "asciifolding");
    folding.set("preserve_original", true);
    Json filters = Json::object();
    filters.set("edge_ngram_filter", std::move(edge));
    filters.set("preserved_ascii_folding_filter", std::move(folding));

    Json analyzers = Json::object();
    analyzers.set("calendar_event_cn_name_analyzer",
                  custom_analyzer("standard", {"edge_ngram_filter", "lowercase",
                                               "preserved_ascii_folding_filter"}));
    analyzers.set("calendar_event_cn_name_search_analyzer",
                  custom_analyzer("standard", {"lowercase", "preserved_ascii_folding_filter"}));
    analyzers.set("calendar_event_summary_prefix_analyzer",
                  custom_analyzer("standard", {"edge_ngram_filter", "lowercase",
                                               "preserved_ascii_folding_filter"}));
    analyzers.set("calendar_event_summary_search_prefix_analyzer",
                  custom_analyzer("keyword", {"lowercase", "preserved_ascii_folding_filter"}));
    analyzers.set("calendar_event_keep_mail_and_url_analyzer",
                  custom_analyzer("uax_url_email", {"lowercase", "stop"}));
    analyzers.set("calendar_event_location_analyzer", custom_analyzer("standard", {"lowercase"}));

    Json out = Json::object();
    out.set("normalizer", std::move(normalizers));
    out.set("filter", std::move(filters));
    out.set("analyzer", std::move(analyzers));
    return out;
}

std::string type_of(const cJSON* field) {
    auto type = json::string_member(field, "type");
    if (type) {
        return *type;
    }
    return cJSON_GetObjectItemCaseSensitive(field, "properties") != nullptr ? "object" : "?";
}

// Compares `expected` (our properties) with `existing`, recursing into objects.
std::optional<std::string> conflict_in(const cJSON* expected, const cJSON* existing,
                                       const std::string& prefix) {
    const cJSON* field = nullptr;
    cJSON_ArrayForEach(field, expected) {
        const cJSON* theirs = cJSON_GetObjectItemCaseSensitive(existing, field->string);
        if (theirs == nullptr) {
            continue;
        }
        std::string name = prefix + field->string;
        std::string want = type_of(field);
        std::string have = type_of(theirs);
        if (want != have) {
            return "'" + name + "' is '" + have + "', expected '" + want + "'";
        }
        if (want == "object") {
            auto inner =
                conflict_in(cJSON_GetObjectItemCaseSensitive(field, "properties"),
                            cJSON_GetObjectItemCaseSensitive(theirs, "properties"), name + ".");
            if (inner) {
                return inner;
            }
        }
    }
    return std::nullopt;
}

}  // namespace

std::string events_index_body(const EventsIndexConfig& config) {
    Json index = Json::object();
    index.set("max_ngram_diff", config.max_ngram_diff);
    Json settings = Json::object();
    settings.set("number_of_shards", config.shards);
    settings.set("number_of_replicas", config.replicas);
    settings.set("index", std::move(index));
    settings.set("analysis", analysis(config));
    Json mappings = Json::object();
    mappings.set("properties", events_properties(config));
    Json body = Json::object();
    body.set("settings", std::move(settings));
    body.set("mappings", std::move(mappings));
    return body.dump();
}

std::optional<std::string> events_mapping_conflict(const EventsIndexConfig& config,
                                                   std::string_view mapping_response) {
    auto response = Json::parse(mapping_response);
    if (!response || !cJSON_IsObject(response->get())) {
        return "its mapping could not be read";
    }
    // {"<concrete index name>": {"mappings": {"properties": {…}}}}
    const cJSON* index = response->get()->child;
    const cJSON* mappings = cJSON_GetObjectItemCaseSensitive(index, "mappings");
    const cJSON* properties = cJSON_GetObjectItemCaseSensitive(mappings, "properties");
    Json expected = events_properties(config);
    return conflict_in(expected.get(), properties, "");
}

}  // namespace twake::search
