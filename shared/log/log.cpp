#include "shared/log/log.hpp"

#include <atomic>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "shared/json/json.hpp"
#include "shared/text/utc_time.hpp"

namespace twake::log {

namespace {

std::atomic<int> g_threshold{static_cast<int>(Level::Info)};
std::mutex g_write_mutex;
thread_local std::string t_thread_name = "main";

}  // namespace

std::string_view level_name(Level level) {
    switch (level) {
        case Level::Error:
            return "ERROR";
        case Level::Warn:
            return "WARN";
        case Level::Info:
            return "INFO";
        case Level::Debug:
            return "DEBUG";
        case Level::Trace:
            return "TRACE";
    }
    return "INFO";
}

bool parse_level(std::string_view text, Level& out) {
    std::string upper;
    for (char c : text) {
        upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    for (Level l : {Level::Error, Level::Warn, Level::Info, Level::Debug, Level::Trace}) {
        if (level_name(l) == upper) {
            out = l;
            return true;
        }
    }
    if (upper == "WARNING") {
        out = Level::Warn;
        return true;
    }
    return false;
}

std::string format_line(std::chrono::system_clock::time_point when, Level level,
                        std::string_view thread, std::string_view logger, std::string_view message,
                        const Mdc& mdc, std::string_view exception) {
    std::string line;
    line.reserve(160 + message.size());
    line += "{\"timestamp\":";
    line += json::quote(text::iso8601_utc_millis(when));
    line += ",\"level\":";
    line += json::quote(level_name(level));
    line += ",\"thread\":";
    line += json::quote(thread);
    line += ",\"logger\":";
    line += json::quote(logger);
    line += ",\"message\":";
    line += json::quote(message);
    if (!mdc.empty()) {
        line += ",\"mdc\":{";
        bool first = true;
        for (const auto& [k, v] : mdc) {
            if (!first) {
                line += ',';
            }
            first = false;
            line += json::quote(k);
            line += ':';
            line += json::quote(v);
        }
        line += '}';
    }
    if (!exception.empty()) {
        line += ",\"exception\":";
        line += json::quote(exception);
    }
    line += '}';
    return line;
}

void set_threshold(Level level) {
    g_threshold.store(static_cast<int>(level));
}

Level threshold() {
    return static_cast<Level>(g_threshold.load());
}

void set_thread_name(std::string name) {
    t_thread_name = std::move(name);
}

void Logger::write(Level level, std::string_view message, const Mdc& mdc,
                   std::string_view exception) const {
    if (!enabled(level)) {
        return;
    }
    std::string line = format_line(std::chrono::system_clock::now(), level, t_thread_name, name_,
                                   message, mdc, exception);
    line.push_back('\n');
    std::lock_guard lock(g_write_mutex);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
}

}  // namespace twake::log
