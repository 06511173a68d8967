#include "worker/search/events_index_setup.hpp"

#include "shared/json/json.hpp"
#include "shared/log/log.hpp"
#include "worker/search/events_index_mapping.hpp"

namespace twake::search {

namespace {

const log::Logger kLog("worker.opensearch");

std::runtime_error refused(const std::string& what, const net::HttpResponse& response) {
    return std::runtime_error(what + ": OpenSearch answered " + std::to_string(response.status) +
                              " " + response.body.substr(0, 500));
}

}  // namespace

bool EventsIndexSetup::exists(const std::string& target) const {
    net::HttpResponse response = client_.send_blocking({"HEAD", target, "", ""});
    if (response.status == 200) {
        return true;
    }
    if (response.status == 404) {
        return false;
    }
    throw refused("HEAD " + target, response);
}

void EventsIndexSetup::create_index() const {
    net::HttpResponse response =
        client_.send_blocking({"PUT", "/" + config_.index, events_index_body(config_)});
    if (response.status == 200) {
        kLog.info("OpenSearch index created", {{"index", config_.index}});
        return;
    }
    // Another worker made it in between: it is checked as any existing index.
    if (response.status == 400 &&
        response.body.find("resource_already_exists_exception") != std::string::npos) {
        check_mapping();
        return;
    }
    throw refused("creating the index " + config_.index, response);
}

void EventsIndexSetup::check_mapping() const {
    net::HttpResponse response =
        client_.send_blocking({"GET", "/" + config_.index + "/_mapping", "", ""});
    if (response.status != 200) {
        throw refused("reading the mapping of " + config_.index, response);
    }
    if (auto conflict = events_mapping_conflict(config_, response.body)) {
        throw EventsIndexConflict(
            "the OpenSearch index '" + config_.index +
            "' cannot hold calendar events: " + *conflict +
            ". It was not made by this worker and is left as it is: name another index in "
            "opensearch.index.calendar.events.name (and its aliases), or delete this one if "
            "nothing else uses it, then start again and run the reindex task");
    }
}

void EventsIndexSetup::add_alias(const std::string& alias) const {
    if (exists("/_alias/" + alias)) {
        return;  // kept as it is, whatever index it names
    }
    json::Json add = json::Json::object();
    add.set("index", config_.index);
    add.set("alias", alias);
    json::Json action = json::Json::object();
    action.set("add", std::move(add));
    json::Json actions = json::Json::array();
    actions.push(std::move(action));
    json::Json body = json::Json::object();
    body.set("actions", std::move(actions));
    net::HttpResponse response = client_.send_blocking({"POST", "/_aliases", body.dump()});
    if (response.status != 200) {
        throw refused("adding the alias " + alias, response);
    }
    kLog.info("OpenSearch alias created", {{"alias", alias}, {"index", config_.index}});
}

void EventsIndexSetup::run() {
    if (exists("/" + config_.index)) {
        check_mapping();
    } else {
        create_index();
    }
    add_alias(config_.read_alias);
    add_alias(config_.write_alias);
    done_ = true;
}

}  // namespace twake::search
