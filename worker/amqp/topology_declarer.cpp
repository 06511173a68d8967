#include "worker/amqp/topology_declarer.hpp"

#include "shared/log/log.hpp"
#include "worker/amqp/amqp_table.hpp"

namespace twake::amqp {

namespace {

const log::Logger kLog("worker.amqp.topology");
constexpr amqp_channel_t kChannel = 1;
constexpr int kPreconditionFailed = 406;

// The broker closed channel 1 on an error: confirm, then open it again for what follows.
void reopen_after_close(AmqpConnection& connection) {
    amqp_channel_close_ok_t close_ok{};
    amqp_send_method(connection.get(), kChannel, AMQP_CHANNEL_CLOSE_OK_METHOD, &close_ok);
    connection.open_channel(kChannel);
}

// Runs `declare`; on 406 (exists with other flags or arguments) reopens the channel and
// returns false, so that the caller can keep the existing object.
template <class Fn>
bool declare_or_keep(AmqpConnection& connection, Fn declare) {
    try {
        declare();
        return true;
    } catch (const AmqpError& e) {
        if (!e.channel_closed() || e.reply_code() != kPreconditionFailed) {
            throw;
        }
        reopen_after_close(connection);
        return false;
    }
}

void declare_exchange(AmqpConnection& connection, const std::string& name) {
    bool declared = declare_or_keep(connection, [&] {
        amqp_exchange_declare(connection.get(), kChannel, amqp_cstring_bytes(name.c_str()),
                              amqp_cstring_bytes("fanout"), /*passive=*/0, /*durable=*/1,
                              /*auto_delete=*/0, /*internal=*/0, amqp_empty_table);
        expect_normal(amqp_get_rpc_reply(connection.get()), "exchange.declare");
    });
    if (!declared) {
        kLog.warn("Exchange exists with other flags; kept as it is", {{"exchange", name}});
    }
}

void declare_durable_queue(AmqpConnection& connection, const std::string& name,
                           std::vector<TableEntry> arguments) {
    AmqpTable table(std::move(arguments));
    bool declared = declare_or_keep(connection, [&] {
        amqp_queue_declare(connection.get(), kChannel, amqp_cstring_bytes(name.c_str()),
                           /*passive=*/0, /*durable=*/1, /*exclusive=*/0, /*auto_delete=*/0,
                           table.get());
        expect_normal(amqp_get_rpc_reply(connection.get()), "queue.declare");
    });
    if (!declared) {
        // A quorum queue or other arguments chosen by an operator: used as it is.
        inspect_queue(connection, name);
        kLog.warn("Queue exists with other arguments; used as it is", {{"queue", name}});
    }
}

void bind(AmqpConnection& connection, const std::string& queue, const std::string& exchange) {
    amqp_queue_bind(connection.get(), kChannel, amqp_cstring_bytes(queue.c_str()),
                    amqp_cstring_bytes(exchange.c_str()), amqp_cstring_bytes(""), amqp_empty_table);
    expect_normal(amqp_get_rpc_reply(connection.get()), "queue.bind");
}

}  // namespace

void declare_exchanges(AmqpConnection& connection, const std::vector<std::string>& exchanges) {
    for (const auto& name : exchanges) {
        declare_exchange(connection, name);
    }
}

void declare_queue(AmqpConnection& connection, const QueueSpec& spec) {
    declare_exchange(connection, spec.exchange);
    declare_exchange(connection, spec.dead_letter);
    declare_durable_queue(connection, spec.dead_letter, dead_letter_queue_arguments());
    bind(connection, spec.dead_letter, spec.dead_letter);
    declare_durable_queue(connection, spec.queue, work_queue_arguments(spec));
    bind(connection, spec.queue, spec.exchange);
    for (const auto& exchange : spec.more_exchanges) {
        declare_exchange(connection, exchange);
        bind(connection, spec.queue, exchange);
    }
}

QueueCounts inspect_queue(AmqpConnection& connection, const std::string& queue) {
    amqp_queue_declare_ok_t* ok = nullptr;
    try {
        ok = amqp_queue_declare(connection.get(), kChannel, amqp_cstring_bytes(queue.c_str()),
                                /*passive=*/1, 0, 0, 0, amqp_empty_table);
        expect_normal(amqp_get_rpc_reply(connection.get()), "queue.declare (passive)");
    } catch (const AmqpError& e) {
        if (e.channel_closed()) {
            reopen_after_close(connection);
        }
        throw;
    }
    return {ok->message_count, ok->consumer_count};
}

}  // namespace twake::amqp
