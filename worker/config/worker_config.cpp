#include "worker/config/worker_config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

#include "shared/config/duration.hpp"
#include "shared/config/properties.hpp"
#include "shared/identity/address.hpp"
#include "shared/jwt/token_validity.hpp"
#include "worker/config/known_keys.hpp"

namespace twake::config {

namespace {

std::string required(const Properties& p, const std::string& key) {
    auto v = p.get(key);
    if (!v || v->empty()) {
        throw ConfigError(p.origin() + ": '" + key + "' is mandatory");
    }
    return *v;
}

bool boolean(const Properties& p, const std::string& key, bool fallback) {
    auto v = p.get(key);
    if (!v) {
        return fallback;
    }
    std::string lower = identity::lower(*v);
    if (lower == "true") {
        return true;
    }
    if (lower == "false") {
        return false;
    }
    throw ConfigError(p.origin() + ": '" + key + "' = '" + *v + "': expected true or false");
}

int integer(const Properties& p, const std::string& key, int fallback, int min, int max) {
    auto v = p.get(key);
    if (!v) {
        return fallback;
    }
    int n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size() || n < min || n > max) {
        throw ConfigError(p.origin() + ": '" + key + "' = '" + *v +
                          "': expected an integer between " + std::to_string(min) + " and " +
                          std::to_string(max));
    }
    return n;
}

int port(const Properties& p, const std::string& key, int fallback) {
    auto v = p.get(key);
    if (!v) {
        return fallback;
    }
    int n = -1;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size() || n < 0 || n > 65535) {
        throw ConfigError(p.origin() + ": '" + key + "' = '" + *v +
                          "': expected a port number between 0 and 65535");
    }
    return n;
}

std::chrono::milliseconds duration(const Properties& p, const std::string& key,
                                   std::chrono::milliseconds fallback, DurationUnit unit) {
    auto v = p.get(key);
    if (!v) {
        return fallback;
    }
    return parse_duration(*v, unit, p.origin() + ": " + key);
}

// The websocket.* keys (docs/reference/realtime.md §5).
realtime::RealtimeLimits read_websocket_limits(const Properties& p) {
    realtime::RealtimeLimits w;
    w.ping_interval =
        duration(p, "websocket.ping.interval", w.ping_interval, DurationUnit::Seconds);
    if (w.ping_interval.count() <= 0) {
        throw ConfigError(p.origin() + ": 'websocket.ping.interval' must be more than 0");
    }
    // Three missed PINGs, and never less than 30 s: a busy client is not a dead one.
    w.idle_timeout = std::max(3 * w.ping_interval, std::chrono::milliseconds(30000));
    w.idle_timeout = duration(p, "websocket.idle.timeout", w.idle_timeout, DurationUnit::Seconds);
    if (w.idle_timeout <= w.ping_interval) {
        throw ConfigError(p.origin() +
                          ": 'websocket.idle.timeout' must be longer than websocket.ping.interval");
    }
    if (auto size = p.get("websocket.max.message.size")) {
        int64_t bytes = parse_size(*size, p.origin() + ": websocket.max.message.size");
        if (bytes < 1024 || bytes > (64LL << 20)) {
            throw ConfigError(p.origin() +
                              ": 'websocket.max.message.size' must be between 1KiB and 64MiB");
        }
        w.max_message_size = static_cast<std::size_t>(bytes);
    }
    w.max_registrations =
        static_cast<std::size_t>(integer(p, "websocket.max.registrations", 1000, 1, 1000000));
    w.outbound_queue_max =
        static_cast<std::size_t>(integer(p, "websocket.outbound.queue.max", 256, 1, 1000000));
    w.max_connections =
        static_cast<std::size_t>(integer(p, "websocket.max.connections", 10000, 1, 10000000));
    w.max_lifetime = duration(p, "websocket.max.lifetime", w.max_lifetime, DurationUnit::Seconds);
    w.push_debounce =
        duration(p, "websocket.push.debounce", w.push_debounce, DurationUnit::Milliseconds);
    if (w.max_lifetime.count() < 0 || w.push_debounce.count() < 0) {
        throw ConfigError(p.origin() +
                          ": 'websocket.max.lifetime' and 'websocket.push.debounce' cannot be "
                          "negative");
    }
    w.push_consumers = boolean(p, "websocket.push.consumers.enabled", true);
    return w;
}

bool http_url(std::string_view v) {
    return v.starts_with("http://") || v.starts_with("https://");
}

std::string url(const Properties& p, const std::string& key, const std::string& fallback) {
    std::string v = p.get_or(key, fallback);
    if (!v.empty() && !http_url(v)) {
        throw ConfigError(p.origin() + ": '" + key + "' = '" + v +
                          "': expected an http:// or https:// URL");
    }
    while (!v.empty() && v.back() == '/') {
        v.pop_back();  // upstream concatenates paths to these URLs
    }
    return v;
}

std::optional<Properties> optional_file(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file)) {
        return std::nullopt;
    }
    return Properties::load(file);
}

Properties required_file(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file)) {
        throw ConfigError("missing configuration file " + file.string());
    }
    return Properties::load(file);
}

void collect_unknown(const Properties& p, std::vector<std::string>& out) {
    for (const auto& [key, value] : p.entries()) {
        if (!known_key(p.origin(), key)) {
            out.push_back(p.origin() + ": " + key);
        }
    }
}

// The mail keys (docs/configuration.md §2.1). Mail is off without smtp.host; with it, the
// keys a sent mail cannot do without are mandatory.
std::optional<mail::MailConfig> read_mail(const Properties& p, const std::filesystem::path& dir) {
    if (!p.get("smtp.host")) {
        return std::nullopt;
    }
    mail::MailConfig m;
    m.smtp.host = required(p, "smtp.host");
    m.smtp.port = port(p, "smtp.port", -1);
    if (m.smtp.port <= 0) {
        throw ConfigError(p.origin() + ": 'smtp.port' is mandatory with smtp.host");
    }
    m.smtp.helo = required(p, "smtp.helo");
    m.smtp.username = p.get("smtp.username");
    m.smtp.password = p.get("smtp.password");
    if (m.smtp.username.has_value() != m.smtp.password.has_value()) {
        throw ConfigError(p.origin() + ": 'smtp.username' and 'smtp.password' go together");
    }
    bool implicit = boolean(p, "smtp.ssl.enabled", false);
    bool starttls = boolean(p, "smtp.starttls.enabled", false);
    if (implicit && starttls) {
        throw ConfigError(p.origin() +
                          ": 'smtp.ssl.enabled' and 'smtp.starttls.enabled' exclude each other");
    }
    m.smtp.security = implicit   ? mail::SmtpSecurity::ImplicitTls
                      : starttls ? mail::SmtpSecurity::StartTls
                                 : mail::SmtpSecurity::Plain;
    m.smtp.trust_all_certificates = boolean(p, "smtp.ssl.trustAllCerts", false);
    m.smtp.connect_timeout =
        duration(p, "smtp.connect.timeout", m.smtp.connect_timeout, DurationUnit::Milliseconds);
    m.smtp.command_timeout =
        duration(p, "smtp.command.timeout", m.smtp.command_timeout, DurationUnit::Milliseconds);
    if (m.smtp.command_timeout < std::chrono::seconds(1)) {
        throw ConfigError(p.origin() + ": 'smtp.command.timeout' must be at least 1 second");
    }
    m.sender = required(p, "mail.sender");
    auto folder = [&](const std::string& value) {
        std::filesystem::path path = value.starts_with("file://") ? value.substr(7) : value;
        return path.is_relative() ? dir / path : path;
    };
    if (auto location = p.get("mail.template.location"); location && !location->empty()) {
        m.template_location = folder(*location);
    }
    if (auto defaults = p.get("mail.template.defaults"); defaults && !defaults->empty()) {
        m.template_defaults = folder(*defaults);
    }
    m.recipient_whitelist = p.list("mail.imip.recipient.whitelist");
    return m;
}

EdgeListen read_edge(const Properties& p) {
    EdgeListen e;
    e.secret = p.get_or("edge.secret", "");
    if (!e.secret.empty() && e.secret.size() < 32) {
        throw ConfigError(p.origin() +
                          ": 'edge.secret' must be at least 32 characters (nginx's "
                          "twake_calendar_edge_secret)");
    }
    for (const auto& item : p.list("edge.revocation.urls")) {
        if (!http_url(item)) {
            throw ConfigError(p.origin() + ": 'edge.revocation.urls' item '" + item +
                              "': expected an http:// or https:// URL (an edge's location "
                              "with twake_calendar_revocation)");
        }
        e.revocation_urls.push_back(item);
    }
    if (!e.revocation_urls.empty() && e.secret.empty()) {
        throw ConfigError(p.origin() +
                          ": 'edge.secret' (at least 32 characters, nginx's "
                          "twake_calendar_edge_secret) is mandatory with 'edge.revocation.urls'");
    }
    std::string listen = p.get_or("edge.listen", "unix:/run/twake-calendar/worker.sock");
    if (listen.rfind("unix:", 0) == 0) {
        std::filesystem::path socket = listen.substr(5);
        if (!socket.is_absolute()) {
            throw ConfigError(p.origin() + ": 'edge.listen' = '" + listen +
                              "': a unix socket path must be absolute");
        }
        e.socket = socket;
    } else {
        size_t colon = listen.rfind(':');
        if (colon == std::string::npos) {
            throw ConfigError(p.origin() + ": 'edge.listen' = '" + listen +
                              "': expected unix:/path/to/socket or host:port");
        }
        e.host = listen.substr(0, colon);
        if (e.host.size() > 2 && e.host.front() == '[' && e.host.back() == ']') {
            e.host = e.host.substr(1, e.host.size() - 2);
        }
        std::string digits = listen.substr(colon + 1);
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), e.port);
        if (ec != std::errc() || end != digits.data() + digits.size() || e.port <= 0 ||
            e.port > 65535 || e.host.empty()) {
            throw ConfigError(p.origin() + ": 'edge.listen' = '" + listen +
                              "': expected unix:/path/to/socket or host:port");
        }
        if (e.secret.empty()) {
            throw ConfigError(
                p.origin() +
                ": 'edge.secret' (at least 32 characters, the value nginx sends in "
                "X-Twake-Edge-Secret) is mandatory when 'edge.listen' is a TCP address");
        }
        bool loopback = e.host == "127.0.0.1" || e.host == "::1" || e.host == "localhost" ||
                        e.host.rfind("127.", 0) == 0;
        if (!loopback && !boolean(p, "edge.listen.allowRemote", false)) {
            throw ConfigError(p.origin() + ": 'edge.listen' = '" + listen +
                              "' is not a loopback address; set edge.listen.allowRemote=true if "
                              "the network between nginx and the worker is trusted");
        }
    }
    e.group = p.get("edge.listen.group");
    return e;
}

std::vector<int> days_of_week(const Properties& p) {
    if (!p.contains("default.business.hours.daysOfWeek")) {
        return {1, 2, 3, 4, 5};
    }
    std::vector<int> days;
    for (const auto& item : p.list("default.business.hours.daysOfWeek")) {
        int d = 0;
        auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), d);
        if (ec != std::errc() || end != item.data() + item.size() || d < 0 || d > 7) {
            throw ConfigError(p.origin() +
                              ": 'default.business.hours.daysOfWeek': expected a comma list of day "
                              "numbers between 0 and 7, got '" +
                              item + "'");
        }
        days.push_back(d);
    }
    return days;
}

}  // namespace

int64_t parse_size(std::string_view text, std::string_view key) {
    std::string value = trim(text);
    auto fail = [&] {
        return ConfigError("'" + std::string(key) + "' = '" + value +
                           "' is not a size; expected an integer with an optional unit, e.g. "
                           "50MiB, 512KiB, 1GiB");
    };
    int64_t amount = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), amount);
    if (ec != std::errc() || end == value.data() || amount < 0) {
        throw fail();
    }
    std::string unit;
    for (const char* c = end; c != value.data() + value.size(); ++c) {
        if (*c != ' ') {
            unit.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(*c))));
        }
    }
    int64_t factor = 0;
    if (unit.empty() || unit == "b" || unit == "bytes")
        factor = 1;
    else if (unit == "k" || unit == "kb" || unit == "kib")
        factor = 1LL << 10;
    else if (unit == "m" || unit == "mb" || unit == "mib")
        factor = 1LL << 20;
    else if (unit == "g" || unit == "gb" || unit == "gib")
        factor = 1LL << 30;
    else if (unit == "t" || unit == "tb" || unit == "tib")
        factor = 1LL << 40;
    if (factor == 0 || amount > INT64_MAX / factor) {
        throw fail();
    }
    return amount * factor;
}

WorkerConfig load_worker_config(const std::filesystem::path& dir) {
    if (!std::filesystem::is_directory(dir)) {
        throw ConfigError("configuration folder " + dir.string() + " does not exist");
    }
    WorkerConfig c;
    c.dir = dir;

    Properties main = required_file(dir / "configuration.properties");
    collect_unknown(main, c.unknown_keys);
    // MongoDB is mandatory here (no in-memory fallback): esn-sabre needs the users in it.
    c.mongo_url = required(main, "mongo.url");
    if (main.list("mongo.url").size() > 1) {
        c.mongo_url = "";  // upstream joins a list back with commas (several hosts)
        for (const auto& part : main.list("mongo.url")) {
            c.mongo_url += (c.mongo_url.empty() ? "" : ",") + part;
        }
    }
    c.mongo_database = main.get_or("mongo.database", "");
    if (auto level = main.get("log.level")) {
        if (!log::parse_level(*level, c.log_level)) {
            throw ConfigError(main.origin() + ": 'log.level' = '" + *level +
                              "': expected ERROR, WARN, INFO, DEBUG or TRACE");
        }
    }
    c.edge = read_edge(main);
    c.mail = read_mail(main, dir);

    c.dav.url = url(main, "dav.url", "");
    if (c.dav.url.empty()) {
        throw ConfigError(main.origin() + ": 'dav.url' (esn-sabre's URL) is mandatory");
    }
    c.dav.admin_user = required(main, "dav.admin.user");
    c.dav.admin_password = required(main, "dav.admin.password");
    c.dav.timeout = duration(main, "dav.rest.client.response.timeout", c.dav.timeout,
                             DurationUnit::Milliseconds);
    c.dav.trust_all_certificates = boolean(main, "dav.rest.client.trust.all.ssl.certs", false);

    c.admin_username = identity::lower(main.get_or("admin.username", c.admin_username));
    for (const auto& d : main.list("domains")) {
        auto name = identity::normalize_domain(d);
        if (!name) {
            throw ConfigError(main.origin() + ": 'domains': '" + d + "' is not a domain name");
        }
        c.domains.push_back(*name);
    }
    c.self_url = url(main, "self.url", c.self_url);
    c.spa_calendar_url = url(main, "spa.calendar.url", c.spa_calendar_url);
    c.spa_contacts_url = url(main, "spa.contacts.url", c.spa_contacts_url);
    c.spa_excal_url = url(main, "spa.excal.url", "");
    c.visio_url = url(main, "visio.url", c.visio_url);
    c.calendar_sharing = boolean(main, "calendar.sharing.enabled", true);
    c.contacts_sharing = boolean(main, "contacts.sharing.enabled", true);
    c.domain_contacts = boolean(main, "domain.contacts.enabled", true);
    c.user_defaults.language = main.get_or("default.language", "en");
    c.user_defaults.timezone = main.get_or("default.timezone", "Europe/Paris");
    c.user_defaults.use_24h_format = boolean(main, "default.use.24h.format", true);
    c.user_defaults.business_hours_start = main.get_or("default.business.hours.start", "8:0");
    c.user_defaults.business_hours_end = main.get_or("default.business.hours.end", "19:0");
    c.user_defaults.business_days = days_of_week(main);
    for (const auto& d : main.list("user.search.disabled.domains")) {
        c.user_search_disabled_domains.push_back(identity::lower(d));
    }
    for (const auto& d : main.list("user.search.limited.domains")) {
        c.user_search_limited_domains.push_back(identity::lower(d));
    }
    c.resource_search = boolean(main, "resource.search.enabled", true);
    c.default_calendar_visibility =
        identity::lower(main.get_or("default.calendar.public.visibility", "private"));
    if (c.default_calendar_visibility != "private" && c.default_calendar_visibility != "read") {
        throw ConfigError(main.origin() +
                          ": 'default.calendar.public.visibility': expected private or read");
    }
    c.calendar_visibility_setting =
        boolean(main, "calendar.public.visibility.setting.enabled", true);

    c.jwt_private_key = main.get("jwt.key.private");
    c.jwt_public_keys = main.list("jwt.key.public");
    if (auto validity = main.get("jwt.key.validity")) {
        c.jwt_validity = jwt::parse_token_validity(*validity, main.origin() + ": jwt.key.validity");
    }
    c.technical_token_secret = main.get("jwt.technical.token.secret");
    if (c.technical_token_secret && c.technical_token_secret->empty()) {
        c.technical_token_secret.reset();
    }
    c.technical_token_expiration = std::chrono::seconds(
        integer(main, "jwt.technical.token.expiration", 3600, 1, 365 * 24 * 3600));
    c.ticket_ip_validation = boolean(main, "websocket.ticket.ip.validation.enabled", true);
    c.upload_expiration = std::chrono::duration_cast<std::chrono::seconds>(
        duration(main, "upload.expiration", std::chrono::hours(1), DurationUnit::Seconds));
    if (c.upload_expiration.count() <= 0) {
        throw ConfigError(main.origin() + ": 'upload.expiration' must be at least 1s");
    }
    if (auto limit = main.get("upload.user.total.limit")) {
        c.upload_user_limit = parse_size(*limit, main.origin() + ": upload.user.total.limit");
    }
    if (auto max = main.get("upload.max.file.size")) {
        c.upload_max_file_size = parse_size(*max, main.origin() + ": upload.max.file.size");
        if (c.upload_max_file_size < 1 || c.upload_max_file_size > 15LL * 1024 * 1024) {
            throw ConfigError(main.origin() +
                              ": 'upload.max.file.size' must be between 1B and 15MiB (a file "
                              "is one MongoDB document, at most 16 MiB)");
        }
    }

    Properties rabbit = required_file(dir / "rabbitmq.properties");
    collect_unknown(rabbit, c.unknown_keys);
    c.rabbitmq = amqp::parse_amqp_uri(required(rabbit, "uri"), "rabbitmq.properties: uri");
    c.consumer_retry.max_retries = integer(rabbit, "consumer.retry.max", 3, 0, 100);
    c.consumer_retry.first_delay = duration(rabbit, "consumer.retry.delay", std::chrono::seconds(1),
                                            DurationUnit::Milliseconds);
    if (c.consumer_retry.first_delay.count() <= 0) {
        throw ConfigError(rabbit.origin() + ": 'consumer.retry.delay' must be at least 1ms");
    }
    c.test_consumer = boolean(rabbit, "test.consumer.enabled", false);
    c.itip_prefetch = integer(main, "itip.event.messages.prefetch.count", 16, 1, 65535);
    c.websocket = read_websocket_limits(main);
    c.alarm_scheduler = alarms::read_scheduler_config(main);

    Properties opensearch = required_file(dir / "opensearch.properties");
    collect_unknown(opensearch, c.unknown_keys);
    c.opensearch = search::read_opensearch_config(opensearch);

    if (auto redis = optional_file(dir / "redis.properties")) {
        collect_unknown(*redis, c.unknown_keys);
        std::string topology = redis->get_or("redis.topology", "standalone");
        if (topology != "standalone") {
            throw ConfigError("redis.properties: 'redis.topology' = '" + topology +
                              "' is not supported yet; use standalone");
        }
        std::vector<std::string> urls = redis->list("redisURL");
        if (urls.empty()) {
            throw ConfigError("redis.properties: 'redisURL' is mandatory");
        }
        c.redis = redis::parse_redis_url(urls.front(), "redis.properties: redisURL");
        c.websocket.redis_event_bus_keys =
            redis->get("eventBus.redis.timeout") || redis->get("eventBus.redis.failure.ignore");
    }

    std::filesystem::path ldap_file = dir / "usersrepository.xml";
    if (std::filesystem::exists(ldap_file)) {
        std::ifstream in(ldap_file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        c.ldap = ldap::read_users_repository(text.str(), "usersrepository.xml");
    }

    if (auto web = optional_file(dir / "webadmin.properties")) {
        collect_unknown(*web, c.unknown_keys);
        c.webadmin.enabled = boolean(*web, "enabled", false);
        c.webadmin.host = web->get_or("host", "localhost");
        c.webadmin.port = port(*web, "port", 8080);
        c.webadmin.passwords = web->list("password");
        c.webadmin.readonly_passwords = web->list("password.readonly");
        c.webadmin.nodelete_passwords = web->list("password.nodelete");
        c.webadmin.generate_password = boolean(*web, "password.generate", true);
        if (auto file = web->get("password.generate.file")) {
            if (file->empty()) {
                throw ConfigError(
                    "webadmin.properties: 'password.generate.file' is empty: expected a file path");
            }
            // A relative path is relative to the configuration folder, like conf:// references.
            c.webadmin.generated_password_file = dir / *file;
        }
        c.webadmin.cors = boolean(*web, "cors.enable", false);
        c.webadmin.cors_origin = web->get_or("cors.origin", "*");
        if (boolean(*web, "jwt.enabled", false)) {
            throw ConfigError(
                "webadmin.properties: 'jwt.enabled=true' is not supported yet; use "
                "password, password.readonly or password.nodelete");
        }
        if (boolean(*web, "https.enabled", false)) {
            throw ConfigError(
                "webadmin.properties: 'https.enabled=true' is not supported; keep "
                "webadmin on loopback or put a TLS proxy in front");
        }
    }

    if (auto hc = optional_file(dir / "healthcheck.properties")) {
        collect_unknown(*hc, c.unknown_keys);
        if (auto period = hc->get("healthcheck.period")) {
            c.healthcheck_period = parse_duration(*period, DurationUnit::Milliseconds,
                                                  "healthcheck.properties: healthcheck.period");
            if (c.healthcheck_period < std::chrono::seconds(10)) {
                throw ConfigError(
                    "healthcheck.properties: 'healthcheck.period' must be at least 10s");
            }
        }
    }
    return c;
}

}  // namespace twake::config
