#pragma once

// TokenCache over the module's shared zone: the ShmTable lives in one block of the zone's slab
// pool, locked by the zone's mutex. Every nginx worker process of the node shares it.

#include <optional>

#include "ngx_module/cache/shm_table.hpp"
#include "ngx_module/ngx.hpp"
#include "ngx_module/token_cache.hpp"

namespace twake::edge {

class ShmTokenCache : public TokenCache {
  public:
    explicit ShmTokenCache(ngx_shm_zone_t* zone) : zone_(zone) {}

    // The zone's init handler (ngx_shm_zone_t::init): carves the table out of a new zone, or
    // keeps the old one across a reload.
    static ngx_int_t init_zone(ngx_shm_zone_t* zone, void* data);

    std::optional<TokenView> find_token(std::string_view digest, int64_t now_ms) override;
    bool refused(std::string_view digest, int64_t now_ms) override;
    void store_token(std::string_view digest, std::string_view redis_digest,
                     const CachedToken& token, int64_t ttl_ms, int64_t now_ms) override;
    void store_refusal(std::string_view digest, int64_t ttl_ms, int64_t now_ms) override;
    std::optional<std::string> find_basic(const std::string& hmac, int64_t now_ms) override;
    void store_basic(const std::string& hmac, const std::string& username, int64_t ttl_ms,
                     int64_t now_ms) override;
    std::optional<LinkView> find_link(std::string_view key, int64_t now_ms) override;
    void store_link(std::string_view key, std::string_view owner, std::string_view export_path,
                    int64_t ttl_ms, int64_t now_ms) override;
    bool domain_known(const std::string& domain, int64_t now_ms) override;
    void store_domain(const std::string& domain, int64_t ttl_ms, int64_t now_ms) override;
    size_t evict_sid(const std::string& sid) override;
    void evict_token(const std::string& redis_digest) override;

    cache::Counters counters();
    size_t slot_count();
    size_t entries();

  private:
    ngx_shm_zone_t* zone_;
    std::optional<cache::ShmTable> table_;  // attached on first use in each process
    std::optional<cache::Entry> last_hit_;  // what find_token's and find_link's views point into

    cache::ShmTable& table();
};

}  // namespace twake::edge
