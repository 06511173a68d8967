// iCalendar text from users and the DAV server: parsing, the jCal writer, index documents,
// the mail's event reading, the alarm and scheduling arithmetic, the participation rewrite.

#include <chrono>
#include <stdexcept>
#include <string>

#include "t/fuzz/fuzz_target.hpp"
#include "worker/alarms/next_alarm.hpp"
#include "worker/booking/attendee_partstat.hpp"
#include "worker/ical/calendar.hpp"
#include "worker/ical/jcal_writer.hpp"
#include "worker/mail/calendar_event.hpp"
#include "worker/scheduling/occurrences.hpp"
#include "worker/search/event_document.hpp"

namespace ical = twake::ical;

TWAKE_FUZZ_TARGET(ics) {
    const std::string ics(input);
    const auto now = std::chrono::sys_seconds(std::chrono::seconds(1767225600));  // 2026-01-01
    twake::fuzz::refused_as<std::invalid_argument>([&] {
        ical::Component calendar = ical::parse_calendar(ics);
        (void)ical::to_jcal(calendar.get()).dump();
        (void)ical::serialize(calendar.get());
        for (icalcomponent* event : ical::vevents(calendar.get())) {
            (void)ical::text_of(event, ICAL_SUMMARY_PROPERTY);
            (void)ical::recurrence_id_text(event);
            (void)ical::is_recurring(event);
        }
        (void)twake::alarms::next_alarm(calendar.get(), "alice@example.com", now, now);
    });
    twake::fuzz::refused_as<twake::search::InvalidEventMessage>([&] {
        (void)twake::search::documents_of_object(
            twake::search::parse_event_path("/calendars/h/c/e.ics"), ics);
    });
    twake::fuzz::refused_as<std::invalid_argument>(
        [&] { (void)twake::mail::read_first_event(ics); });
    (void)twake::scheduling::is_over(ics, now);
    twake::fuzz::refused_as<std::invalid_argument>([&] {
        (void)twake::booking::answer_in_first_event(ics, "bob@example.com", "ACCEPTED", now);
    });
}
