#include "worker/metrics/process_metrics.hpp"

#include <prometheus/metric_family.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace twake::metrics {

namespace {

prometheus::MetricFamily gauge(const std::string& name, const std::string& help, double value,
                               prometheus::MetricType type = prometheus::MetricType::Gauge) {
    prometheus::MetricFamily f;
    f.name = name;
    f.help = help;
    f.type = type;
    prometheus::ClientMetric m;
    if (type == prometheus::MetricType::Counter) {
        m.counter.value = value;
    } else {
        m.gauge.value = value;
    }
    f.metric.push_back(m);
    return f;
}

double boot_time_seconds() {
    std::ifstream in("/proc/stat");
    std::string key;
    double value = 0;
    while (in >> key) {
        if (key == "btime") {
            in >> value;
            return value;
        }
        std::string rest;
        std::getline(in, rest);
    }
    return 0;
}

}  // namespace

std::vector<prometheus::MetricFamily> ProcessMetrics::Collect() const {
    std::vector<prometheus::MetricFamily> out;
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(sysconf(_SC_PAGESIZE));

    std::ifstream stat_file("/proc/self/stat");
    std::string stat;
    std::getline(stat_file, stat);
    // Fields after the command name (which may hold spaces) start after the last ')'.
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string field;
    double utime = 0, stime = 0, starttime = 0, vsize = 0, rss = 0;
    for (int i = 3; fields >> field; ++i) {
        switch (i) {
            case 14:
                utime = std::stod(field);
                break;
            case 15:
                stime = std::stod(field);
                break;
            case 22:
                starttime = std::stod(field);
                break;
            case 23:
                vsize = std::stod(field);
                break;
            case 24:
                rss = std::stod(field);
                break;
            default:
                break;
        }
    }
    out.push_back(gauge("process_cpu_seconds_total",
                        "Total user and system CPU time spent in seconds.", (utime + stime) / ticks,
                        prometheus::MetricType::Counter));
    out.push_back(
        gauge("process_resident_memory_bytes", "Resident memory size in bytes.", rss * page));
    out.push_back(gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", vsize));
    out.push_back(gauge("process_start_time_seconds",
                        "Start time of the process since unix epoch in seconds.",
                        boot_time_seconds() + starttime / ticks));

    std::error_code ec;
    double fds = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        ++fds;
    }
    out.push_back(gauge("process_open_fds", "Number of open file descriptors.", fds));
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        out.push_back(gauge("process_max_fds", "Maximum number of open file descriptors.",
                            static_cast<double>(limit.rlim_cur)));
    }
    return out;
}

}  // namespace twake::metrics
