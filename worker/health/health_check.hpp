#pragma once

// Health checks in James's shape (docs/operate.md §3.1): a component name and a status.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twake::health {

enum class Status { Healthy, Degraded, Unhealthy };

std::string_view status_name(Status status);

struct Result {
    std::string component;
    Status status = Status::Healthy;
    std::optional<std::string> cause;
};

// A check of one dependency. `check()` may block (it runs on the blocking pool) and must
// bound its own network waits; it reports failures as an Unhealthy result, not by throwing.
class HealthCheck {
  public:
    // `name` is the component name of docs/operate.md §3.1 (part of the contract with dashboards).
    explicit HealthCheck(std::string name) : name_(std::move(name)) {}
    virtual ~HealthCheck() = default;
    const std::string& name() const { return name_; }
    virtual Result check() = 0;

  protected:
    Result healthy() const { return {name_, Status::Healthy, std::nullopt}; }
    Result unhealthy(std::string cause) const {
        return {name_, Status::Unhealthy, std::move(cause)};
    }

  private:
    std::string name_;
};

// Worst status of all results (unhealthy > degraded > healthy); healthy when empty.
Status aggregate(const std::vector<Result>& results);

// HTTP status of a health answer: relaxed mode answers 200 unless unhealthy; strict mode
// answers 200 only when healthy. Unhealthy is 503 in both.
int http_status(Status status, bool strict);

}  // namespace twake::health
