// A failed syscall, described the way Node describes fs errors: errno, the
// syscall's name, the path, plus an optional sentence for cases (O_DIRECT
// alignment) where the bare errno would not tell the user what to change.
#pragma once
#include <string>

namespace edb {

struct SysError {
  int errnum = 0;          // positive errno value
  std::string syscall;     // "open", "write", "fdatasync", ...
  std::string path;        // the file the call was about
  std::string detail;      // optional: why, in words, when errno alone is cryptic
};

// Builds a SysError from the current errno.
SysError lastError(const char* syscall, const std::string& path);

}  // namespace edb
