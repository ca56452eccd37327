// The load's paced sender: one thread that owns a set of client connections
// (file descriptors dup'd from sockets JS connected), writes each queued
// request at its due time (CLOCK_MONOTONIC ns) and reads whatever the server
// answers, stamping every read with the time it returned. JS collects the
// sent times and the stamped reads when it likes (poll), so the event loop
// wakes a few hundred times a second instead of twice per request, while the
// times on the wire stay exact. It knows nothing of HTTP/2: bytes in, bytes out.
#pragma once
#include <condition_variable>
#include <climits>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace edb {

struct PacedWrite {
  std::vector<uint8_t> bytes;
  size_t offset = 0;
  int64_t dueNs = 0;
  // Reported back with the time the first byte was written; 0: not reported (control frames).
  uint32_t seq = 0;
  // HTTP/2 DATA payload bytes in it: they are taken from the connection's send window when written, not before.
  int64_t flowBytes = 0;
};

struct PacedRead {
  uint32_t conn;
  int64_t atNs;
  std::vector<uint8_t> bytes;
};

struct PacedSent {
  uint32_t conn;
  uint32_t seq;
  int64_t atNs;
};

struct PacedClosed {
  uint32_t conn;
  int error;  // errno, or 0 for an orderly close by the server
};

struct PacedConn {
  int fd = -1;
  bool waitingWritable = false;
  bool closed = false;
  uint32_t nextSeq = 1;
  std::deque<PacedWrite> now;        // control frames: written at once, before anything scheduled
  std::deque<PacedWrite> scheduled;  // requests, in the order JS queued them (stream ids rise), each at its time
  // The peer's connection-level send window (HTTP/2 starts it at 65,535): a scheduled write whose DATA it cannot take
  // waits for credit(), so the window is spent when the bytes go, never when they are queued.
  int64_t sendWindow = 65535;
};

class Pacer {
 public:
  Pacer();
  ~Pacer();
  // Takes a copy (dup) of `fd`; returns the connection's id, or 0 with errno set.
  uint32_t add(int fd);
  // Queues bytes (dueNs 0: at once) and wakes the thread when its timer must move. Returns the write's sequence
  // number for a scheduled write, else 0.
  uint32_t write(uint32_t conn, const uint8_t* data, size_t length, int64_t dueNs, int64_t flowBytes = 0);
  // Takes a scheduled write back if none of it has been written; true when it was (it will never be written).
  bool withdraw(uint32_t conn, uint32_t seq);
  // The peer opened the connection's send window by `bytes` (a WINDOW_UPDATE on stream 0).
  void credit(uint32_t conn, int64_t bytes);
  void remove(uint32_t conn);
  void take(std::vector<PacedSent>& sent, std::vector<PacedRead>& reads, std::vector<PacedClosed>& closed);
  void stop();

 private:
  void run();
  void writeDue(PacedConn& c, uint32_t id, int64_t now);
  void readAll(PacedConn& c, uint32_t id, int64_t woke);
  void fail(PacedConn& c, uint32_t id, int error);
  void arm(int64_t now);
  // Wakes the thread to look at what was queued.
  void flush();

  std::mutex mu_;
  std::map<uint32_t, PacedConn> conns_;
  uint32_t nextConn_ = 1;
  std::vector<PacedSent> sent_;
  std::vector<PacedRead> reads_;
  std::vector<PacedClosed> closed_;
  int epoll_ = -1;
  int wake_ = -1;   // eventfd
  int timer_ = -1;  // timerfd, armed for the earliest scheduled write
  int64_t armedNs_ = INT64_MAX;  // when it is armed for (INT64_MAX: not armed)
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace edb
