// The checks of POST /api/files and POST /api/import (docs/reference/rest-api.md §17).

#include <gtest/gtest.h>

#include "worker/errors/invalid_input.hpp"
#include "worker/imports/import_request.hpp"
#include "worker/imports/upload_request.hpp"

namespace twake::imports {
namespace {

std::string refusal(const std::function<void()>& f) {
    try {
        f();
    } catch (const errors::InvalidInput& e) {
        return e.what();
    }
    return "";
}

TEST(UploadRequest, UpstreamsRefusals) {
    const int64_t limit = 1000;
    auto parse = [&](std::optional<std::string> n, std::optional<std::string> s,
                     std::optional<std::string> m) {
        return refusal([&] { parse_upload_request(n, s, m, limit); });
    };
    EXPECT_EQ(parse(std::nullopt, "1", "text/calendar"), "Missing name param");
    EXPECT_EQ(parse("  ", "1", "text/calendar"), "Missing name param");
    EXPECT_EQ(parse("a.ics", std::nullopt, "text/calendar"), "Missing size param");
    EXPECT_EQ(parse("a.ics", "12x", "text/calendar"), "Invalid size param: 12x");
    EXPECT_EQ(parse("a.ics", "-1", "text/calendar"), "Invalid size param: -1");
    EXPECT_EQ(parse("a.ics", "1", std::nullopt), "Missing mimetype param");
    EXPECT_EQ(parse("a.ics", "1", "text/plain"), "Unknown uploaded MIME type: text/plain");
    EXPECT_EQ(parse("a.ics", "1001", "text/calendar"), "File size exceeds user total upload limit");
    UploadRequest r = parse_upload_request("a.vcf", "10", "TEXT/VCard", limit);
    EXPECT_EQ(r.mime_type, "text/vcard");
    EXPECT_EQ(r.declared_size, 10);
}

TEST(UploadRequest, TheFileOfAMultipartBody) {
    std::string body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.ics\"\r\n"
        "Content-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n\r\n--XyZ--\r\n";
    EXPECT_EQ(uploaded_content(body, "multipart/form-data; boundary=XyZ"),
              "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    EXPECT_EQ(uploaded_content(body, "Multipart/Form-Data; boundary=\"XyZ\""),
              "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    EXPECT_EQ(uploaded_content("raw", "text/calendar"), "raw");
    EXPECT_THROW(uploaded_content(body, "multipart/form-data"), errors::InvalidInput);
}

TEST(UploadRequest, EvictsTheOldestUntilTheFileFits) {
    std::vector<store::UploadedFile> files(3);
    files[0].id = "old";
    files[0].size = 400;
    files[1].id = "mid";
    files[1].size = 300;
    files[2].id = "new";
    files[2].size = 200;
    EXPECT_TRUE(uploads_to_evict(files, 1000, 100).empty());  // 900 + 100 fits
    EXPECT_EQ(uploads_to_evict(files, 1000, 101), std::vector<std::string>{"old"});
    EXPECT_EQ(uploads_to_evict(files, 1000, 600), (std::vector<std::string>{"old", "mid"}));
}

TEST(ImportRequest, BodyAndTarget) {
    EXPECT_EQ(refusal([] { parse_import_request("{\"target\":\"/calendars/a/b.json\"}"); }),
              "fileId must be present");
    EXPECT_EQ(refusal([] { parse_import_request("{\"fileId\":\"f\"}"); }),
              "target must be present");
    EXPECT_FALSE(refusal([] { parse_import_request("{"); }).empty());
    ImportTarget t = parse_import_target("/calendars/home1/cal1.json");
    EXPECT_FALSE(t.address_book);
    EXPECT_EQ(t.home, "home1");
    EXPECT_EQ(t.collection, "cal1");
    t = parse_import_target("/addressbooks/home1/contacts.json");
    EXPECT_TRUE(t.address_book);
    EXPECT_EQ(t.collection, "contacts");
    for (const char* bad : {"/calendars/home1", "calendars/a/b/c", "/files/a/b.json",
                            "/calendars//b.json", "/calendars/../b.json"}) {
        EXPECT_EQ(refusal([&] { parse_import_target(bad); }), "Invalid target path") << bad;
    }
}

}  // namespace
}  // namespace twake::imports
