#include "worker/services/directory_users.hpp"

#include "worker/runtime/store_call.hpp"

namespace twake::services {

runtime::Awaitable<std::vector<std::string>> DirectoryUsers::in_domain(
    const std::string& domain) const {
    if (directory_ == nullptr) {
        co_return std::vector<std::string>{};
    }
    auto list = [directory = directory_, domain] { return directory->usernames_in_domain(domain); };
    co_return co_await runtime::run_store_call(blocking_, list);
}

}  // namespace twake::services
