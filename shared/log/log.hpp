#pragma once

// Structured logs: one JSON object per line on stdout, in the shape upstream's logback JSON
// layout produces (docs/operate.md §2), ready for Loki/Promtail:
//   {"timestamp":"2025-06-01T10:00:00.123Z","level":"INFO","thread":"main",
//    "logger":"worker.webadmin","message":"...","mdc":{"requestId":"..."}}
// `mdc` holds flat string values and is omitted when empty. Secrets never go in here.

#include <chrono>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace twake::log {

enum class Level { Error = 0, Warn = 1, Info = 2, Debug = 3, Trace = 4 };

using Mdc = std::vector<std::pair<std::string, std::string>>;

std::string_view level_name(Level level);
// Parses ERROR|WARN|INFO|DEBUG|TRACE (case-insensitive); false when unknown.
bool parse_level(std::string_view text, Level& out);

// The JSON line (without the trailing newline). Pure: used by the sink and by unit tests.
std::string format_line(std::chrono::system_clock::time_point when, Level level,
                        std::string_view thread, std::string_view logger, std::string_view message,
                        const Mdc& mdc, std::string_view exception = {});

// Process-wide settings of the stdout sink.
void set_threshold(Level level);
Level threshold();
// Name written in the `thread` field for log calls made by the current thread.
void set_thread_name(std::string name);

class Logger {
  public:
    explicit Logger(std::string name) : name_(std::move(name)) {}

    bool enabled(Level level) const { return level <= threshold(); }
    void write(Level level, std::string_view message, const Mdc& mdc = {},
               std::string_view exception = {}) const;

    void error(std::string_view m, const Mdc& mdc = {}) const { write(Level::Error, m, mdc); }
    void warn(std::string_view m, const Mdc& mdc = {}) const { write(Level::Warn, m, mdc); }
    void info(std::string_view m, const Mdc& mdc = {}) const { write(Level::Info, m, mdc); }
    void debug(std::string_view m, const Mdc& mdc = {}) const { write(Level::Debug, m, mdc); }

  private:
    std::string name_;
};

}  // namespace twake::log
