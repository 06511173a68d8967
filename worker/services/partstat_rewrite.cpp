#include "worker/services/partstat_rewrite.hpp"

#include <thread>

namespace twake::services {

namespace {

using Edit = booking::PartstatEdit::Outcome;

constexpr int kWrites = 5;
constexpr std::chrono::milliseconds kFirstPause{100};

}  // namespace

RewriteOutcome rewrite_partstat(const PartstatRewrite& rewrite) {
    std::chrono::milliseconds pause = kFirstPause;
    for (int write = 1;; ++write) {
        auto copy = rewrite.read();
        if (!copy) {
            return RewriteOutcome::Missing;
        }
        booking::PartstatEdit edit = rewrite.edit(copy->ical);
        switch (edit.outcome) {
            case Edit::Cancelled:
                return RewriteOutcome::Cancelled;
            case Edit::NotAnAttendee:
                return RewriteOutcome::NotAnAttendee;
            case Edit::Unchanged:
                return RewriteOutcome::Unchanged;
            case Edit::Changed:
                break;
        }
        if (rewrite.write(edit.ical, copy->etag)) {
            return RewriteOutcome::Written;
        }
        if (write == kWrites) {
            throw dav::DavError("the copy kept changing while the answer was written");
        }
        std::this_thread::sleep_for(pause);
        pause *= 2;
    }
}

}  // namespace twake::services
