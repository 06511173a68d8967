#pragma once

// The mail templates: Mustache files, one folder per mail kind and language, looked up in the
// operator's folder before the installed one (docs/mail.md §6).

#include <filesystem>
#include <stdexcept>
#include <string>

#include "worker/mail/mail_model.hpp"

namespace twake::mail {

// A template file missing in every folder, or unreadable, or invalid Mustache.
class TemplateError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct RenderedMail {
    std::string subject;   // one line
    std::string text;      // plain-text part
    std::string html;      // HTML part
    std::string language;  // the language of the files used
};

class MailTemplates {
  public:
    // `overrides` may be empty (no operator folder).
    MailTemplates(std::filesystem::path overrides, std::filesystem::path defaults);

    // Language fallback: the tag itself (fr-CA), its language (fr), then English.
    RenderedMail render(MailKind kind, const std::string& language, const MailModel& model) const;

    // The language whose files would be used.
    std::string language_for(MailKind kind, const std::string& language) const;

  private:
    std::filesystem::path find(MailKind kind, const std::string& language, const char* file) const;

    std::filesystem::path overrides_;
    std::filesystem::path defaults_;
};

}  // namespace twake::mail
