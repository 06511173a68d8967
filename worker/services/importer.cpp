#include "worker/services/importer.hpp"

#include <prometheus/counter.h>

#include "shared/log/log.hpp"
#include "shared/text/uuid.hpp"
#include "worker/errors/invalid_input.hpp"
#include "worker/imports/ics_split.hpp"
#include "worker/imports/vcard_split.hpp"
#include "worker/runtime/bounded_parallel.hpp"

namespace twake::services {

namespace {

const log::Logger kLog("worker.import");

using Item = std::vector<std::pair<std::string, std::string>>;

// One write's result: nullopt when it landed, else what the report shows of the item.
using WriteResult = std::optional<Item>;

bool written(long status) {
    return status == 201 || status == 204;
}

// Counts the writes' results; a write that threw (esn-sabre unreachable, too slow) is
// reported as `thrown(i)` describes item i.
ImportOutcome tally(const std::string& import_id,
                    std::vector<runtime::CallOutcome<WriteResult>> results,
                    const std::function<Item(std::size_t)>& thrown) {
    ImportOutcome outcome;
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (results[i].value && !*results[i].value) {
            ++outcome.succeeded;
        } else if (results[i].value) {
            outcome.failed.push_back(std::move(**results[i].value));
        } else {
            Item item = thrown(i);
            kLog.warn("Import item failed", {{"importId", import_id},
                                             {"item", item.front().second},
                                             {"error", results[i].error}});
            outcome.failed.push_back(std::move(item));
        }
    }
    return outcome;
}

// The file cut by `split` on the blocking pool; nullopt (logged) when it cannot be read at all.
template <class Split>
runtime::Awaitable<std::optional<std::invoke_result_t<Split>>> cut(runtime::BlockingPool& pool,
                                                                   const ImportJob& job,
                                                                   const Split& split) {
    try {
        co_return co_await pool.run(split, std::chrono::minutes(2));
    } catch (const errors::InvalidInput& e) {
        kLog.warn("Import file unreadable",
                  {{"importId", job.id}, {"user", job.user}, {"error", e.what()}});
    }
    co_return std::nullopt;
}

}  // namespace

Importer::Importer(const config::WorkerConfig& config, runtime::BlockingPool& blocking,
                   dav::DavClient& dav, const CalendarMailer* mailer, metrics::Metrics& metrics)
    : config_(config), blocking_(blocking), dav_(dav), mailer_(mailer) {
    auto& items = prometheus::BuildCounter()
                      .Name("tcal_import_items_total")
                      .Help("Items of imports written into a calendar or address book, or not")
                      .Register(metrics.registry());
    written_ = &items.Add({{"outcome", "written"}});
    refused_ = &items.Add({{"outcome", "failed"}});
    unreadable_ = &prometheus::BuildCounter()
                       .Name("tcal_import_unreadable_files_total")
                       .Help("Imports refused because their file could not be read")
                       .Register(metrics.registry())
                       .Add({});
}

runtime::Awaitable<ImportOutcome> Importer::run(const ImportJob& job) const {
    const auto started = std::chrono::steady_clock::now();
    ImportOutcome outcome;
    try {
        // Not a conditional expression: GCC 12 evaluates both of its co_awaits.
        if (job.target.address_book) {
            outcome = co_await import_cards(job);
        } else {
            outcome = co_await import_events(job);
        }
    } catch (const std::exception& e) {
        kLog.error("Import failed",
                   {{"importId", job.id}, {"user", job.user}, {"error", e.what()}});
        co_return outcome;
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    if (!outcome.readable) {
        unreadable_->Increment();
        co_return outcome;
    }
    written_->Increment(outcome.succeeded);
    refused_->Increment(static_cast<double>(outcome.failed.size()));
    kLog.info("Import done", {{"importId", job.id},
                              {"user", job.user},
                              {"succeeded", std::to_string(outcome.succeeded)},
                              {"failed", std::to_string(outcome.failed.size())},
                              {"durationMs", std::to_string(ms.count())}});
    co_await report(job, outcome);
    co_return outcome;
}

runtime::Awaitable<ImportOutcome> Importer::import_events(const ImportJob& job) const {
    std::shared_ptr<const std::string> content = job.content;
    auto split = [content] {
        return std::make_shared<const imports::IcsLayout>(imports::split_ics(*content));
    };
    auto cut_file = co_await cut(blocking_, job, split);
    if (!cut_file) {
        co_return ImportOutcome{.readable = false, .succeeded = 0, .failed = {}};
    }
    std::shared_ptr<const imports::IcsLayout> layout = *cut_file;
    std::vector<std::size_t> groups(layout->groups.size());
    for (std::size_t i = 0; i < groups.size(); ++i) {
        groups[i] = i;
    }
    dav::DavClient* dav = &dav_;
    std::function<WriteResult(const std::size_t&)> write =
        [dav, content, layout, user = job.user,
         target = job.target](const std::size_t& i) -> WriteResult {
        const imports::EventGroup& group = layout->groups[i];
        imports::GroupObject object = imports::group_object(*content, *layout, group);
        if (object.problem.empty() &&
            written(dav->import_calendar_object_as(user, target.home, target.collection, group.uid,
                                                   object.ics))) {
            return std::nullopt;
        }
        return Item{{"uid", group.uid},
                    {"summary", object.summary},
                    {"start", object.start},
                    {"end", object.end}};
    };
    auto results = co_await runtime::run_bounded(blocking_, groups, kImportConcurrency,
                                                 dav_.timeout() * 2, write);
    co_return tally(job.id, std::move(results), [&](std::size_t i) {
        return Item{{"uid", layout->groups[i].uid}};
    });
}

runtime::Awaitable<ImportOutcome> Importer::import_cards(const ImportJob& job) const {
    std::shared_ptr<const std::string> content = job.content;
    auto split = [content] { return imports::split_vcards(*content); };
    auto cut_file = co_await cut(blocking_, job, split);
    if (!cut_file) {
        co_return ImportOutcome{.readable = false, .succeeded = 0, .failed = {}};
    }
    std::vector<imports::TextSpan> cards = std::move(*cut_file);
    dav::DavClient* dav = &dav_;
    std::function<WriteResult(const imports::TextSpan&)> write =
        [dav, content, user = job.user,
         target = job.target](const imports::TextSpan& card) -> WriteResult {
        // A new UID for every card, whatever it had (upstream's rule).
        std::string uid = text::random_uuid();
        if (written(dav->create_contact_as(user, target.home, target.collection, uid,
                                           imports::card_with_uid(*content, card, uid)))) {
            return std::nullopt;
        }
        return Item{{"email", imports::first_email(*content, card)}};
    };
    auto results = co_await runtime::run_bounded(blocking_, cards, kImportConcurrency,
                                                 dav_.timeout() * 2, write);
    co_return tally(job.id, std::move(results), [&](std::size_t i) {
        return Item{{"email", imports::first_email(*content, cards[i])}};
    });
}

runtime::Awaitable<void> Importer::report(const ImportJob& job,
                                          const ImportOutcome& outcome) const {
    if (mailer_ == nullptr) {
        co_return;
    }
    MailRequest request;
    request.facts.kind =
        job.target.address_book ? mail::MailKind::ImportContacts : mail::MailKind::ImportCalendar;
    request.facts.recipient.email = job.user;
    request.facts.import_report.base_url =
        job.target.address_book ? config_.spa_contacts_url : config_.spa_calendar_url;
    request.facts.import_report.succeeded = outcome.succeeded;
    request.facts.import_report.failed = outcome.failed;
    try {
        mail::SendOutcome sent = co_await mailer_->send(request);
        kLog.debug("Import report mail",
                   {{"importId", job.id},
                    {"sent", sent == mail::SendOutcome::Sent ? "yes" : "no recipient allowed"}});
    } catch (const std::exception& e) {
        // The items landed; only the report is lost (upstream only logs too).
        kLog.error("Import report mail not sent",
                   {{"importId", job.id}, {"user", job.user}, {"error", e.what()}});
    }
}

}  // namespace twake::services
