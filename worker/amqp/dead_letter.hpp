#pragma once

// The headers a dead-lettered message carries (docs/reference/rabbitmq.md §6.3).

#include <string>
#include <vector>

#include "worker/amqp/topology.hpp"

namespace twake::amqp {

inline constexpr const char* kReasonHeader = "x-twake-dead-letter-reason";
inline constexpr const char* kQueueHeader = "x-twake-dead-letter-queue";
inline constexpr const char* kAttemptsHeader = "x-twake-attempts";

// Reasons are cut to this many bytes (on a UTF-8 boundary): a header is no place for a page.
inline constexpr std::size_t kMaxReasonBytes = 1000;

std::vector<TableEntry> dead_letter_headers(const std::string& queue, const std::string& reason,
                                            int attempts);

// The reason of a message whose retries are exhausted.
std::string exhausted_reason(const std::string& last_error, int attempts);

}  // namespace twake::amqp
