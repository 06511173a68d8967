#include "ngx_module/wakeup.hpp"

namespace twake::edge {

Wakeup::Wakeup(ngx_http_request_t* r) : r_(r) {
    event_.handler = run;
    event_.data = this;
    event_.log = r->connection->log;
}

Wakeup::~Wakeup() {
    forget();
}

void Wakeup::forget() {
    r_ = nullptr;
    if (event_.posted) {
        ngx_delete_posted_event(&event_);
    }
}

void Wakeup::post() {
    if (r_ != nullptr && !event_.posted) {
        ngx_post_event(&event_, &ngx_posted_events);
    }
}

// Runs the request's phases again from the access phase, where its handler finds the answer,
// then the subrequests it may have started (as nginx's upstream module does after an event).
void Wakeup::run(ngx_event_t* ev) {
    auto* self = static_cast<Wakeup*>(ev->data);
    ngx_http_request_t* r = self->r_;
    if (r == nullptr) {
        return;
    }
    ngx_connection_t* c = r->connection;
    ngx_http_set_log_request(c->log, r);
    r->write_event_handler(r);
    ngx_http_run_posted_requests(c);
}

}  // namespace twake::edge
