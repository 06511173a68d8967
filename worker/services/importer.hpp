#pragma once

// Runs an import (docs/reference/rest-api.md §17.2, §17.3) after POST /api/import answered: the
// uploaded file cut into calendar objects (events grouped by UID) or cards, each PUT into the
// target as the user, a few at a time on the blocking pool, then the report mail.

#include <memory>
#include <string>
#include <vector>

#include "worker/config/worker_config.hpp"
#include "worker/dav/dav_client.hpp"
#include "worker/imports/import_request.hpp"
#include "worker/metrics/metrics.hpp"
#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/services/calendar_mailer.hpp"

namespace prometheus {
class Counter;
}

namespace twake::services {

struct ImportJob {
    std::string id;    // the importId answered
    std::string user;  // the caller, whom every write impersonates
    imports::ImportTarget target;
    std::shared_ptr<const std::string> content;  // the uploaded file
};

// A written item or why not: the values the report shows of it.
struct ImportOutcome {
    bool readable = true;  // false: the file could not be cut at all (no mail)
    int succeeded = 0;
    std::vector<std::vector<std::pair<std::string, std::string>>> failed;
};

// At most this many writes of one import at once: the blocking pool keeps threads for the
// routes and the consumers.
inline constexpr std::size_t kImportConcurrency = 4;

class Importer {
  public:
    // `mailer` may be nullptr (no smtp.host: no report mail).
    Importer(const config::WorkerConfig& config, runtime::BlockingPool& blocking,
             dav::DavClient& dav, const CalendarMailer* mailer, metrics::Metrics& metrics);

    // Writes every item and sends the report; never throws (failures are logged). `job` is
    // kept alive by the caller until the end.
    runtime::Awaitable<ImportOutcome> run(const ImportJob& job) const;

  private:
    runtime::Awaitable<ImportOutcome> import_events(const ImportJob& job) const;
    runtime::Awaitable<ImportOutcome> import_cards(const ImportJob& job) const;
    runtime::Awaitable<void> report(const ImportJob& job, const ImportOutcome& outcome) const;

    const config::WorkerConfig& config_;
    runtime::BlockingPool& blocking_;
    dav::DavClient& dav_;
    const CalendarMailer* mailer_;
    prometheus::Counter* written_;
    prometheus::Counter* refused_;
    prometheus::Counter* unreadable_;
};

}  // namespace twake::services
