#pragma once

// Calendar mail metrics (docs/operate.md §3.2). prometheus-cpp's families are thread-safe: the
// blocking pool's threads update them.

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <string_view>

namespace twake::mail {

class MailMetrics {
  public:
    explicit MailMetrics(prometheus::Registry& registry);

    // One send through SMTP, by template: `outcome` `sent`, `no_recipient` (the whitelist left
    // nobody) or `failed`.
    void sent(std::string_view template_name, std::string_view outcome,
              std::chrono::nanoseconds duration);
    // A notification not mailed, by reason: `whitelist`, `duplicate`, `mail_off`.
    void skipped(std::string_view reason);

  private:
    prometheus::Family<prometheus::Counter>& sends_;
    prometheus::Family<prometheus::Histogram>& duration_;
    prometheus::Family<prometheus::Counter>& skipped_;
};

}  // namespace twake::mail
