// Test tool, never installed: renders one calendar mail with the worker's mail library and
// sends it through the SMTP sender, so that t/integration/test_mail_smtp.py can read it back
// from the stack's SMTP listener (docs/mail.md §8).
//
// send-test-mail --smtp HOST:PORT --templates DIR --kind invite --ics FILE
//                --to EMAIL [--to-name NAME] [--language fr] [--timezone Europe/Paris]
//                [--sender noreply@example.com] [--whitelist a@x,b@y]
//                [--security plain|starttls|tls] [--user U --password P] [--trust-all true]

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "worker/mail/calendar_event.hpp"
#include "worker/mail/mail_composer.hpp"
#include "worker/mail/smtp_sender.hpp"
#include "worker/net/http_client.hpp"

namespace {

using namespace twake::mail;

MailKind kind_named(const std::string& name) {
    static const std::map<std::string, MailKind> kinds = {
        {"invite", MailKind::Invite},
        {"update", MailKind::Update},
        {"cancel", MailKind::Cancel},
        {"reply", MailKind::Reply},
        {"counter", MailKind::Counter},
        {"resource-request", MailKind::ResourceRequest},
        {"resource-reply", MailKind::ResourceReply},
        {"alarm", MailKind::Alarm},
    };
    auto it = kinds.find(name);
    if (it == kinds.end()) {
        throw std::invalid_argument("unknown mail kind " + name);
    }
    return it->second;
}

std::vector<std::string> split(const std::string& list) {
    std::vector<std::string> out;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');) {
        if (!item.empty()) {
            out.push_back(item);
        }
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::map<std::string, std::string> args = {{"--language", "en"},
                                                   {"--timezone", "UTC"},
                                                   {"--sender", "noreply@example.com"},
                                                   {"--kind", "invite"}};
        for (int i = 1; i + 1 < argc; i += 2) {
            args[argv[i]] = argv[i + 1];
        }
        for (const char* required : {"--smtp", "--templates", "--ics", "--to"}) {
            if (!args.contains(required)) {
                throw std::invalid_argument(std::string(required) + " is required");
            }
        }
        std::ifstream in(args["--ics"], std::ios::binary);
        std::string ics((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

        MailFacts facts;
        facts.kind = kind_named(args["--kind"]);
        facts.event = read_first_event(ics);
        facts.recipient = Person{args["--to-name"], args["--to"], ""};
        facts.actor = facts.recipient;
        facts.partstat = "ACCEPTED";
        MailTemplates templates("", args["--templates"]);
        ComposedMail mail =
            compose_mail(templates, facts, MailLocale{args["--language"], args["--timezone"]}, ics,
                         args["--sender"]);

        SmtpConfig smtp;
        const std::string& address = args["--smtp"];
        smtp.host = address.substr(0, address.rfind(':'));
        smtp.port = std::stoi(address.substr(address.rfind(':') + 1));
        smtp.helo = "send-test-mail.localhost";
        if (args["--security"] == "starttls") {
            smtp.security = SmtpSecurity::StartTls;
        } else if (args["--security"] == "tls") {
            smtp.security = SmtpSecurity::ImplicitTls;
        }
        if (args.contains("--user")) {
            smtp.username = args["--user"];
            smtp.password = args["--password"];
        }
        smtp.trust_all_certificates = args["--trust-all"] == "true";
        smtp.command_timeout = std::chrono::seconds(5);
        twake::net::CurlGlobal curl;
        SmtpSender sender(smtp, RecipientWhitelist(split(args["--whitelist"])));
        SendOutcome outcome = sender.send(mail.envelope, build_mime(mail.message));
        std::cout << (outcome == SendOutcome::Sent ? "sent" : "skipped") << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "send-test-mail: " << e.what() << "\n";
        return 1;
    }
}
