#include "wal_record.h"

#include <array>

namespace edb {
namespace {

std::array<uint32_t, 256> makeTable() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    t[i] = c;
  }
  return t;
}

const std::array<uint32_t, 256> kTable = makeTable();

void putVarint(std::vector<char>& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

size_t varintLen(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    n++;
  }
  return n;
}

}  // namespace

uint32_t crc32cUpdate(uint32_t crc, const uint8_t* data, size_t len) {
  crc = ~crc;
  for (size_t i = 0; i < len; i++) crc = kTable[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

void WalEncoder::append(std::vector<char>& out, int64_t type, const char* data, size_t len) {
  crc_ = crc32cUpdate(crc_, reinterpret_cast<const uint8_t*>(data), len);
  // walpb.Record: field 1 type (varint), field 2 crc (varint), field 3 data (bytes).
  const size_t payload = 1 + varintLen(static_cast<uint64_t>(type)) + 1 + varintLen(crc_) +
                         (len > 0 ? 1 + varintLen(len) + len : 0);
  const size_t pad = (8 - payload % 8) % 8;
  uint64_t lenField = payload;
  if (pad != 0) lenField |= static_cast<uint64_t>(0x80 | pad) << 56;
  for (int b = 0; b < 8; b++) out.push_back(static_cast<char>(lenField >> (8 * b)));
  out.push_back(0x08);
  putVarint(out, static_cast<uint64_t>(type));
  out.push_back(0x10);
  putVarint(out, crc_);
  if (len > 0) {
    out.push_back(0x1a);
    putVarint(out, len);
    out.insert(out.end(), data, data + len);
  }
  out.insert(out.end(), pad, 0);
}

}  // namespace edb
