#include "sys_error.h"

#include <cerrno>

namespace edb {

SysError lastError(const char* syscall, const std::string& path) {
  SysError e;
  e.errnum = errno;
  e.syscall = syscall;
  e.path = path;
  return e;
}

}  // namespace edb
