#include "worker/services/credential_accounts.hpp"

#include "worker/runtime/store_call.hpp"

namespace twake::services {

runtime::Awaitable<std::vector<std::string>> CredentialAccounts::list() const {
    auto list = [users = users_] { return users->list(); };
    co_return co_await runtime::run_store_call(blocking_, list);
}

runtime::Awaitable<bool> CredentialAccounts::exists(const std::string& username) const {
    auto ask = [users = users_, username] { return users->exists(username); };
    co_return co_await runtime::run_store_call(blocking_, ask);
}

runtime::Awaitable<credentials::CredentialUsers::PutOutcome> CredentialAccounts::put(
    const std::string& username, const std::string& password, bool force) const {
    auto store = [users = users_, username, password, force] {
        return users->put(username, password, force);
    };
    co_return co_await runtime::run_store_call(blocking_, store);
}

runtime::Awaitable<void> CredentialAccounts::remove(const std::string& username) const {
    auto remove = [users = users_, username] {
        users->remove(username);
        return true;  // the pool's calls return a value
    };
    co_await runtime::run_store_call(blocking_, remove);
}

runtime::Awaitable<bool> CredentialAccounts::verify(const std::string& username,
                                                    const std::string& password) const {
    auto check = [users = users_, username, password] { return users->verify(username, password); };
    co_return co_await runtime::run_store_call(blocking_, check);
}

}  // namespace twake::services
