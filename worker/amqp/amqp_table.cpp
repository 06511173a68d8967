#include "worker/amqp/amqp_table.hpp"

namespace twake::amqp {

AmqpTable::AmqpTable(std::vector<TableEntry> entries) : entries_(std::move(entries)) {
    table_.reserve(entries_.size());
    for (const auto& entry : entries_) {
        amqp_table_entry_t e{};
        e.key = amqp_cstring_bytes(entry.key.c_str());
        if (const auto* number = std::get_if<std::int32_t>(&entry.value)) {
            // Signed 32-bit, as the Java client sends an Integer (the broker compares values).
            e.value.kind = AMQP_FIELD_KIND_I32;
            e.value.value.i32 = *number;
        } else {
            const auto& text = std::get<std::string>(entry.value);
            e.value.kind = AMQP_FIELD_KIND_UTF8;
            e.value.value.bytes = amqp_bytes_t{text.size(), const_cast<char*>(text.data())};
        }
        table_.push_back(e);
    }
}

amqp_table_t AmqpTable::get() const {
    return amqp_table_t{static_cast<int>(table_.size()),
                        const_cast<amqp_table_entry_t*>(table_.data())};
}

}  // namespace twake::amqp
