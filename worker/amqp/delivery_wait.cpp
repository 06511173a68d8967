#include "worker/amqp/delivery_wait.hpp"

#include <amqp_framing.h>

#include <sys/time.h>

#include <string>

#include "worker/amqp/amqp_connection.hpp"

namespace twake::amqp {

bool wait_for_delivery(amqp_connection_state_t conn, amqp_envelope_t& envelope,
                       std::chrono::milliseconds timeout) {
    amqp_maybe_release_buffers(conn);
    timeval wait{0, static_cast<suseconds_t>(std::chrono::microseconds(timeout).count())};
    amqp_rpc_reply_t reply = amqp_consume_message(conn, &envelope, &wait, 0);
    if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
        return true;
    }
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
        reply.library_error == AMQP_STATUS_TIMEOUT) {
        return false;
    }
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
        reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
        // Something other than a delivery: a close or a cancel ends this connection.
        amqp_frame_t frame;
        int status = amqp_simple_wait_frame_noblock(conn, &frame, &wait);
        if (status != AMQP_STATUS_OK) {
            throw AmqpError(std::string("read frame: ") + amqp_error_string2(status));
        }
        if (frame.frame_type != AMQP_FRAME_METHOD) {
            return false;
        }
        switch (frame.payload.method.id) {
            case AMQP_BASIC_CANCEL_METHOD:
                throw AmqpError("the broker cancelled a consumer (queue deleted?)");
            case AMQP_CHANNEL_CLOSE_METHOD:
                throw AmqpError("the broker closed the consuming channel");
            case AMQP_CONNECTION_CLOSE_METHOD:
                throw AmqpError("the broker closed the connection");
            default:
                return false;
        }
    }
    expect_normal(reply, "basic.consume");
    return false;
}

}  // namespace twake::amqp
