// etcd's WAL record encoding: each record is a walpb.Record protobuf
// (type, crc, data) framed by an 8-byte little-endian length whose top byte
// carries 0x80|pad when the payload is padded to a multiple of 8 bytes. The
// crc is CRC-32C, chained from record to record (and across segments).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace edb {

// Record types as etcd numbers them (server/storage/wal/wal.go).
enum WalRecordType : int64_t { kMetadata = 1, kEntry = 2, kState = 3, kCrc = 4, kSnapshot = 5 };

// CRC-32C (Castagnoli) continuing from `crc`, as Go's crc32.Update does.
uint32_t crc32cUpdate(uint32_t crc, const uint8_t* data, size_t len);

class WalEncoder {
 public:
  explicit WalEncoder(uint32_t prevCrc = 0) : crc_(prevCrc) {}
  // Appends one framed record to `out`. kCrc records carry the running crc and no data.
  void append(std::vector<char>& out, int64_t type, const char* data, size_t len);
  uint32_t crc() const { return crc_; }

 private:
  uint32_t crc_;
};

}  // namespace edb
