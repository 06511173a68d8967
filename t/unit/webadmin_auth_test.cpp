#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "worker/webadmin/webadmin_auth.hpp"

using twake::http::Request;
using twake::http::Target;
using twake::http::beast_http::verb;
using twake::webadmin::access_permits;
using twake::webadmin::AccessLevel;
using twake::webadmin::generate_password;
using twake::webadmin::is_public_route;
using twake::webadmin::PasswordAuthenticator;
using twake::webadmin::presented_secret;
using twake::webadmin::write_secret_file;

namespace {

Request request(verb method, const char* target) {
    Request r{method, target, 11};
    return r;
}

bool is_public(verb method, const char* target) {
    return is_public_route(method, *Target::parse(target));
}

PasswordAuthenticator authenticator() {
    return PasswordAuthenticator({"full-1", "full-2"}, {"nodelete"}, {"readonly", "shared"});
}

}  // namespace

TEST(WebadminAuth, AccessLevels) {
    for (verb m : {verb::get, verb::head, verb::post, verb::put, verb::delete_, verb::patch}) {
        EXPECT_TRUE(access_permits(AccessLevel::Full, m));
    }
    EXPECT_TRUE(access_permits(AccessLevel::NoDelete, verb::get));
    EXPECT_TRUE(access_permits(AccessLevel::NoDelete, verb::put));
    EXPECT_TRUE(access_permits(AccessLevel::NoDelete, verb::post));
    EXPECT_FALSE(access_permits(AccessLevel::NoDelete, verb::delete_));
    EXPECT_TRUE(access_permits(AccessLevel::ReadOnly, verb::get));
    EXPECT_TRUE(access_permits(AccessLevel::ReadOnly, verb::head));
    EXPECT_FALSE(access_permits(AccessLevel::ReadOnly, verb::post));
    EXPECT_FALSE(access_permits(AccessLevel::ReadOnly, verb::put));
    EXPECT_FALSE(access_permits(AccessLevel::ReadOnly, verb::delete_));
}

TEST(WebadminAuth, PublicRoutesAreExactlyTheUpstreamOnes) {
    EXPECT_TRUE(is_public(verb::get, "/healthcheck"));
    EXPECT_TRUE(is_public(verb::get, "/healthcheck?check=Redis"));
    EXPECT_TRUE(is_public(verb::head, "/healthcheck"));
    EXPECT_TRUE(is_public(verb::get, "/healthcheck/checks"));
    EXPECT_TRUE(is_public(verb::get, "/healthcheck/checks/RabbitMQ%20backend"));
    EXPECT_TRUE(is_public(verb::get, "/%68ealthcheck"));  // decoded as the router decodes
    EXPECT_TRUE(is_public(verb::get, "/metrics"));
    EXPECT_TRUE(is_public(verb::post, "/add-revoked-token"));

    EXPECT_FALSE(is_public(verb::get, "/healthcheck/checks/"));
    EXPECT_FALSE(is_public(verb::get, "/healthcheck/checks/a/b"));
    EXPECT_FALSE(is_public(verb::post, "/healthcheck"));
    EXPECT_FALSE(is_public(verb::delete_, "/metrics"));
    EXPECT_FALSE(is_public(verb::get, "/add-revoked-token"));
    EXPECT_FALSE(is_public(verb::post, "/add-revoked-token/x"));
    EXPECT_FALSE(is_public(verb::get, "/users"));
    EXPECT_FALSE(is_public(verb::get, "/healthcheck/../users"));
    EXPECT_FALSE(is_public(verb::get, "/metrics/"));
}

TEST(WebadminAuth, SecretFromPasswordHeaderThenBearer) {
    Request r = request(verb::get, "/users");
    EXPECT_FALSE(presented_secret(r));
    r.set("Authorization", "Bearer  tok-1 ");
    EXPECT_EQ(presented_secret(r), "tok-1");
    r.set("Authorization", "bearer tok-2");
    EXPECT_EQ(presented_secret(r), "tok-2");
    r.set("Password", "from-header");
    EXPECT_EQ(presented_secret(r), "from-header");
    r.set("Password", "");
    EXPECT_EQ(presented_secret(r), "tok-2");
    r.set("Authorization", "Basic dXNlcjpwYXNz");
    EXPECT_FALSE(presented_secret(r));
    r.set("Authorization", "Bearer ");
    EXPECT_FALSE(presented_secret(r));
}

TEST(WebadminAuth, HighestLevelWins) {
    PasswordAuthenticator both({"x"}, {}, {"x"});
    EXPECT_EQ(both.level_of("x"), AccessLevel::Full);
    auto a = authenticator();
    EXPECT_EQ(a.level_of("full-2"), AccessLevel::Full);
    EXPECT_EQ(a.level_of("nodelete"), AccessLevel::NoDelete);
    EXPECT_EQ(a.level_of("shared"), AccessLevel::ReadOnly);
    EXPECT_FALSE(a.level_of("full"));
    EXPECT_FALSE(a.level_of("full-1 "));
    EXPECT_FALSE(a.level_of(""));
}

TEST(WebadminAuth, AnswersOfTheFilter) {
    auto a = authenticator();
    Request r = request(verb::put, "/domains/example.com");
    auto refused = a.check(r);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->result_int(), 401u);
    EXPECT_NE(refused->body().find("\"message\":\"No Password in header.\""), std::string::npos);
    EXPECT_NE(refused->body().find("\"statusCode\":401"), std::string::npos);

    r.set("Password", "guess");
    refused = a.check(r);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->result_int(), 401u);
    EXPECT_NE(refused->body().find("Wrong password."), std::string::npos);
    EXPECT_EQ(refused->body().find("guess"), std::string::npos);

    r.set("Password", "readonly");
    refused = a.check(r);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->result_int(), 403u);
    EXPECT_NE(refused->body().find("Insufficient permissions for this operation."),
              std::string::npos);

    r.set("Password", "nodelete");
    EXPECT_FALSE(a.check(r));
    Request del = request(verb::delete_, "/users/a@example.com");
    del.set("Password", "nodelete");
    ASSERT_TRUE(a.check(del));
    EXPECT_EQ(a.check(del)->result_int(), 403u);
    del.set("Password", "full-1");
    EXPECT_FALSE(a.check(del));
}

TEST(WebadminAuth, PublicRoutesAndPreflightsAreNotChecked) {
    auto a = authenticator();
    EXPECT_FALSE(a.check(request(verb::get, "/healthcheck")));
    EXPECT_FALSE(a.check(request(verb::get, "/metrics")));
    EXPECT_FALSE(a.check(request(verb::post, "/add-revoked-token")));
    EXPECT_FALSE(a.check(request(verb::options, "/users")));
    Request bad_password = request(verb::get, "/healthcheck");
    bad_password.set("Password", "wrong");
    EXPECT_FALSE(a.check(bad_password));
    EXPECT_TRUE(a.check(request(verb::get, "/%zz")));  // unparseable: private
}

TEST(WebadminAuth, GeneratedPasswordsAreLongAndRandom) {
    std::set<std::string> seen;
    for (int i = 0; i < 20; ++i) {
        std::string p = generate_password();
        EXPECT_EQ(p.size(), 43u);
        seen.insert(p);
    }
    EXPECT_EQ(seen.size(), 20u);
}

TEST(WebadminAuth, SecretFileIsOwnerOnlyAndReplacesWhatWasThere) {
    auto dir = std::filesystem::temp_directory_path() /
               ("webadmin-auth-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto file = dir / "sub" / "webadmin.password";
    write_secret_file(file, "first");
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat(file.parent_path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);

    // A symlink planted at the path is replaced, its target left untouched.
    auto target = dir / "target";
    std::ofstream(target) << "untouched";
    std::filesystem::remove(file);
    std::filesystem::create_symlink(target, file);
    write_secret_file(file, "second");
    EXPECT_FALSE(std::filesystem::is_symlink(file));
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "second");
    std::ifstream t(target);
    std::getline(t, line);
    EXPECT_EQ(line, "untouched");
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    std::filesystem::remove_all(dir);
}
