#include "worker/tasks/task_query.hpp"

#include <cctype>
#include <charconv>

#include "shared/config/duration.hpp"

namespace twake::tasks {

namespace {

bool is_hex(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Reads exactly `count` digits at `pos`.
std::optional<int> digits(std::string_view text, size_t& pos, size_t count) {
    if (pos + count > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (size_t i = 0; i < count; ++i) {
        char c = text[pos + i];
        if (!is_digit(c)) {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    pos += count;
    return value;
}

bool expect(std::string_view text, size_t& pos, char c) {
    if (pos < text.size() && text[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

// The value of `name`, if the query has it.
const std::string* param(const QueryParams& params, std::string_view name) {
    auto it = params.find(name);
    return it == params.end() ? nullptr : &it->second;
}

std::optional<Clock::time_point> date_param(const QueryParams& params, const char* name) {
    const std::string* value = param(params, name);
    if (value == nullptr) {
        return std::nullopt;
    }
    auto when = parse_offset_date_time(*value);
    if (!when) {
        throw errors::InvalidInput("'" + std::string(name) +
                                   "' is not an ISO-8601 date-time with an offset: " + *value);
    }
    return when;
}

std::optional<std::size_t> count_param(const QueryParams& params, const char* name) {
    const std::string* value = param(params, name);
    if (value == nullptr) {
        return std::nullopt;
    }
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
    if (value->empty() || ec != std::errc() || end != value->data() + value->size()) {
        throw errors::InvalidInput("'" + std::string(name) +
                                   "' must be a non-negative integer: " + *value);
    }
    return n;
}

// Strictly before/after; a missing date never matches a set bound.
bool within(const std::optional<Clock::time_point>& date,
            const std::optional<Clock::time_point>& before,
            const std::optional<Clock::time_point>& after) {
    if (!before && !after) {
        return true;
    }
    if (!date) {
        return false;
    }
    return (!before || *date < *before) && (!after || *date > *after);
}

}  // namespace

std::optional<std::string> parse_task_id(std::string_view text) {
    if (text.size() != 36) {
        return std::nullopt;
    }
    std::string id;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !is_hex(c)) {
            return std::nullopt;
        }
        id.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return id;
}

std::optional<Clock::time_point> parse_offset_date_time(std::string_view text) {
    size_t pos = 0;
    auto year = digits(text, pos, 4);
    if (!year || !expect(text, pos, '-')) {
        return std::nullopt;
    }
    auto month = digits(text, pos, 2);
    if (!month || !expect(text, pos, '-')) {
        return std::nullopt;
    }
    auto day = digits(text, pos, 2);
    if (!day || !(expect(text, pos, 'T') || expect(text, pos, 't'))) {
        return std::nullopt;
    }
    auto hour = digits(text, pos, 2);
    if (!hour || !expect(text, pos, ':')) {
        return std::nullopt;
    }
    auto minute = digits(text, pos, 2);
    if (!minute) {
        return std::nullopt;
    }
    int second = 0;
    std::chrono::nanoseconds fraction{0};
    if (expect(text, pos, ':')) {
        auto s = digits(text, pos, 2);
        if (!s) {
            return std::nullopt;
        }
        second = *s;
        if (expect(text, pos, '.')) {
            long long nanos = 0;
            int count = 0;
            while (pos < text.size() && is_digit(text[pos])) {
                if (++count > 9) {
                    return std::nullopt;
                }
                nanos = nanos * 10 + (text[pos++] - '0');
            }
            if (count == 0) {
                return std::nullopt;
            }
            for (int i = count; i < 9; ++i) {
                nanos *= 10;
            }
            fraction = std::chrono::nanoseconds(nanos);
        }
    }
    if (*hour > 23 || *minute > 59 || second > 59) {
        return std::nullopt;
    }
    std::chrono::minutes offset{0};
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-' || text[pos] == ' ')) {
        int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        auto oh = digits(text, pos, 2);
        if (!oh) {
            return std::nullopt;
        }
        int om = 0;
        if (pos < text.size()) {
            expect(text, pos, ':');
            auto m = digits(text, pos, 2);
            if (!m) {
                return std::nullopt;
            }
            om = *m;
        }
        if (*oh > 18 || om > 59) {
            return std::nullopt;
        }
        offset = std::chrono::minutes(sign * (*oh * 60 + om));
    } else {
        return std::nullopt;  // an offset is required
    }
    if (pos != text.size()) {
        return std::nullopt;
    }
    std::chrono::year_month_day date{std::chrono::year(*year),
                                     std::chrono::month(static_cast<unsigned>(*month)),
                                     std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok()) {
        return std::nullopt;
    }
    auto local = std::chrono::sys_days(date) + std::chrono::hours(*hour) +
                 std::chrono::minutes(*minute) + std::chrono::seconds(second);
    return std::chrono::time_point_cast<Clock::duration>(local - offset) +
           std::chrono::duration_cast<Clock::duration>(fraction);
}

bool TaskFilter::matches(const TaskReport& report) const {
    if (status && report.status != *status) {
        return false;
    }
    if (type && report.type != *type) {
        return false;
    }
    return within(report.submitted, submitted_before, submitted_after) &&
           within(report.started, started_before, started_after) &&
           within(report.completed, completed_before, completed_after) &&
           within(report.failed, failed_before, failed_after);
}

TaskFilter parse_task_filter(const QueryParams& params) {
    TaskFilter f;
    if (const std::string* status = param(params, "status")) {
        f.status = parse_status(*status);
        if (!f.status) {
            throw errors::InvalidInput(
                "'status' must be one of waiting, inProgress, "
                "canceledRequested, completed, canceled, failed: " +
                *status);
        }
    }
    if (const std::string* type = param(params, "type")) {
        if (type->empty()) {
            throw errors::InvalidInput("'type' must not be empty");
        }
        f.type = *type;
    }
    f.submitted_before = date_param(params, "submittedBefore");
    f.submitted_after = date_param(params, "submittedAfter");
    f.started_before = date_param(params, "startedBefore");
    f.started_after = date_param(params, "startedAfter");
    f.completed_before = date_param(params, "completedBefore");
    f.completed_after = date_param(params, "completedAfter");
    f.failed_before = date_param(params, "failedBefore");
    f.failed_after = date_param(params, "failedAfter");
    f.offset = count_param(params, "offset").value_or(0);
    f.limit = count_param(params, "limit");
    return f;
}

std::vector<TaskReport> select_reports(std::vector<TaskReport> reports, const TaskFilter& filter) {
    std::vector<TaskReport> out;
    std::size_t skipped = 0;
    for (TaskReport& r : reports) {
        if (filter.limit && out.size() >= *filter.limit) {
            break;
        }
        if (!filter.matches(r)) {
            continue;
        }
        if (skipped < filter.offset) {
            ++skipped;
            continue;
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::chrono::milliseconds parse_await_timeout(const std::optional<std::string>& text) {
    if (!text || text->empty()) {
        return kMaxAwait;
    }
    std::chrono::milliseconds timeout;
    try {
        timeout = config::parse_duration(*text, config::DurationUnit::Seconds, "timeout");
    } catch (const config::ConfigError& e) {
        throw errors::InvalidInput(e.what());
    }
    if (timeout > kMaxAwait) {
        throw errors::InvalidInput("'timeout' must not exceed 365 days: " + *text);
    }
    return timeout;
}

}  // namespace twake::tasks
