// Helpers every writer thread uses: aligned, non-repeating buffers, a write()
// that survives short writes, and a small deterministic random generator.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <cstdint>

namespace edb {

// Page-aligned memory (O_DIRECT needs it), freed on destruction.
struct AlignedBuffer {
  char* data = nullptr;
  size_t size = 0;
  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  ~AlignedBuffer();
  // Allocates `size` bytes rounded up to 4096 and fills them with non-repeating
  // bytes, so no layer can compress or deduplicate the writes away.
  bool allocate(size_t size);
};

// write() the whole range, continuing after short writes; -1 with errno on error.
ssize_t writeAll(int fd, const char* data, size_t len);

// pwrite() the whole range at `offset`; -1 with errno on error.
ssize_t pwriteAll(int fd, const char* data, size_t len, off_t offset);

// A thread's /proc/self/task/TID/schedstat opened for reading (-1 when absent), and its time on a CPU and run-queue
// wait so far, read again from offset 0; false when unreadable (the thread gone).
int openSchedstat(long tid);
bool readSchedstat(int fd, int64_t* runNs, int64_t* waitNs);

// xorshift64*: fast, seedable, good enough to draw sizes and page numbers.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed ? seed : 0x9E3779B97F4A7C15ull) {}
  uint64_t next() {
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return s_ * 0x2545F4914F6CDD1Dull;
  }
  // Uniform in [lo, hi] (inclusive).
  uint64_t between(uint64_t lo, uint64_t hi) { return hi <= lo ? lo : lo + next() % (hi - lo + 1); }

 private:
  uint64_t s_;
};

}  // namespace edb
