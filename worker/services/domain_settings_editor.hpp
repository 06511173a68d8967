#pragma once

// The stored per-domain settings (the `domain_settings` collection): read for the API, read
// and written for webadmin (docs/webadmin.md §2.3) where the domain must be registered; each call on the
// blocking pool under the storage deadline.

#include <optional>
#include <string>

#include "worker/runtime/awaitable.hpp"
#include "worker/runtime/blocking_pool.hpp"
#include "worker/settings/domain_settings.hpp"
#include "worker/store/domain_settings_store.hpp"
#include "worker/store/domain_store.hpp"

namespace twake::services {

class DomainSettingsEditor {
  public:
    DomainSettingsEditor(runtime::BlockingPool& blocking, store::DomainStore& domains,
                         store::DomainSettingsStore& settings)
        : blocking_(blocking), domains_(domains), settings_(settings) {}

    // What is stored for `domain`, registered or not (every field unset when nothing is).
    runtime::Awaitable<settings::DomainSettings> stored(const std::string& domain) const;
    // The same for a registered domain; nullopt when it is not one.
    runtime::Awaitable<std::optional<settings::DomainSettings>> stored_if_registered(
        const std::string& domain) const;
    // Replaces every field with `values` (nothing is written when nullopt, e.g. a refused
    // body: the domain's absence is still reported first). False when it is not registered.
    runtime::Awaitable<bool> replace(const std::string& domain,
                                     const std::optional<settings::DomainSettings>& values) const;
    // Sets and clears what `changes` names, as `replace` does otherwise.
    runtime::Awaitable<bool> patch(
        const std::string& domain,
        const std::optional<settings::DomainSettingsPatch>& changes) const;

  private:
    runtime::BlockingPool& blocking_;
    store::DomainStore& domains_;
    store::DomainSettingsStore& settings_;
};

}  // namespace twake::services
