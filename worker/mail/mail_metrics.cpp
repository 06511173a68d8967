#include "worker/mail/mail_metrics.hpp"

#include <string>

namespace twake::mail {

MailMetrics::MailMetrics(prometheus::Registry& registry)
    : sends_(prometheus::BuildCounter()
                 .Name("twake_mail_sends_total")
                 .Help("Calendar mails handed to SMTP, by template and outcome")
                 .Register(registry)),
      duration_(prometheus::BuildHistogram()
                    .Name("twake_mail_send_duration_seconds")
                    .Help("Time to write and send one calendar mail, by template")
                    .Register(registry)),
      skipped_(prometheus::BuildCounter()
                   .Name("twake_mail_skipped_total")
                   .Help("Mail notifications not mailed, by reason")
                   .Register(registry)) {}

void MailMetrics::sent(std::string_view template_name, std::string_view outcome,
                       std::chrono::nanoseconds duration) {
    static const prometheus::Histogram::BucketBoundaries kBuckets{
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    std::string name(template_name);
    sends_.Add({{"template", name}, {"outcome", std::string(outcome)}}).Increment();
    duration_.Add({{"template", name}}, kBuckets)
        .Observe(std::chrono::duration<double>(duration).count());
}

void MailMetrics::skipped(std::string_view reason) {
    skipped_.Add({{"reason", std::string(reason)}}).Increment();
}

}  // namespace twake::mail
