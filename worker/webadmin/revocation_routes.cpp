// Placeholder: this route group is being written (see routes.hpp).

#include "worker/webadmin/routes.hpp"

namespace twake::webadmin {

void add_revocation_routes(http::Router&, WebadminContext&) {}

}  // namespace twake::webadmin
