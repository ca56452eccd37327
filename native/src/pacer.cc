// The paced sender's thread (pacer.h): epoll over its connections, an eventfd
// JS uses to say "look again" and a timerfd armed for the earliest scheduled
// write. Everything it touches is under one mutex, held only between waits.
#include "pacer.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "clock.h"

namespace edb {

namespace {
constexpr uint64_t kWakeTag = UINT64_MAX;
constexpr uint64_t kTimerTag = UINT64_MAX - 1;
constexpr size_t kReadBuffer = 64 * 1024;
// A write due this close to now goes out now: closer than a timer could wake us for it.
constexpr int64_t kSlackNs = 20000;

void watch(int epoll, int op, int fd, uint64_t tag, uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = tag;
  epoll_ctl(epoll, op, fd, &ev);
}
}  // namespace

Pacer::Pacer() {
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  timer_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  watch(epoll_, EPOLL_CTL_ADD, wake_, kWakeTag, EPOLLIN);
  watch(epoll_, EPOLL_CTL_ADD, timer_, kTimerTag, EPOLLIN);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "edb-pacer");
    run();
  });
}

Pacer::~Pacer() { stop(); }

void Pacer::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  flush();
  if (thread_.joinable()) thread_.join();
  for (auto& [id, c] : conns_)
    if (c.fd >= 0) close(c.fd);
  conns_.clear();
  close(epoll_);
  close(wake_);
  close(timer_);
}

uint32_t Pacer::add(int fd) {
  int own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (own < 0) return 0;
  int flags = fcntl(own, F_GETFL);
  fcntl(own, F_SETFL, flags | O_NONBLOCK);
  std::lock_guard<std::mutex> lock(mu_);
  uint32_t id = nextConn_++;
  PacedConn& c = conns_[id];
  c.fd = own;
  watch(epoll_, EPOLL_CTL_ADD, own, id, EPOLLIN | EPOLLRDHUP);
  return id;
}

uint32_t Pacer::write(uint32_t conn, const uint8_t* data, size_t length, int64_t dueNs, int64_t flowBytes) {
  uint32_t seq = 0;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = conns_.find(conn);
    if (it == conns_.end() || it->second.closed) return 0;
    PacedConn& c = it->second;
    PacedWrite w;
    w.bytes.assign(data, data + length);
    w.dueNs = dueNs;
    w.flowBytes = flowBytes;
    if (dueNs <= 0) {
      c.now.push_back(std::move(w));
      wake = true;
    } else {
      w.seq = seq = c.nextSeq++;
      // Behind others on this connection it goes when they have; else the thread's timer may need to move.
      wake = c.scheduled.empty() && dueNs < armedNs_;
      c.scheduled.push_back(std::move(w));
    }
  }
  if (wake) flush();
  return seq;
}

bool Pacer::withdraw(uint32_t conn, uint32_t seq) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = conns_.find(conn);
  if (it == conns_.end() || seq == 0) return false;
  auto& q = it->second.scheduled;
  for (auto w = q.begin(); w != q.end(); ++w)
    if (w->seq == seq) {
      if (w->offset > 0) return false;  // begun: it is finished, and whatever follows it goes after
      q.erase(w);
      return true;
    }
  return false;  // written already
}

void Pacer::credit(uint32_t conn, int64_t bytes) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = conns_.find(conn);
    if (it == conns_.end()) return;
    PacedConn& c = it->second;
    // A write held for window may now go.
    wake = !c.scheduled.empty() && c.scheduled.front().offset == 0 && c.scheduled.front().flowBytes > c.sendWindow;
    c.sendWindow += bytes;
  }
  if (wake) flush();
}

void Pacer::remove(uint32_t conn) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = conns_.find(conn);
  if (it == conns_.end()) return;
  if (it->second.fd >= 0) {
    epoll_ctl(epoll_, EPOLL_CTL_DEL, it->second.fd, nullptr);
    close(it->second.fd);
  }
  conns_.erase(it);
}

void Pacer::flush() {
  uint64_t one = 1;
  ssize_t ignored = ::write(wake_, &one, sizeof one);
  (void)ignored;
}

void Pacer::take(std::vector<PacedSent>& sent, std::vector<PacedRead>& reads, std::vector<PacedClosed>& closed) {
  std::lock_guard<std::mutex> lock(mu_);
  sent.swap(sent_);
  reads.swap(reads_);
  closed.swap(closed_);
}

void Pacer::fail(PacedConn& c, uint32_t id, int error) {
  if (c.closed) return;
  c.closed = true;
  epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
  close(c.fd);
  c.fd = -1;
  c.now.clear();
  c.scheduled.clear();
  closed_.push_back({id, error});
}

void Pacer::readAll(PacedConn& c, uint32_t id, int64_t woke) {
  uint8_t buf[kReadBuffer];
  while (!c.closed) {
    ssize_t n = ::read(c.fd, buf, sizeof buf);
    if (n > 0) {
      reads_.push_back({id, woke, std::vector<uint8_t>(buf, buf + n)});
      if (static_cast<size_t>(n) < sizeof buf) return;
      continue;
    }
    if (n == 0) return fail(c, id, 0);
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) fail(c, id, errno);
    return;
  }
}

void Pacer::writeDue(PacedConn& c, uint32_t id, int64_t now) {
  // Writes the front of `q`; false when the socket takes no more now (or failed).
  auto writeFront = [&](std::deque<PacedWrite>& q) {
    PacedWrite& w = q.front();
    int64_t at = nowNs();
    ssize_t n = send(c.fd, w.bytes.data() + w.offset, w.bytes.size() - w.offset, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        c.waitingWritable = true;
        watch(epoll_, EPOLL_CTL_MOD, c.fd, id, EPOLLIN | EPOLLRDHUP | EPOLLOUT);
      } else if (errno != EINTR) {
        fail(c, id, errno);
      }
      return false;
    }
    if (w.offset == 0) {
      if (w.seq != 0) sent_.push_back({id, w.seq, at});
      c.sendWindow -= w.flowBytes;  // its DATA is on the wire: the window is spent now
    }
    w.offset += static_cast<size_t>(n);
    if (w.offset < w.bytes.size()) {
      c.waitingWritable = true;
      watch(epoll_, EPOLL_CTL_MOD, c.fd, id, EPOLLIN | EPOLLRDHUP | EPOLLOUT);
      return false;
    }
    q.pop_front();
    return true;
  };
  if (c.closed || c.waitingWritable) return;
  // A frame half written is finished before any other: frames never interleave.
  if (!c.scheduled.empty() && c.scheduled.front().offset > 0 && !writeFront(c.scheduled)) return;
  while (!c.now.empty())
    if (!writeFront(c.now)) return;
  // In order, each at its time and once the connection's window takes its DATA (credit() wakes us for it).
  while (!c.closed && !c.scheduled.empty() && c.scheduled.front().dueNs <= now + kSlackNs &&
         (c.scheduled.front().offset > 0 || c.scheduled.front().flowBytes <= c.sendWindow))
    if (!writeFront(c.scheduled)) return;
}

void Pacer::arm(int64_t now) {
  int64_t next = INT64_MAX;
  for (auto& [id, c] : conns_)
    if (!c.closed && !c.waitingWritable && !c.scheduled.empty() && c.scheduled.front().dueNs < next &&
        c.scheduled.front().flowBytes <= c.sendWindow)
      next = c.scheduled.front().dueNs;
  if (next == armedNs_) return;
  armedNs_ = next;
  itimerspec spec{};
  if (next != INT64_MAX) {
    if (next <= now) next = now + 1000;
    spec.it_value.tv_sec = next / 1000000000LL;
    spec.it_value.tv_nsec = next % 1000000000LL;
  }
  timerfd_settime(timer_, TFD_TIMER_ABSTIME, &spec, nullptr);
}

void Pacer::run() {
  epoll_event events[64];
  for (;;) {
    int n = epoll_wait(epoll_, events, 64, -1);
    if (n < 0 && errno != EINTR) return;
    // What a read returns arrived before the wait did: stamped with the wakeup, not with when the lock was had.
    int64_t woke = nowNs();
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    for (int k = 0; k < n; k++) {
      uint64_t tag = events[k].data.u64;
      uint64_t count;
      if (tag == kWakeTag || tag == kTimerTag) {
        ssize_t ignored = ::read(tag == kWakeTag ? wake_ : timer_, &count, sizeof count);
        (void)ignored;
        continue;
      }
      auto it = conns_.find(static_cast<uint32_t>(tag));
      if (it == conns_.end() || it->second.closed) continue;
      PacedConn& c = it->second;
      if (events[k].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) readAll(c, it->first, woke);
      if (!c.closed && (events[k].events & EPOLLOUT)) {
        c.waitingWritable = false;
        watch(epoll_, EPOLL_CTL_MOD, c.fd, it->first, EPOLLIN | EPOLLRDHUP);
      }
    }
    int64_t now = nowNs();
    for (auto& [id, c] : conns_) writeDue(c, id, now);
    arm(nowNs());
  }
}

}  // namespace edb
