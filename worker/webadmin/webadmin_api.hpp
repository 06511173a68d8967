#pragma once

// The webadmin listener: its own port, never routed by nginx (docs/webadmin.md §1).

#include <boost/asio/io_context.hpp>

#include "worker/config/worker_config.hpp"
#include "worker/health/health_registry.hpp"
#include "worker/http/router.hpp"
#include "worker/http/server.hpp"
#include "worker/metrics/metrics.hpp"
#include "worker/webadmin/webadmin_context.hpp"

namespace twake::webadmin {

class WebadminApi {
  public:
    WebadminApi(boost::asio::io_context& io, WebadminContext& ctx);

    // Resolves `host` and listens; throws on an unusable address.
    void listen(const config::WebadminConfig& config);
    unsigned short port() const { return server_.port(); }
    void stop() { server_.stop(); }

  private:
    http::Router router_;
    http::Server server_;
};

}  // namespace twake::webadmin
