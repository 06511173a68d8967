#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "worker/booking/attendee_partstat.hpp"

using twake::booking::PartstatEdit;
using twake::booking::set_attendee_partstat;
using Outcome = PartstatEdit::Outcome;

namespace {

const std::string kRoom = "6620a1b2c3d4e5f601234567@example.com";
const std::chrono::sys_seconds kAnswered{std::chrono::seconds(1767225600)};  // 2026-01-01

std::string calendar(const std::string& events) {
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n" + events +
           "END:VCALENDAR\r\n";
}

std::string event(const std::string& extra, const std::string& room_partstat = "NEEDS-ACTION") {
    return "BEGIN:VEVENT\r\nUID:booking-1\r\nDTSTAMP:20300101T000000Z\r\n"
           "DTSTART:20300419T110000Z\r\nDTEND:20300419T113000Z\r\nSUMMARY:Planning\r\n"
           "ORGANIZER;CN=Alice:mailto:alice@example.com\r\n"
           "ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com\r\n"
           "ATTENDEE;CUTYPE=RESOURCE;PARTSTAT=" +
           room_partstat + ";RSVP=TRUE;CN=Blue room:MAILTO:" + kRoom + "\r\n" + extra +
           "END:VEVENT\r\n";
}

std::string unfolded(const std::string& ical) {
    std::string out;
    for (size_t i = 0; i < ical.size(); ++i) {
        if (ical.compare(i, 3, "\r\n ") == 0) {
            i += 2;
        } else {
            out += ical[i];
        }
    }
    return out;
}

// The unfolded ATTENDEE lines naming the room.
int room_lines_with(const std::string& ical, const std::string& text) {
    const std::string lines = unfolded(ical);
    int count = 0;
    for (size_t at = 0; (at = lines.find(kRoom, at)) != std::string::npos; at += kRoom.size()) {
        size_t line = lines.rfind("\r\n", at);
        if (lines.compare(line + 2, 8, "ATTENDEE") == 0 &&
            lines.substr(line, at - line).find(text) != std::string::npos) {
            ++count;
        }
    }
    return count;
}

}  // namespace

TEST(AttendeePartstat, SetsTheResourcesParticipationAndKeepsTheRest) {
    PartstatEdit edit = set_attendee_partstat(calendar(event("LOCATION:Room 2\r\n")),
                                              "6620A1B2C3D4E5F601234567@Example.com", "ACCEPTED");
    ASSERT_EQ(edit.outcome, Outcome::Changed);
    EXPECT_EQ(room_lines_with(edit.ical, "PARTSTAT=ACCEPTED"), 1);
    EXPECT_EQ(room_lines_with(edit.ical, "NEEDS-ACTION"), 0);
    EXPECT_EQ(room_lines_with(edit.ical, "CUTYPE=RESOURCE"), 1);
    EXPECT_NE(edit.ical.find("ORGANIZER;CN=Alice:mailto:alice@example.com"), std::string::npos);
    EXPECT_NE(edit.ical.find("LOCATION:Room 2"), std::string::npos);
    EXPECT_NE(edit.ical.find("UID:booking-1"), std::string::npos);
    EXPECT_EQ(edit.ical.find("SEQUENCE"), std::string::npos);  // the organizer's to change
}

TEST(AttendeePartstat, EveryInstanceListingTheResourceIsAnswered) {
    std::string master = event("RRULE:FREQ=WEEKLY;COUNT=4\r\n");
    std::string moved = event("RECURRENCE-ID:20300426T110000Z\r\n");
    PartstatEdit edit = set_attendee_partstat(calendar(master + moved), kRoom, "DECLINED");
    ASSERT_EQ(edit.outcome, Outcome::Changed);
    EXPECT_EQ(room_lines_with(edit.ical, "PARTSTAT=DECLINED"), 2);
}

TEST(AttendeePartstat, NothingToWrite) {
    EXPECT_EQ(set_attendee_partstat(calendar(event("", "ACCEPTED")), kRoom, "ACCEPTED").outcome,
              Outcome::Unchanged);
    EXPECT_EQ(
        set_attendee_partstat(calendar(event("STATUS:CANCELLED\r\n")), kRoom, "ACCEPTED").outcome,
        Outcome::Cancelled);
    EXPECT_EQ(set_attendee_partstat(calendar(event("")), "other@example.com", "ACCEPTED").outcome,
              Outcome::NotAnAttendee);
}

TEST(AttendeePartstat, RefusesWhatIsNoEvent) {
    EXPECT_THROW(set_attendee_partstat("not a calendar", kRoom, "ACCEPTED"), std::invalid_argument);
    EXPECT_THROW(set_attendee_partstat(calendar(""), kRoom, "ACCEPTED"), std::invalid_argument);
    EXPECT_THROW(set_attendee_partstat(calendar(event("")), kRoom, "MAYBE"), std::invalid_argument);
}

TEST(AttendeeAnswer, SetsThePartstatInTheFirstEventAsANewRevision) {
    std::string master = event("RRULE:FREQ=WEEKLY;COUNT=4\r\nSEQUENCE:2\r\n");
    std::string moved = event("RECURRENCE-ID:20300426T110000Z\r\n");
    PartstatEdit edit = twake::booking::answer_in_first_event(calendar(master + moved), kRoom,
                                                              "TENTATIVE", kAnswered);
    ASSERT_EQ(edit.outcome, Outcome::Changed);
    EXPECT_EQ(room_lines_with(edit.ical, "PARTSTAT=TENTATIVE"), 1) << "the override keeps its own";
    EXPECT_EQ(room_lines_with(edit.ical, "PARTSTAT=NEEDS-ACTION"), 1);
    std::string text = unfolded(edit.ical);
    EXPECT_NE(text.find("SEQUENCE:3\r\n"), std::string::npos);
    EXPECT_NE(text.find("DTSTAMP:20260101T000000Z\r\n"), std::string::npos);
    EXPECT_NE(text.find("DTSTAMP:20300101T000000Z\r\n"), std::string::npos) << "the override's";
}

TEST(AttendeeAnswer, AnEventWithoutSequenceGetsSequenceOne) {
    PartstatEdit edit =
        twake::booking::answer_in_first_event(calendar(event("")), kRoom, "ACCEPTED", kAnswered);
    ASSERT_EQ(edit.outcome, Outcome::Changed);
    EXPECT_NE(edit.ical.find("SEQUENCE:1\r\n"), std::string::npos);
}

TEST(AttendeeAnswer, TheSameAnswerTwiceWritesNothing) {
    EXPECT_EQ(twake::booking::answer_in_first_event(calendar(event("", "DECLINED")), kRoom,
                                                    "DECLINED", kAnswered)
                  .outcome,
              Outcome::Unchanged);
    // Listed only in an override: the first VEVENT does not list it.
    std::string master =
        "BEGIN:VEVENT\r\nUID:booking-1\r\nDTSTAMP:20300101T000000Z\r\n"
        "DTSTART:20300419T110000Z\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n";
    std::string moved = event("RECURRENCE-ID:20300426T110000Z\r\n");
    EXPECT_EQ(twake::booking::answer_in_first_event(calendar(master + moved), kRoom, "ACCEPTED",
                                                    kAnswered)
                  .outcome,
              Outcome::NotAnAttendee);
    EXPECT_EQ(twake::booking::answer_in_first_event(calendar(event("STATUS:CANCELLED\r\n")), kRoom,
                                                    "ACCEPTED", kAnswered)
                  .outcome,
              Outcome::Cancelled);
}
