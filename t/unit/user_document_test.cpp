#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "worker/store/user_document.hpp"

using namespace twake::store;

namespace {

constexpr const char* kUser = "5f0000000000000000000001";
constexpr const char* kOldDomain = "5f00000000000000000000d1";
constexpr const char* kNewDomain = "5f00000000000000000000d2";
constexpr const char* kOtherDomain = "5f00000000000000000000d3";

Bson parse(const std::string& json) {
    bson_error_t error;
    bson_t* doc = bson_new_from_json(reinterpret_cast<const uint8_t*>(json.data()),
                                     static_cast<ssize_t>(json.size()), &error);
    EXPECT_NE(doc, nullptr) << error.message;
    return Bson(doc);
}

std::string oid(const char* hex) {
    return std::string(R"({"$oid":")") + hex + R"("})";
}

std::vector<std::string> keys(const bson_t* doc) {
    std::vector<std::string> out;
    bson_iter_t it;
    if (bson_iter_init(&it, doc)) {
        while (bson_iter_next(&it)) {
            out.emplace_back(bson_iter_key(&it));
        }
    }
    return out;
}

// The `$set` document of an update.
Bson set_of(const Bson& update) {
    bson_iter_t it;
    EXPECT_TRUE(bson_iter_init_find(&it, update.get(), "$set"));
    uint32_t length = 0;
    const uint8_t* data = nullptr;
    bson_iter_document(&it, &length, &data);
    return Bson(bson_new_from_data(data, length));
}

// A stored user: a twitter account first, then an e-mail account whose preferred address is
// the second, members of the old domain and of another one.
Bson stored_user() {
    return parse(std::string(R"({"_id":)") + oid(kUser) +
                 R"(,"firstname":"Alice","lastname":"Liddell","accounts":[)"
                 R"({"type":"twitter","data":{"id":"42"}},)"
                 R"({"type":"email","hosted":true,"preferredEmailIndex":1,)"
                 R"("emails":["old@old.example","Alice@Old.Example"]}],"domains":[)"
                 R"({"domain_id":)" +
                 oid(kOtherDomain) + R"(,"joined":1},{"domain_id":)" + oid(kOldDomain) +
                 R"(,"joined":2}]})");
}

}  // namespace

TEST(UserDocument, SplitsFirstNames) {
    EXPECT_EQ(split_first_names(" Alice  Marie "), (std::vector<std::string>{"Alice", "Marie"}));
    EXPECT_TRUE(split_first_names("   ").empty());
}

TEST(UserDocument, ProjectionNeverReadsThePassword) {
    Bson projection = user_projection();
    EXPECT_FALSE(get_int(projection.get(), "projection.password").has_value());
    EXPECT_EQ(get_int(projection.get(), "projection.accounts"), 1);
    EXPECT_EQ(get_int(projection.get(), "projection.email"), 1);
}

TEST(UserDocument, PreferredEmailIsTheFirstEmailAccountsPreferredAddress) {
    Bson doc = stored_user();
    EXPECT_EQ(preferred_email(doc.get()), "alice@old.example");
}

TEST(UserDocument, PreferredEmailFallsBackToTheFirstAddress) {
    Bson doc = parse(
        R"({"accounts":[{"type":"email","preferredEmailIndex":5,"emails":["A@x.example"]}]})");
    EXPECT_EQ(preferred_email(doc.get()), "A@x.example");
    Bson none = parse(R"({"accounts":[{"type":"twitter","emails":["a@x.example"]}]})");
    EXPECT_FALSE(preferred_email(none.get()).has_value());
    Bson empty = parse("{}");
    EXPECT_FALSE(preferred_email(empty.get()).has_value());
}

TEST(UserDocument, ReadsAUser) {
    Bson doc = stored_user();
    auto user = read_user(doc.get(), std::nullopt);
    ASSERT_TRUE(user.has_value());
    EXPECT_EQ(user->id, kUser);
    EXPECT_EQ(user->email, "alice@old.example");
    EXPECT_EQ(user->firstname, "Alice");
    EXPECT_EQ(user->lastname, "Liddell");
    EXPECT_EQ(user->domain_id, kOtherDomain);
    // Found by another of its addresses: that one is the user's `email`.
    EXPECT_EQ(read_user(doc.get(), std::string("old@old.example"))->email, "old@old.example");
}

TEST(UserDocument, ReadsNoUserWithoutAnIdOrAnAddress) {
    Bson no_id = parse(R"({"accounts":[{"type":"email","emails":["a@x.example"]}]})");
    EXPECT_FALSE(read_user(no_id.get(), std::nullopt).has_value());
    Bson no_address = parse(std::string(R"({"_id":)") + oid(kUser) + "}");
    EXPECT_FALSE(read_user(no_address.get(), std::nullopt).has_value());
}

TEST(UserDocument, NewUserDocumentInUpstreamsOrder) {
    bson_oid_t id = *parse_oid(kUser);
    bson_oid_t domain = *parse_oid(kNewDomain);
    Bson doc = new_user_document(id, "alice@new.example", "Alice Marie", "Liddell", domain, "pw");
    EXPECT_EQ(keys(doc.get()),
              (std::vector<std::string>{"_id", "firstname", "lastname", "firstnames", "password",
                                        "email", "domains", "accounts"}));
    EXPECT_EQ(get_oid(doc.get(), "_id"), kUser);
    EXPECT_EQ(get_string(doc.get(), "firstnames.1"), "Marie");
    EXPECT_EQ(get_string(doc.get(), "password"), "pw");
    EXPECT_EQ(get_oid(doc.get(), "domains.0.domain_id"), kNewDomain);
    EXPECT_EQ(get_string(doc.get(), "accounts.0.type"), "email");
    EXPECT_EQ(get_string(doc.get(), "accounts.0.emails.0"), "alice@new.example");
    EXPECT_EQ(read_user(doc.get(), std::nullopt)->email, "alice@new.example");
}

TEST(UserDocument, UpdateReplacesThePreferredAddressAndTheOldMembership) {
    Bson stored = stored_user();
    Bson set = set_of(user_update(stored.get(), std::string(kOldDomain), kNewDomain,
                                  "alice@new.example", "Alicia", "L"));
    EXPECT_EQ(get_string(set.get(), "firstname"), "Alicia");
    EXPECT_EQ(get_string(set.get(), "lastname"), "L");
    EXPECT_EQ(get_string(set.get(), "firstnames.0"), "Alicia");
    EXPECT_EQ(get_string(set.get(), "email"), "alice@new.example");
    // Accounts: the twitter one kept, the e-mail one's preferred address replaced, the other
    // address and the sub-fields kept.
    EXPECT_EQ(get_string(set.get(), "accounts.0.data.id"), "42");
    EXPECT_EQ(get_string(set.get(), "accounts.1.emails.0"), "old@old.example");
    EXPECT_EQ(get_string(set.get(), "accounts.1.emails.1"), "alice@new.example");
    EXPECT_EQ(get_bool(set.get(), "accounts.1.hosted"), true);
    // Domains: the other membership kept in place, the old one replaced by the new one.
    EXPECT_EQ(get_oid(set.get(), "domains.0.domain_id"), kOtherDomain);
    EXPECT_EQ(get_int(set.get(), "domains.0.joined"), 1);
    EXPECT_EQ(get_oid(set.get(), "domains.1.domain_id"), kNewDomain);
    EXPECT_FALSE(get_oid(set.get(), "domains.2.domain_id").has_value());
}

TEST(UserDocument, UpdateAddsAMissingEmailAccountAndPutsANewMembershipFirst) {
    Bson stored =
        parse(std::string(R"({"accounts":[{"type":"twitter"}],"domains":[{"domain_id":)") +
              oid(kOtherDomain) + "}]}");
    Bson set = set_of(
        user_update(stored.get(), std::nullopt, kNewDomain, "alice@new.example", "Alice", "L"));
    EXPECT_EQ(get_string(set.get(), "accounts.0.type"), "twitter");
    EXPECT_EQ(get_string(set.get(), "accounts.1.type"), "email");
    EXPECT_EQ(get_string(set.get(), "accounts.1.emails.0"), "alice@new.example");
    EXPECT_EQ(get_oid(set.get(), "domains.0.domain_id"), kNewDomain);
    EXPECT_EQ(get_oid(set.get(), "domains.1.domain_id"), kOtherDomain);
}

TEST(UserDocument, UpdateIntoADomainAlreadyJoinedDropsTheOldMembership) {
    Bson stored = parse(std::string(R"({"domains":[{"domain_id":)") + oid(kOldDomain) +
                        R"(},{"domain_id":)" + oid(kNewDomain) + "}]}");
    Bson set = set_of(user_update(stored.get(), std::string(kOldDomain), kNewDomain,
                                  "alice@new.example", "Alice", "L"));
    EXPECT_EQ(get_oid(set.get(), "domains.0.domain_id"), kNewDomain);
    EXPECT_FALSE(get_oid(set.get(), "domains.1.domain_id").has_value());
}

TEST(UserDocument, UpdateGuardHoldsWhatWasRead) {
    Bson stored = parse(R"({"accounts":[{"type":"email","emails":["a@x.example"]}]})");
    Bson guard = update_guard(*parse_oid(kUser), stored.get());
    EXPECT_EQ(keys(guard.get()), (std::vector<std::string>{"_id", "accounts", "domains"}));
    EXPECT_EQ(get_oid(guard.get(), "_id"), kUser);
    EXPECT_EQ(get_string(guard.get(), "accounts.0.emails.0"), "a@x.example");
    EXPECT_EQ(get_bool(guard.get(), "domains.$exists"), false);
}

TEST(UserDocument, MissingFieldsUpdate) {
    Bson doc = parse(
        R"({"firstname":"Alice  Marie","accounts":[{"type":"email","emails":["A@x.example"]}]})");
    Bson set = set_of(missing_fields_update(doc.get()));
    EXPECT_EQ(get_string(set.get(), "email"), "a@x.example");
    EXPECT_EQ(get_string(set.get(), "firstnames.1"), "Marie");
    Bson without_address = parse(R"({"firstname":"Bob"})");
    Bson other = set_of(missing_fields_update(without_address.get()));
    EXPECT_FALSE(get_string(other.get(), "email").has_value());
    EXPECT_EQ(get_string(other.get(), "firstnames.0"), "Bob");
}
