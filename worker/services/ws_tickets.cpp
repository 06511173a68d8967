#include "worker/services/ws_tickets.hpp"

#include "worker/runtime/store_call.hpp"

namespace twake::services {

runtime::Awaitable<tickets::Ticket> WsTickets::issue(const std::string& username,
                                                     const std::string& client_address,
                                                     const std::optional<std::string>& sid) const {
    auto insert = [&store = store_, ticket = tickets::new_ticket(username, client_address, sid,
                                                                 tickets::Clock::now())] {
        store.insert(ticket);
        return ticket;
    };
    co_return co_await runtime::run_store_call(blocking_, insert);
}

runtime::Awaitable<bool> WsTickets::revoke(const std::string& value,
                                           const std::string& username) const {
    auto remove = [&store = store_, value, username] {
        return store.delete_owned(value, username);
    };
    co_return co_await runtime::run_store_call(blocking_, remove);
}

runtime::Awaitable<TicketUse> WsTickets::consume(const std::string& value,
                                                 const std::string& client_address) const {
    auto take = [&store = store_, value] { return store.take(value); };
    TicketUse use;
    use.ticket = co_await runtime::run_store_call(blocking_, take);
    use.check = tickets::check(use.ticket, tickets::Clock::now(), client_address, ip_validation_);
    co_return use;
}

}  // namespace twake::services
