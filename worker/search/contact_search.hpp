#pragma once

// The read side of Twake Mail's contact indices (docs/reference/search.md §7): the autocomplete
// request people search sends to both read aliases, and the contacts read from its answer.
// Pure: values in, JSON text out; JSON text in, values out.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "worker/search/opensearch_config.hpp"

namespace twake::search {

struct ContactHit {
    std::string contact_id;
    std::string email;
    std::string firstname;
    std::string surname;

    // "firstname surname", either part may be missing.
    std::string full_name() const;
};

// The target of the search: both read aliases at once; an alias that does not exist (Twake
// Mail not deployed yet) is skipped rather than failing the search.
std::string contact_search_target(const ContactIndicesConfig& config);

// The body: `limit` hits matching `query` (on the address alone when it holds an `@`) among the
// contacts of `account` (the caller's address) and of its `domain`.
std::string contact_search_body(const std::string& query, const std::string& account,
                                const std::string& domain, int limit);

// The hits of a search answer in their order, one per address (compared lower-cased, the
// first kept); hits without an address are skipped. Nullopt when the text is no search answer.
std::optional<std::vector<ContactHit>> read_contact_hits(std::string_view answer);

}  // namespace twake::search
