#include "worker/amqp/amqp_connection.hpp"

#include <amqp_tcp_socket.h>

#include <sys/time.h>

#include <vector>

#include "shared/config/config_error.hpp"

namespace twake::amqp {

namespace {

std::string reply_error(const amqp_rpc_reply_t& reply, const char* what) {
    switch (reply.reply_type) {
        case AMQP_RESPONSE_NORMAL:
            return {};
        case AMQP_RESPONSE_NONE:
            return std::string(what) + ": missing RPC reply";
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            return std::string(what) + ": " + amqp_error_string2(reply.library_error);
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
                auto* m = static_cast<amqp_connection_close_t*>(reply.reply.decoded);
                return std::string(what) + ": server closed the connection: " +
                       std::string(static_cast<const char*>(m->reply_text.bytes),
                                   m->reply_text.len);
            }
            if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
                auto* m = static_cast<amqp_channel_close_t*>(reply.reply.decoded);
                return std::string(what) + ": server closed the channel: " +
                       std::string(static_cast<const char*>(m->reply_text.bytes),
                                   m->reply_text.len);
            }
            return std::string(what) + ": server error";
    }
    return std::string(what) + ": unknown error";
}

timeval to_timeval(std::chrono::milliseconds d) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(d.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
    return tv;
}

}  // namespace

void expect_normal(const amqp_rpc_reply_t& reply, const char* what) {
    if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
        return;
    }
    std::string message = reply_error(reply, what);
    if (reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION) {
        if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
            auto* m = static_cast<amqp_channel_close_t*>(reply.reply.decoded);
            throw AmqpError(message, m->reply_code).on_channel();
        }
        if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
            auto* m = static_cast<amqp_connection_close_t*>(reply.reply.decoded);
            throw AmqpError(message, m->reply_code);
        }
    }
    throw AmqpError(message);
}

void AmqpConnection::open_channel(amqp_channel_t channel) {
    amqp_channel_open(conn_, channel);
    expect_normal(amqp_get_rpc_reply(conn_), "AMQP channel open");
}

AmqpAddress parse_amqp_uri(const std::string& uri, const std::string& key) {
    // amqp_parse_url writes into its input and points into it.
    std::vector<char> buffer(uri.begin(), uri.end());
    buffer.push_back('\0');
    amqp_connection_info info;
    amqp_default_connection_info(&info);
    if (amqp_parse_url(buffer.data(), &info) != AMQP_STATUS_OK) {
        throw config::ConfigError(
            "'" + key + "' is not an AMQP URI; expected amqp://user:password@host:5672/vhost");
    }
    AmqpAddress a;
    a.host = info.host;
    a.port = info.port;
    a.vhost = info.vhost;
    a.user = info.user;
    a.password = info.password;
    a.tls = info.ssl != 0;
    if (a.tls) {
        throw config::ConfigError("'" + key +
                                  "': amqps:// (TLS) is not supported yet; use amqp://");
    }
    return a;
}

AmqpConnection::AmqpConnection(const AmqpAddress& address, std::chrono::milliseconds timeout)
    : conn_(amqp_new_connection()) {
    if (conn_ == nullptr) {
        throw AmqpError("cannot allocate an AMQP connection");
    }
    try {
        amqp_socket_t* socket = amqp_tcp_socket_new(conn_);  // owned by the connection
        if (socket == nullptr) {
            throw AmqpError("cannot create an AMQP socket");
        }
        timeval tv = to_timeval(timeout);
        int status = amqp_socket_open_noblock(socket, address.host.c_str(), address.port, &tv);
        if (status != AMQP_STATUS_OK) {
            throw AmqpError("cannot connect to " + address.host + ":" +
                            std::to_string(address.port) + ": " + amqp_error_string2(status));
        }
        amqp_set_handshake_timeout(conn_, &tv);
        amqp_set_rpc_timeout(conn_, &tv);
        // consumer_cancel_notify: the broker tells a consumer whose queue was deleted, instead
        // of dropping it silently (merged into librabbitmq's own capabilities).
        amqp_table_entry_t capability{};
        capability.key = amqp_cstring_bytes("consumer_cancel_notify");
        capability.value.kind = AMQP_FIELD_KIND_BOOLEAN;
        capability.value.value.boolean = 1;
        amqp_table_entry_t property{};
        property.key = amqp_cstring_bytes("capabilities");
        property.value.kind = AMQP_FIELD_KIND_TABLE;
        property.value.value.table = amqp_table_t{1, &capability};
        amqp_table_t properties{1, &property};
        amqp_rpc_reply_t reply = amqp_login_with_properties(
            conn_, address.vhost.c_str(), 0, 131072, 30, &properties, AMQP_SASL_METHOD_PLAIN,
            address.user.c_str(), address.password.c_str());
        if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
            throw AmqpError(reply_error(reply, "AMQP login"));
        }
        logged_in_ = true;
        amqp_channel_open(conn_, 1);
        reply = amqp_get_rpc_reply(conn_);
        if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
            throw AmqpError(reply_error(reply, "AMQP channel open"));
        }
    } catch (...) {
        if (logged_in_) {
            amqp_connection_close(conn_, AMQP_REPLY_SUCCESS);
        }
        amqp_destroy_connection(conn_);
        throw;
    }
}

AmqpConnection::~AmqpConnection() {
    amqp_channel_close(conn_, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(conn_, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(conn_);
}

}  // namespace twake::amqp
