#pragma once

// An AMQP field table (queue arguments, message headers) whose entries point into storage
// owned here: valid as long as this object lives and is not changed.

#include <amqp.h>

#include <vector>

#include "worker/amqp/topology.hpp"

namespace twake::amqp {

class AmqpTable {
  public:
    explicit AmqpTable(std::vector<TableEntry> entries);
    AmqpTable(const AmqpTable&) = delete;
    AmqpTable& operator=(const AmqpTable&) = delete;

    amqp_table_t get() const;

  private:
    std::vector<TableEntry> entries_;  // never resized after construction: the strings stay put
    std::vector<amqp_table_entry_t> table_;
};

}  // namespace twake::amqp
