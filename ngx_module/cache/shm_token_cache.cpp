#include "ngx_module/cache/shm_token_cache.hpp"

#include <algorithm>

#include "ngx_module/core/oidc_token.hpp"
#include "shared/crypto/digest.hpp"

namespace twake::edge {

namespace {

// Where the table is, kept in the zone itself (the slab pool's `data`): every process maps
// the zone at the same address, so these pointers are valid everywhere.
struct ZoneState {
    void* block;
    size_t size;
};

void lock(void* mutex) noexcept {
    ngx_shmtx_lock(static_cast<ngx_shmtx_t*>(mutex));
}
void unlock(void* mutex) noexcept {
    ngx_shmtx_unlock(static_cast<ngx_shmtx_t*>(mutex));
}

cache::TableLock zone_lock(ngx_shm_zone_t* zone) {
    auto* pool = reinterpret_cast<ngx_slab_pool_t*>(zone->shm.addr);
    return cache::TableLock{&pool->mutex, lock, unlock};
}

}  // namespace

ngx_int_t ShmTokenCache::init_zone(ngx_shm_zone_t* zone, void* data) {
    if (data != nullptr) {
        zone->data = data;  // a reload keeping the zone keeps its table
        return NGX_OK;
    }
    auto* pool = reinterpret_cast<ngx_slab_pool_t*>(zone->shm.addr);
    if (zone->shm.exists) {
        zone->data = pool->data;
        return NGX_OK;
    }
    auto* state = static_cast<ZoneState*>(ngx_slab_alloc(pool, sizeof(ZoneState)));
    // All free pages but one (the slab pool keeps a page of bookkeeping for later small
    // allocations).
    size_t bytes = pool->pfree > 1 ? (pool->pfree - 1) * ngx_pagesize : 0;
    void* block = bytes > 0 ? ngx_slab_alloc(pool, bytes) : nullptr;
    if (state == nullptr || block == nullptr || cache::ShmTable::slots_for(bytes) == 0) {
        ngx_log_error(
            NGX_LOG_EMERG, zone->shm.log, 0,
            "twake_calendar: the cache zone is too small; raise twake_calendar_cache_zone_size");
        return NGX_ERROR;
    }
    state->block = block;
    state->size = bytes;
    cache::ShmTable::format(block, bytes, zone_lock(zone));
    pool->data = state;
    zone->data = state;
    static const char kContext[] = " in twake_calendar cache zone";
    pool->log_ctx = reinterpret_cast<u_char*>(const_cast<char*>(kContext));
    return NGX_OK;
}

cache::ShmTable& ShmTokenCache::table() {
    if (!table_) {
        auto* state = static_cast<ZoneState*>(zone_->data);
        table_ = cache::ShmTable::attach(state->block, state->size, zone_lock(zone_));
    }
    return *table_;
}

std::optional<TokenView> ShmTokenCache::find_token(std::string_view digest, int64_t now_ms) {
    if (!table().lookup(cache::EntryKind::oidc_token, cache::key_from_digest(digest), now_ms,
                        last_hit_)) {
        return std::nullopt;
    }
    const cache::Entry& e = *last_hit_;
    return TokenView{e.email(), e.sid(), e.exp_s(), e.text(), e.stored_at_ms()};
}

bool ShmTokenCache::refused(std::string_view digest, int64_t now_ms) {
    return table()
        .lookup(cache::EntryKind::oidc_inactive, cache::key_from_digest(digest), now_ms)
        .has_value();
}

void ShmTokenCache::store_token(std::string_view digest, std::string_view redis_digest,
                                const CachedToken& token, int64_t ttl_ms, int64_t now_ms) {
    // Never beyond the token's own expiry (docs/reference/edge-worker.md §4).
    int64_t expires = std::min(now_ms + ttl_ms, token.exp * 1000);
    cache::NewEntry e;
    e.kind = cache::EntryKind::oidc_token;
    e.key = cache::key_from_digest(digest);
    e.email = token.email;
    e.sid = token.sid;
    e.text = token.audiences;
    e.exp_s = token.exp;
    e.expires_at_ms = expires;
    if (!table().insert(e, now_ms)) {
        return;
    }
    cache::NewEntry alias;
    alias.kind = cache::EntryKind::oidc_alias;
    alias.key = cache::key_from_digest(redis_digest);
    alias.text = digest;
    alias.expires_at_ms = expires;
    table().insert(alias, now_ms);
}

void ShmTokenCache::store_refusal(std::string_view digest, int64_t ttl_ms, int64_t now_ms) {
    cache::NewEntry e;
    e.kind = cache::EntryKind::oidc_inactive;
    e.key = cache::key_from_digest(digest);
    e.expires_at_ms = now_ms + ttl_ms;
    table().insert(e, now_ms);
}

std::optional<std::string> ShmTokenCache::find_basic(const std::string& hmac, int64_t now_ms) {
    auto e = table().lookup(cache::EntryKind::basic_ldap, cache::key_from_digest(hmac), now_ms);
    if (!e) {
        return std::nullopt;
    }
    return std::string(e->email());
}

void ShmTokenCache::store_basic(const std::string& hmac, const std::string& username,
                                int64_t ttl_ms, int64_t now_ms) {
    cache::NewEntry e;
    e.kind = cache::EntryKind::basic_ldap;
    e.key = cache::key_from_digest(hmac);
    e.email = username;
    e.expires_at_ms = now_ms + ttl_ms;
    table().insert(e, now_ms);
}

std::optional<TokenCache::LinkView> ShmTokenCache::find_link(std::string_view key, int64_t now_ms) {
    if (!table().lookup(cache::EntryKind::secret_link, cache::key_from_digest(key), now_ms,
                        last_hit_)) {
        return std::nullopt;
    }
    return LinkView{last_hit_->email(), last_hit_->text()};
}

void ShmTokenCache::store_link(std::string_view key, std::string_view owner,
                               std::string_view export_path, int64_t ttl_ms, int64_t now_ms) {
    cache::NewEntry e;
    e.kind = cache::EntryKind::secret_link;
    e.key = cache::key_from_digest(key);
    e.email = owner;
    e.text = export_path;
    e.expires_at_ms = now_ms + ttl_ms;
    table().insert(e, now_ms);
}

bool ShmTokenCache::domain_known(const std::string& domain, int64_t now_ms) {
    return table()
        .lookup(cache::EntryKind::domain_exists, cache::key_from_digest(crypto::sha256(domain)),
                now_ms)
        .has_value();
}

void ShmTokenCache::store_domain(const std::string& domain, int64_t ttl_ms, int64_t now_ms) {
    cache::NewEntry e;
    e.kind = cache::EntryKind::domain_exists;
    e.key = cache::key_from_digest(crypto::sha256(domain));
    e.expires_at_ms = now_ms + ttl_ms;
    table().insert(e, now_ms);
}

size_t ShmTokenCache::evict_sid(const std::string& sid) {
    return table().erase_sid(sid);
}

void ShmTokenCache::evict_token(const std::string& redis_digest) {
    cache::Key alias_key = cache::key_from_digest(redis_digest);
    auto alias = table().lookup(cache::EntryKind::oidc_alias, alias_key, INT64_MIN + 1);
    if (alias) {
        table().erase(cache::EntryKind::oidc_token, cache::key_from_digest(alias->text()));
        table().erase(cache::EntryKind::oidc_alias, alias_key);
    }
}

cache::Counters ShmTokenCache::counters() {
    return table().counters();
}

size_t ShmTokenCache::slot_count() {
    return table().slot_count();
}

size_t ShmTokenCache::entries() {
    return table().size();
}

}  // namespace twake::edge
