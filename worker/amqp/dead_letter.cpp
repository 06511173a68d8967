#include "worker/amqp/dead_letter.hpp"

#include <cstdint>

namespace twake::amqp {

namespace {

std::string cut_utf8(const std::string& text, std::size_t max) {
    if (text.size() <= max) {
        return text;
    }
    std::size_t end = max;
    // Back off continuation bytes (10xxxxxx) so that no character is split.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return text.substr(0, end);
}

}  // namespace

std::vector<TableEntry> dead_letter_headers(const std::string& queue, const std::string& reason,
                                            int attempts) {
    return {
        {kReasonHeader, cut_utf8(reason.empty() ? "unknown" : reason, kMaxReasonBytes)},
        {kQueueHeader, queue},
        {kAttemptsHeader, static_cast<std::int32_t>(attempts)},
    };
}

std::string exhausted_reason(const std::string& last_error, int attempts) {
    return "failed " + std::to_string(attempts) + " times; last error: " + last_error;
}

}  // namespace twake::amqp
