// fio's system calls for a sequential write job's file, in fio's order, so
// that `disk` measures the workload fio measures: the layout before the clock
// (unlink, create, fallocate as --fallocate says or the whole file written
// for --prepare overwrite, the new extent's page cache dropped, close), the
// job's open (O_RDWR|O_CREAT, the cache dropped with --invalidate, the
// sequential-access hint), and on each wrap of a time-based run the cache
// dropped again before the seek back. Sources in fio_layout.cc.
#pragma once
#include <atomic>
#include <optional>

#include "seq_writer.h"
#include "sys_error.h"

namespace edb {

// Lays the file out before the measured run (a new path: fio would unlink an old one first).
std::optional<SysError> fioLayOut(const WriterConfig& config, const std::atomic<bool>& stop);

// Opens the laid-out file for the job as fio's generic_open_file does; -1 with *error on failure.
int fioOpen(const WriterConfig& config, SysError* error);

// fio's loop_cache_invalidate on a time-based wrap: the file's page cache dropped (not with O_DIRECT).
void fioOnWrap(const WriterConfig& config, int fd);

}  // namespace edb
