#include "worker/webadmin/task_started.hpp"

#include "shared/json/json.hpp"

namespace twake::webadmin {

http::Response task_started(const std::string& task_id) {
    json::Json body = json::Json::object();
    body.set("taskId", task_id);
    http::Response response =
        http::make_response(http::beast_http::status::created, http::kJson, body.dump());
    response.set(http::beast_http::field::location, "/tasks/" + task_id);
    return response;
}

}  // namespace twake::webadmin
