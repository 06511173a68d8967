// Placeholder: this route group is being written (see routes.hpp).

#include "worker/webadmin/routes.hpp"

namespace twake::webadmin {

void add_credential_user_routes(http::Router&, WebadminContext&) {}

}  // namespace twake::webadmin
