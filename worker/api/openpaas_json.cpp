#include "worker/api/openpaas_json.hpp"

namespace twake::api {

json::Json user_json(const store::User& user, const std::string& domain_id,
                     const std::string& timezone) {
    json::Json membership = json::Json::object();
    membership.set("domain_id", domain_id);
    membership.set("joined_at", kFakedTimestamp);
    json::Json domains = json::Json::array();
    domains.push(std::move(membership));
    json::Json emails = json::Json::array();
    emails.push(user.email);

    json::Json o = json::Json::object();
    o.set("_id", user.id);
    o.set("preferredEmail", user.email);
    o.set("objectType", "user");
    o.set("main_phone", "");
    o.set("followings", 0);
    o.set("following", false);
    o.set("followers", 0);
    o.set("domains", std::move(domains));
    o.set("state", json::Json::array());
    o.set("emails", std::move(emails));
    o.set("firstname", user.firstname);
    o.set("lastname", user.lastname);
    o.set("timezone", timezone);
    return o;
}

json::Json domain_json(const store::Domain& domain) {
    json::Json timestamps = json::Json::object();
    timestamps.set("creation", kFakedTimestamp);
    json::Json hostnames = json::Json::array();
    hostnames.push(domain.name);
    json::Json administrators = json::Json::array();
    for (const auto& admin : domain.administrators) {
        json::Json t = json::Json::object();
        t.set("creation", kFakedTimestamp);
        json::Json a = json::Json::object();
        a.set("user_id", admin.user_id);
        a.set("timestamps", std::move(t));
        administrators.push(std::move(a));
    }
    json::Json o = json::Json::object();
    o.set("timestamps", std::move(timestamps));
    o.set("hostnames", std::move(hostnames));
    o.set("schemaVersion", 1);
    o.set("_id", domain.id);
    o.set("name", domain.name);
    o.set("company_name", domain.name);
    o.set("administrators", std::move(administrators));
    o.set("injections", json::Json::array());
    o.set("__v", 0);
    return o;
}

}  // namespace twake::api
