#include "worker/metrics/metrics.hpp"

#include <prometheus/text_serializer.h>

#include <algorithm>

namespace twake::metrics {

namespace {

// Upstream's Dropwizard timers export these quantiles over a sliding window.
prometheus::Summary::Quantiles upstream_quantiles() {
    return {{0.5, 0.05}, {0.75, 0.02}, {0.95, 0.01}, {0.98, 0.005}, {0.99, 0.001}, {0.999, 0.0001}};
}

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      process_(std::make_shared<ProcessMetrics>()) {
    auto& family = prometheus::BuildSummary()
                       .Name("webAdmin")
                       .Help("Duration of webadmin requests in seconds")
                       .Register(*registry_);
    webadmin_ = &family.Add({}, upstream_quantiles(), std::chrono::minutes(1), 5);
    http_requests_ = &prometheus::BuildHistogram()
                          .Name("twake_http_server_request_duration_seconds")
                          .Help("Duration of HTTP requests by listener, route pattern and status")
                          .Register(*registry_);
    tasks_ = &prometheus::BuildCounter()
                  .Name("twake_webadmin_tasks_total")
                  .Help("Webadmin tasks that ended, by task type and final status")
                  .Register(*registry_);
}

void Metrics::observe_http(const std::string& listener, const http::RouteMatch& route,
                           unsigned status, std::chrono::nanoseconds duration) {
    double seconds = std::chrono::duration<double>(duration).count();
    static const prometheus::Histogram::BucketBoundaries kBuckets{
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    http_requests_
        ->Add(
            {{"listener", listener}, {"route", route.pattern}, {"status", std::to_string(status)}},
            kBuckets)
        .Observe(seconds);
    if (!route.metric.empty()) {
        auto it = route_summaries_.find(route.metric);
        if (it == route_summaries_.end()) {
            auto& family = prometheus::BuildSummary()
                               .Name(route.metric)
                               .Help("Duration of " + route.metric + " requests in seconds")
                               .Register(*registry_);
            it = route_summaries_
                     .emplace(route.metric,
                              &family.Add({}, upstream_quantiles(), std::chrono::minutes(1), 5))
                     .first;
        }
        it->second->Observe(seconds);
    }
}

void Metrics::count_task(const std::string& type, std::string_view status) {
    tasks_->Add({{"type", type}, {"status", std::string(status)}}).Increment();
}

void Metrics::observe_webadmin(std::chrono::nanoseconds duration) {
    webadmin_->Observe(std::chrono::duration<double>(duration).count());
}

std::string Metrics::scrape(const std::vector<std::string>& names) const {
    std::vector<prometheus::MetricFamily> families = registry_->Collect();
    std::vector<prometheus::MetricFamily> process = process_->Collect();
    families.insert(families.end(), process.begin(), process.end());
    if (!names.empty()) {
        std::erase_if(families, [&](const prometheus::MetricFamily& f) {
            return std::find(names.begin(), names.end(), f.name) == names.end();
        });
    }
    return prometheus::TextSerializer().Serialize(families);
}

}  // namespace twake::metrics
