#pragma once

// How a request waiting in the access phase for something other than a subrequest (a Redis
// reply, another request's identity-provider call) is continued: the answer is stored in the
// request's context, then `post()` queues the request to be run again on the next turn of
// nginx's event loop (never from inside another request's handler). The request owns its
// Wakeup through a shared_ptr; callbacks keep a copy and check `alive()`, because the request
// may be gone (worker shutting down) when the answer comes.

#include <memory>

#include "ngx_module/ngx.hpp"

namespace twake::edge {

class Wakeup {
  public:
    explicit Wakeup(ngx_http_request_t* r);
    ~Wakeup();
    Wakeup(const Wakeup&) = delete;
    Wakeup& operator=(const Wakeup&) = delete;

    bool alive() const { return r_ != nullptr; }
    // Called by the request's context as it is destroyed: nothing will be run any more.
    void forget();
    void post();

  private:
    ngx_http_request_t* r_;
    ngx_event_t event_{};

    static void run(ngx_event_t* ev);
};

}  // namespace twake::edge
