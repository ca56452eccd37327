// Creating and laying out the measured file before the clock starts, the way
// fio does (fallocate by default) or the other ways users compare against.
#pragma once
#include <optional>

#include "sys_error.h"
#include "seq_writer.h"

namespace edb {

// Creates config.path (O_EXCL: never an existing file) and prepares it.
// A long overwrite checks `stop` between chunks and ends early when it is set.
std::optional<SysError> prepareFile(const WriterConfig& config, const std::atomic<bool>& stop);

// Opens the prepared file for the measured writes with the sync/direct flags.
// Returns the fd, or -1 with *error filled.
int openForWrites(const WriterConfig& config, SysError* error);

}  // namespace edb
