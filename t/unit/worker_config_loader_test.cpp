// The configuration folder as the worker reads it at start (load_worker_config): what a
// minimal upstream-shaped folder gives, the defaults, optional files, and the errors that
// stop the start naming the file, the key and the expected form.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "shared/config/config_error.hpp"
#include "worker/config/worker_config.hpp"

namespace twake::config {
namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::string> kMinimal = {
    {"configuration.properties",
     "mongo.url=mongodb://127.0.0.1:27017\n"
     "mongo.database=esn_docker\n"
     "dav.url=http://127.0.0.1:8001\n"
     "dav.admin.user=admin\n"
     "dav.admin.password=secret\n"},
    {"rabbitmq.properties", "uri=amqp://guest:guest@127.0.0.1:5672\n"},
    {"opensearch.properties", "opensearch.hosts=127.0.0.1:9200\nopensearch.hostScheme=http\n"},
};

class WorkerConfigLoader : public ::testing::Test {
  protected:
    fs::path dir;

    void SetUp() override {
        dir = fs::temp_directory_path() /
              ("twake-config-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
               "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
        for (const auto& [name, text] : kMinimal) {
            write(name, text);
        }
    }
    void TearDown() override { fs::remove_all(dir); }

    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
    }
    void append(const std::string& name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary | std::ios::app) << text;
    }
    // The message of the ConfigError that loading the folder throws ("" if none).
    std::string refusal() {
        try {
            load_worker_config(dir);
        } catch (const ConfigError& e) {
            return e.what();
        }
        return "";
    }
};

TEST_F(WorkerConfigLoader, AMinimalFolderGivesTheDefaults) {
    WorkerConfig c = load_worker_config(dir);
    EXPECT_EQ(c.mongo_url, "mongodb://127.0.0.1:27017");
    EXPECT_EQ(c.mongo_database, "esn_docker");
    EXPECT_EQ(c.dav.url, "http://127.0.0.1:8001");
    EXPECT_EQ(c.admin_username, "admin@open-paas.org");
    EXPECT_EQ(c.default_calendar_visibility, "private");
    EXPECT_TRUE(c.calendar_sharing);
    EXPECT_EQ(c.upload_user_limit, 50LL * 1024 * 1024);
    EXPECT_FALSE(c.redis);
    EXPECT_FALSE(c.ldap);
    EXPECT_FALSE(c.technical_token_secret);
    EXPECT_TRUE(c.unknown_keys.empty());
}

TEST_F(WorkerConfigLoader, ValuesAreReadAndNormalised) {
    append("configuration.properties",
           "admin.username=Admin@Example.COM\n"
           "domains=Example.com, other.test\n"
           "default.calendar.public.visibility=READ\n"
           "upload.user.total.limit=10MiB\n"
           "jwt.technical.token.secret=\n");
    WorkerConfig c = load_worker_config(dir);
    EXPECT_EQ(c.admin_username, "admin@example.com");
    EXPECT_EQ(c.domains, (std::vector<std::string>{"example.com", "other.test"}));
    EXPECT_EQ(c.default_calendar_visibility, "read");
    EXPECT_EQ(c.upload_user_limit, 10LL << 20);
    EXPECT_FALSE(c.technical_token_secret);  // empty means none
}

TEST_F(WorkerConfigLoader, WebSocketLimitsHaveDefaultsAndAreRead) {
    using std::chrono::milliseconds;
    auto d = load_worker_config(dir).websocket;
    EXPECT_EQ(d.ping_interval, milliseconds(5000));
    EXPECT_EQ(d.idle_timeout, milliseconds(30000));
    EXPECT_EQ(d.max_message_size, 65536u);
    EXPECT_EQ(d.max_registrations, 1000u);
    EXPECT_EQ(d.outbound_queue_max, 256u);
    EXPECT_EQ(d.max_connections, 10000u);
    EXPECT_EQ(d.max_lifetime, milliseconds(12 * 3600 * 1000));
    EXPECT_EQ(d.push_debounce, milliseconds(100));
    EXPECT_TRUE(d.push_consumers);

    append("configuration.properties",
           "websocket.ping.interval=20\n"  // a bare number is seconds: idle 3 × 20 s
           "websocket.max.message.size=1MiB\n"
           "websocket.max.lifetime=0\n"
           "websocket.push.debounce=250\n"
           "websocket.push.consumers.enabled=false\n");
    auto w = load_worker_config(dir).websocket;
    EXPECT_EQ(w.ping_interval, milliseconds(20000));
    EXPECT_EQ(w.idle_timeout, milliseconds(60000));
    EXPECT_EQ(w.max_message_size, 1u << 20);
    EXPECT_EQ(w.max_lifetime, milliseconds(0));
    EXPECT_EQ(w.push_debounce, milliseconds(250));
    EXPECT_FALSE(w.push_consumers);
    EXPECT_FALSE(w.redis_event_bus_keys);

    write("redis.properties", "redisURL=redis://127.0.0.1:6379\neventBus.redis.timeout=10s\n");
    EXPECT_TRUE(load_worker_config(dir).websocket.redis_event_bus_keys);
}

TEST_F(WorkerConfigLoader, TheLargestUploadIsReadAndBounded) {
    EXPECT_EQ(load_worker_config(dir).upload_max_file_size, 15LL << 20);
    append("configuration.properties", "upload.max.file.size=2MiB\n");
    EXPECT_EQ(load_worker_config(dir).upload_max_file_size, 2LL << 20);
    write("configuration.properties",
          kMinimal.at("configuration.properties") + "upload.max.file.size=16MiB\n");
    EXPECT_NE(refusal().find("upload.max.file.size"), std::string::npos);
}

TEST_F(WorkerConfigLoader, WebSocketLimitsAreChecked) {
    append("configuration.properties", "websocket.ping.interval=0\n");
    EXPECT_NE(refusal().find("websocket.ping.interval"), std::string::npos);
    write("configuration.properties",
          kMinimal.at("configuration.properties") +
              "websocket.ping.interval=10s\nwebsocket.idle.timeout=5s\n");
    EXPECT_NE(refusal().find("websocket.idle.timeout"), std::string::npos);
    write("configuration.properties",
          kMinimal.at("configuration.properties") + "websocket.max.message.size=12\n");
    EXPECT_NE(refusal().find("websocket.max.message.size"), std::string::npos);
    write("configuration.properties",
          kMinimal.at("configuration.properties") + "websocket.max.connections=0\n");
    EXPECT_NE(refusal().find("websocket.max.connections"), std::string::npos);
}

TEST_F(WorkerConfigLoader, SeveralMongoHostsAreJoinedBack) {
    write("configuration.properties",
          "mongo.url=mongodb://a:27017,b:27017/?replicaSet=rs\n"
          "dav.url=http://127.0.0.1:8001\ndav.admin.user=admin\ndav.admin.password=secret\n");
    EXPECT_EQ(load_worker_config(dir).mongo_url, "mongodb://a:27017,b:27017/?replicaSet=rs");
}

TEST_F(WorkerConfigLoader, UnknownKeysAreCollectedNotFatal) {
    append("configuration.properties", "mongo.uri=typo\n");
    WorkerConfig c = load_worker_config(dir);
    ASSERT_EQ(c.unknown_keys.size(), 1u);
    EXPECT_NE(c.unknown_keys[0].find("mongo.uri"), std::string::npos);
}

TEST_F(WorkerConfigLoader, OptionalFilesAreReadWhenPresent) {
    write("redis.properties", "redisURL=redis://127.0.0.1:6379\n");
    write("webadmin.properties", "enabled=true\nport=8000\npassword.generate=false\n");
    WorkerConfig c = load_worker_config(dir);
    ASSERT_TRUE(c.redis);
    EXPECT_TRUE(c.webadmin.enabled);
    EXPECT_EQ(c.webadmin.port, 8000);
}

TEST_F(WorkerConfigLoader, MistakesStopTheStartNamingWhatToFix) {
    EXPECT_EQ(refusal(), "");
    fs::remove(dir / "rabbitmq.properties");
    EXPECT_NE(refusal().find("rabbitmq.properties"), std::string::npos);
    write("rabbitmq.properties", "uri=amqp://guest:guest@127.0.0.1:5672\n");

    append("configuration.properties", "default.calendar.public.visibility=everyone\n");
    EXPECT_NE(refusal().find("'default.calendar.public.visibility': expected private or read"),
              std::string::npos);
}

TEST_F(WorkerConfigLoader, MandatoryKeysAndTheirForms) {
    write("configuration.properties", "mongo.url=mongodb://127.0.0.1:27017\n");
    EXPECT_NE(refusal().find("dav.url"), std::string::npos);
    write("configuration.properties",
          "mongo.url=mongodb://127.0.0.1:27017\ndav.url=http://127.0.0.1:8001\n"
          "dav.admin.user=admin\ndav.admin.password=secret\ndomains=not a domain\n");
    EXPECT_NE(refusal().find("'domains': 'not a domain' is not a domain name"), std::string::npos);
    write("configuration.properties",
          "mongo.url=mongodb://127.0.0.1:27017\ndav.url=http://127.0.0.1:8001\n"
          "dav.admin.user=admin\ndav.admin.password=secret\nlog.level=LOUD\n");
    EXPECT_NE(refusal().find("'log.level' = 'LOUD'"), std::string::npos);
    write("redis.properties", "redis.topology=cluster\nredisURL=redis://a:6379\n");
    write("configuration.properties", kMinimal.at("configuration.properties"));
    EXPECT_NE(refusal().find("'redis.topology' = 'cluster' is not supported yet"),
              std::string::npos);
}

TEST_F(WorkerConfigLoader, AMissingFolderIsRefused) {
    fs::remove_all(dir);
    EXPECT_NE(refusal().find("does not exist"), std::string::npos);
}

}  // namespace
}  // namespace twake::config
