#pragma once

// The content lines of an iCalendar or vCard text (RFC 5545 §3.1, RFC 6350 §3.2), read
// without building anything: each logical line unfolded, with where it lies in the text, so
// that an import can cut a large file into its objects and keep only their places.

#include <cstddef>
#include <string>
#include <string_view>

namespace twake::imports {

struct ContentLine {
    std::string text;   // unfolded, without its line end
    size_t begin = 0;   // first byte of its first physical line
    size_t end = 0;     // past the line end of its last physical line
    std::string name;   // upper-cased, without a group prefix ("item1.EMAIL" → "EMAIL")
    std::string value;  // after the first colon outside quotes; empty when none
};

class ContentLines {
  public:
    explicit ContentLines(std::string_view text) : text_(text) {}

    // The next logical line; false at the end of the text.
    bool next(ContentLine& line);

  private:
    std::string_view text_;
    size_t at_ = 0;
};

// A line's name and value split as ContentLines does (pure, for tests).
void split_content_line(ContentLine& line);

}  // namespace twake::imports
