#include "worker/mail/mail_templates.hpp"

#include <fstream>
#include <sstream>
#include <vector>

namespace twake::mail {

namespace {

std::vector<std::string> language_chain(const std::string& language) {
    std::vector<std::string> chain;
    if (!language.empty()) {
        chain.push_back(language);
        auto dash = language.find_first_of("-_");
        if (dash != std::string::npos) {
            chain.push_back(language.substr(0, dash));
        }
    }
    chain.push_back("en");
    return chain;
}

std::string read(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw TemplateError("cannot read mail template " + file.string());
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string render_file(const std::filesystem::path& file, const MailModel& model, bool html) {
    kainjow::mustache::mustache tmpl(read(file));
    if (!html) {
        // Plain text and subjects are not HTML: values go in as they are.
        tmpl.set_custom_escape([](const std::string& s) { return s; });
    }
    if (!tmpl.is_valid()) {
        throw TemplateError("mail template " + file.string() + ": " + tmpl.error_message());
    }
    std::string out = tmpl.render(model);
    if (!tmpl.is_valid()) {
        throw TemplateError("mail template " + file.string() + ": " + tmpl.error_message());
    }
    return out;
}

// A subject is one line: newlines from the file or from values become spaces.
std::string one_line(std::string s) {
    for (auto& c : s) {
        if (c == '\n' || c == '\r' || c == '\t') {
            c = ' ';
        }
    }
    auto first = s.find_first_not_of(' ');
    auto last = s.find_last_not_of(' ');
    return first == std::string::npos ? "" : s.substr(first, last - first + 1);
}

// At most one blank line in a row, none at the end: a line of the template that shows only
// when a value is present leaves no hole when it is absent.
std::string without_blank_runs(const std::string& text) {
    std::string out;
    int newlines = 0;
    for (char c : text) {
        if (c == '\n') {
            if (++newlines > 2) {
                continue;
            }
        } else if (c != '\r') {
            newlines = 0;
        }
        out.push_back(c);
    }
    while (out.size() >= 2 && out.ends_with("\n\n")) {
        out.pop_back();
    }
    return out;
}

}  // namespace

MailTemplates::MailTemplates(std::filesystem::path overrides, std::filesystem::path defaults)
    : overrides_(std::move(overrides)), defaults_(std::move(defaults)) {}

std::string MailTemplates::language_for(MailKind kind, const std::string& language) const {
    for (const auto& lang : language_chain(language)) {
        for (const auto& root : {overrides_, defaults_}) {
            if (!root.empty() &&
                std::filesystem::exists(root / template_name(kind) / lang / "html.mustache")) {
                return lang;
            }
        }
    }
    throw TemplateError("no mail template " + std::string(template_name(kind)) + " in " +
                        defaults_.string());
}

std::filesystem::path MailTemplates::find(MailKind kind, const std::string& language,
                                          const char* file) const {
    for (const auto& root : {overrides_, defaults_}) {
        if (root.empty()) {
            continue;
        }
        auto path = root / template_name(kind) / language / file;
        if (std::filesystem::exists(path)) {
            return path;
        }
    }
    throw TemplateError("mail template " + std::string(template_name(kind)) + "/" + language + "/" +
                        file + " is missing");
}

RenderedMail MailTemplates::render(MailKind kind, const std::string& language,
                                   const MailModel& model) const {
    RenderedMail out;
    out.language = language_for(kind, language);
    out.subject = one_line(render_file(find(kind, out.language, "subject.mustache"), model, false));
    out.text =
        without_blank_runs(render_file(find(kind, out.language, "text.mustache"), model, false));
    out.html = render_file(find(kind, out.language, "html.mustache"), model, true);
    return out;
}

}  // namespace twake::mail
