#pragma once

// The answer of a route that started a task (docs/webadmin.md §6).

#include <string>

#include "worker/http/router.hpp"

namespace twake::webadmin {

// 201 with `Location: /tasks/{id}` and {"taskId": id}.
http::Response task_started(const std::string& task_id);

}  // namespace twake::webadmin
