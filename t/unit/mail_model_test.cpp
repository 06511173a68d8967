// The model of each mail kind and its rendering by the shipped templates (docs/mail.md §5, §6).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "mail_test_support.hpp"
#include "worker/mail/calendar_event.hpp"
#include "worker/mail/lead_time.hpp"
#include "worker/mail/mail_model.hpp"
#include "worker/mail/mail_templates.hpp"

namespace twake::mail {
namespace {

std::string render(const std::string& tmpl, const MailModel& model) {
    kainjow::mustache::mustache m(tmpl);
    m.set_custom_escape([](const std::string& s) { return s; });
    return m.render(model);
}

MailFacts invite_for(const std::string& email) {
    MailFacts facts;
    facts.kind = MailKind::Invite;
    facts.event = read_first_event(test::kInvitation);
    facts.recipient = Person{"", email, ""};
    facts.links.yes = "https://excal.example.com/?jwt=yes";
    return facts;
}

TEST(CalendarEvent, ReadsTheFirstEvent) {
    CalendarEvent e = read_first_event(test::kInvitation);
    EXPECT_EQ(e.uid, "meeting-1");
    EXPECT_EQ(e.summary, "Réunion d'équipe, budget");
    EXPECT_EQ(e.description, "Line one\nLine two");
    ASSERT_TRUE(e.organizer);
    EXPECT_EQ(e.organizer->name, "Élise Martin");
    EXPECT_EQ(e.organizer->email, "elise@example.com");
    ASSERT_EQ(e.attendees.size(), 2u);  // the duplicate Bob is dropped
    EXPECT_EQ(e.attendees[1].partstat, "NEEDS-ACTION");
    ASSERT_EQ(e.resources.size(), 1u);
    EXPECT_EQ(e.resources[0].name, "Salle Rivoli");
    EXPECT_EQ(e.video_conference_link, "https://jitsi.example.com/abc");
    using namespace std::chrono;
    EXPECT_EQ(e.start.instant, sys_days(2025y / June / 2) + hours(12) + minutes(30));
    ASSERT_TRUE(e.end);
    EXPECT_FALSE(e.all_day);
}

TEST(CalendarEvent, SetsTheMethod) {
    std::string cancel = with_method(test::kInvitation, "CANCEL");
    EXPECT_NE(cancel.find("METHOD:CANCEL"), std::string::npos);
    EXPECT_EQ(cancel.find("METHOD:REQUEST"), std::string::npos);
    EXPECT_THROW(read_first_event("not a calendar"), std::invalid_argument);
}

TEST(MailModel, InviteInTheRecipientsZone) {
    MailModel model = build_model(invite_for("bob@example.org"), {"fr", "America/New_York"});
    EXPECT_EQ(render("{{event.summary}}|{{event.organizer.display}}|{{event.start.time}}|"
                     "{{event.start.fullDate}}|{{event.location.value}}|{{event.resourcesJoined}}|"
                     "{{#links.participation}}links{{/links.participation}}",
                     model),
              "Réunion d'équipe, budget|Élise Martin|08:30|lundi 2 juin 2025|"
              "https://meet.example.com/room|Salle Rivoli|links");
}

TEST(MailModel, UpdateNamesOnlyWhatChanged) {
    MailFacts facts = invite_for("bob@example.org");
    facts.kind = MailKind::Update;
    facts.changes.summary = "Old title";
    MailModel model = build_model(facts, {"en", "UTC"});
    EXPECT_EQ(render("{{#changes.summary}}was {{previous}}{{/changes.summary}}"
                     "{{#changes.location}}moved{{/changes.location}}",
                     model),
              "was Old title");
}

TEST(MailModel, ReplyCarriesThePartstat) {
    MailFacts facts = invite_for("elise@example.com");
    facts.kind = MailKind::Reply;
    facts.actor = Person{"Bob Smith", "bob@example.org", "DECLINED"};
    facts.partstat = "DECLINED";
    MailModel model = build_model(facts, {"en", "UTC"});
    EXPECT_EQ(render("{{actor.display}} {{partstat}} {{#declined}}no{{/declined}}"
                     "{{#accepted}}yes{{/accepted}}",
                     model),
              "Bob Smith DECLINED no");
}

TEST(MailModel, ResourceReplyApproval) {
    MailFacts facts = invite_for("elise@example.com");
    facts.kind = MailKind::ResourceReply;
    facts.resource_name = "Salle Rivoli";
    facts.partstat = "ACCEPTED";
    EXPECT_EQ(
        render("{{resourceName}} {{#approved}}ok{{/approved}}", build_model(facts, {"en", "UTC"})),
        "Salle Rivoli ok");
    EXPECT_EQ(itip_method(MailKind::ResourceReply), std::nullopt);
    EXPECT_EQ(itip_method(MailKind::Update), "REQUEST");
}

TEST(MailModel, AlarmSaysHowLongUntilTheStart) {
    MailFacts facts = invite_for("bob@example.org");
    facts.kind = MailKind::Alarm;
    facts.time_until_start = std::chrono::minutes(65);
    EXPECT_EQ(render("{{duration}}", build_model(facts, {"en", "UTC"})), "1 hour 5 minutes");
    EXPECT_EQ(render("{{duration}}", build_model(facts, {"fr", "UTC"})), "1 heure 5 minutes");
    EXPECT_EQ(template_name(MailKind::Alarm), "event-alarm");
    EXPECT_EQ(itip_method(MailKind::Alarm), std::nullopt);
}

TEST(MailTemplates, ImportReportsInEnglishAndFrench) {
    MailTemplates templates("", test::shipped_templates());
    for (const char* lang : {"en", "fr"}) {
        MailFacts facts;
        facts.kind = MailKind::ImportCalendar;
        facts.recipient = Person{"", "bob@example.org", ""};
        facts.import_report.base_url = "https://calendar.example.com";
        facts.import_report.succeeded = 497;
        facts.import_report.failed = {{{"uid", "u1"}, {"summary", "Broken <one>"}, {"start", ""}},
                                      {{"uid", "u2"}}};
        RenderedMail mail = templates.render(facts.kind, lang, build_model(facts, {lang, "UTC"}));
        EXPECT_EQ(mail.language, lang);
        EXPECT_NE(mail.text.find("497"), std::string::npos) << mail.text;
        EXPECT_NE(mail.text.find("Broken <one>"), std::string::npos) << mail.text;
        EXPECT_NE(mail.text.find("u2"), std::string::npos);
        EXPECT_NE(mail.html.find("Broken &lt;one&gt;"), std::string::npos) << mail.html;
        EXPECT_NE(mail.html.find("https://calendar.example.com"), std::string::npos);
        EXPECT_EQ(mail.text.find("\n\n\n"), std::string::npos) << mail.text;

        facts.kind = MailKind::ImportContacts;
        facts.import_report.failed = {{{"email", "x@example.com"}}, {{"email", ""}}};
        mail = templates.render(facts.kind, lang, build_model(facts, {lang, "UTC"}));
        EXPECT_NE(mail.text.find("x@example.com"), std::string::npos) << mail.text;
        EXPECT_NE(mail.subject.find("contacts"), std::string::npos) << mail.subject;
    }
    EXPECT_EQ(template_name(MailKind::ImportCalendar), "import-calendar");
    EXPECT_EQ(template_name(MailKind::ImportContacts), "import-contacts");
}

TEST(LeadTime, DaysHoursAndMinutes) {
    using std::chrono::minutes;
    EXPECT_EQ(lead_time_text(minutes(1), "en"), "1 minute");
    EXPECT_EQ(lead_time_text(minutes(15), "en"), "15 minutes");
    EXPECT_EQ(lead_time_text(minutes(2 * 24 * 60 + 60), "en"), "2 days 1 hour");
    EXPECT_EQ(lead_time_text(minutes(24 * 60), "fr"), "1 jour");
    EXPECT_EQ(lead_time_text(minutes(-3), "en"), "0 minutes");
}

TEST(MailTemplates, EveryKindRendersInEnglishAndFrench) {
    MailTemplates templates("", test::shipped_templates());
    for (MailKind kind :
         {MailKind::Invite, MailKind::Update, MailKind::Cancel, MailKind::Reply, MailKind::Counter,
          MailKind::ResourceRequest, MailKind::ResourceReply, MailKind::Alarm}) {
        for (const char* lang : {"en", "fr"}) {
            MailFacts facts = invite_for("bob@example.org");
            facts.kind = kind;
            facts.actor = Person{"Bob Smith", "bob@example.org", ""};
            facts.partstat = "ACCEPTED";
            facts.resource_name = "Salle Rivoli";
            RenderedMail mail = templates.render(kind, lang, build_model(facts, {lang, "UTC"}));
            EXPECT_EQ(mail.language, lang);
            EXPECT_FALSE(mail.subject.empty()) << template_name(kind) << "/" << lang;
            EXPECT_EQ(mail.subject.find('\n'), std::string::npos);
            EXPECT_NE(mail.text.find("Réunion d'équipe, budget"), std::string::npos);
            // Optional lines that are absent leave no run of blank lines.
            EXPECT_EQ(mail.text.find("\n\n\n"), std::string::npos) << mail.text;
            EXPECT_FALSE(mail.text.ends_with("\n\n"));
            // HTML escapes values; plain text does not.
            EXPECT_NE(mail.html.find("Réunion d&apos;équipe, budget"), std::string::npos)
                << mail.html;
        }
    }
}

TEST(MailTemplates, FrenchInviteAndLanguageFallback) {
    MailTemplates templates("", test::shipped_templates());
    MailModel model = build_model(invite_for("bob@example.org"), {"fr", "Europe/Paris"});
    RenderedMail fr = templates.render(MailKind::Invite, "fr-CA", model);
    EXPECT_EQ(fr.language, "fr");
    EXPECT_NE(fr.subject.find("Invitation : "), std::string::npos);
    EXPECT_NE(fr.text.find("lundi 2 juin 2025"), std::string::npos);
    EXPECT_EQ(templates.language_for(MailKind::Invite, "vi"), "en");
}

TEST(MailTemplates, OperatorFolderOverridesOneFile) {
    auto dir = std::filesystem::temp_directory_path() / "twake-mail-templates-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "event-invite" / "en");
    std::ofstream(dir / "event-invite" / "en" / "subject.mustache") << "Custom {{event.uid}}\n";
    MailTemplates templates(dir, test::shipped_templates());
    RenderedMail mail =
        templates.render(MailKind::Invite, "en", build_model(invite_for("bob@example.org"), {}));
    EXPECT_EQ(mail.subject, "Custom meeting-1");
    EXPECT_NE(mail.html.find("<html"), std::string::npos);  // the installed one
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace twake::mail
