// slowfs: a FUSE passthrough filesystem that makes a disk slow on purpose.
// Every operation is forwarded to a backing directory; before fsync and
// fdatasync (and, optionally, write) it sleeps: a fixed delay, a delay with
// jitter, and/or a spike every Nth sync, and/or once: the next sync only
// ("once_us=N", for one stall of a known length). It can also fail syncs with EIO.
// With "bucket_size=N bucket_rate=R" it is a burst-credit volume: each write and
// each fsync takes one credit from a bucket of N, refilled at R a second; while
// credits last they run at full speed, and once it is empty each waits for the
// next credit, in the order they came ("bucket_level" reads the credits left);
// "bucket_burst=B" caps operations at B a second even while credits last.
// "dist=US:W;US:W;..." adds to each sync a delay drawn from a distribution of
// bins (draw.h), repeatably with "seed=N"; "stall_every_ms=P stall_us=S" stalls
// the disk for S us at the start of every P ms (counted from when it was set):
// a sync that starts inside a stall waits for its end.
// "cut_fsync_us=N" adds N to the syncs of a WAL segment cut only: the fsync of
// a file named *.tmp (etcd's preallocated next segment, before its rename)
// and every directory fsync. "fallocate_errno=N" makes fallocate fail with
// errno N (95: EOPNOTSUPP, as on filesystems without it).
// The settings change while mounted by writing to the virtual file
// MOUNT/.slowfs ("fsync_delay_us=800000 jitter_us=0 ..."); reading it gives
// the current settings and counters.
//
//   slowfs BACKING_DIR MOUNTPOINT [key=value ...] [-- fuse options]
//
// It runs in the foreground, asks the kernel for SIGTERM when its parent dies
// (so a crashed tool leaves no mount behind) and unmounts on SIGTERM/SIGINT.
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "draw.h"

#define CONTROL "/.slowfs"
// The file handle of the open control file (never a real descriptor).
#define CONTROL_FH UINT64_MAX

struct settings {
  long fsync_delay_us;  // before every fsync/fdatasync
  long jitter_us;       // plus or minus, uniformly
  long spike_every;     // every Nth sync (0: never) ...
  long spike_us;        // ... sleeps this much more
  long write_delay_us;  // before every write
  long fail_fsync;      // 1: fsync/fdatasync fail with EIO (after the delay)
  long cut_fsync_us;    // added to the fsync of a *.tmp file and of a directory (a WAL cut's)
  long fallocate_errno; // fallocate fails with this errno (0: it works)
  long stall_every_ms;  // a stall at the start of every period of this many ms (0: none) ...
  long stall_us;        // ... this long
};

static struct settings cfg;
static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_long syncs, writes, failed;
// once_us: added to the next sync only, then back to 0.
static atomic_long once_us;
// The delay distribution, its generator and where the periodic stalls count from (all under dist_lock).
static pthread_mutex_t dist_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dist dist;
static unsigned long long dist_state;
static long dist_seed;
static double stall_origin;
static int backing = -1;

// The token bucket (bucket_size 0: none). The level may go below 0: a waiting operation owes credits, and
// sleeps until the refill has paid them, so operations are served in the order they took their credit.
static pthread_mutex_t bucket_lock = PTHREAD_MUTEX_INITIALIZER;
static long bucket_size, bucket_rate;
static double bucket_level, bucket_at;
// The volume's ceiling (bucket_burst 0: none): at most this many operations a second even with credits left, each
// given the next free slot in turn.
static long bucket_burst;
static double burst_next;
static atomic_long bucket_waited;

static const char *rel(const char *path) { return path[1] == '\0' ? "." : path + 1; }
// With hard_remove, operations on an open file that was unlinked get a NULL path (they use fi->fh).
static int is_control(const char *path) { return path != NULL && strcmp(path, CONTROL) == 0; }
static int is_control_fh(const struct fuse_file_info *fi) { return fi != NULL && fi->fh == CONTROL_FH; }

static struct settings current(void) {
  pthread_mutex_lock(&cfg_lock);
  struct settings s = cfg;
  pthread_mutex_unlock(&cfg_lock);
  return s;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/** The level after refilling up to now (call with bucket_lock held). */
static void refill(double now) {
  bucket_level += (now - bucket_at) * (double)bucket_rate;
  if (bucket_level > (double)bucket_size) bucket_level = (double)bucket_size;
  bucket_at = now;
}

static void sleep_us(long us);

/** Takes one credit; with none left, waits until the refill has brought this operation's credit. */
static void take_credit(void) {
  pthread_mutex_lock(&bucket_lock);
  if (bucket_size <= 0 || bucket_rate <= 0) {
    pthread_mutex_unlock(&bucket_lock);
    return;
  }
  double now = now_s();
  refill(now);
  bucket_level -= 1.0;
  double owed = bucket_level < 0 ? -bucket_level / (double)bucket_rate : 0;
  if (bucket_burst > 0) {
    double slot = burst_next > now ? burst_next : now;
    burst_next = slot + 1.0 / (double)bucket_burst;
    if (slot - now > owed) owed = slot - now;
  }
  pthread_mutex_unlock(&bucket_lock);
  if (owed > 0) {
    atomic_fetch_add(&bucket_waited, 1);
    sleep_us((long)(owed * 1e6));
  }
}

static double bucket_now(void) {
  pthread_mutex_lock(&bucket_lock);
  if (bucket_size > 0) refill(now_s());
  double level = bucket_level;
  pthread_mutex_unlock(&bucket_lock);
  return level;
}

static void sleep_us(long us) {
  if (us <= 0) return;
  struct timespec t = {us / 1000000, (us % 1000000) * 1000};
  while (nanosleep(&t, &t) == -1 && errno == EINTR) {
  }
}

/** Parses "key=value key=value"; returns 0, or -EINVAL on an unknown key or a bad number (nothing changed then). */
static int apply(const char *text) {
  struct settings next = current();
  const struct settings before = next;
  char *copy = strdup(text), *save = NULL;
  int rc = 0;
  long once = -1, size = -1, rate = -1, level = -1, burst = -1, seed = -1;
  const char *dist_text = NULL;
  static struct dist parsed;
  for (char *tok = strtok_r(copy, " \t\r\n,", &save); tok; tok = strtok_r(NULL, " \t\r\n,", &save)) {
    char *eq = strchr(tok, '=');
    if (!eq) { rc = -EINVAL; break; }
    *eq = '\0';
    if (!strcmp(tok, "dist")) {
      dist_text = eq + 1;
      continue;
    }
    char *end;
    long v = strtol(eq + 1, &end, 10);
    if (*end != '\0' || v < 0) { rc = -EINVAL; break; }
    if (!strcmp(tok, "fsync_delay_us")) next.fsync_delay_us = v;
    else if (!strcmp(tok, "jitter_us")) next.jitter_us = v;
    else if (!strcmp(tok, "spike_every")) next.spike_every = v;
    else if (!strcmp(tok, "spike_us")) next.spike_us = v;
    else if (!strcmp(tok, "write_delay_us")) next.write_delay_us = v;
    else if (!strcmp(tok, "fail_fsync")) next.fail_fsync = v ? 1 : 0;
    else if (!strcmp(tok, "cut_fsync_us")) next.cut_fsync_us = v;
    else if (!strcmp(tok, "fallocate_errno")) next.fallocate_errno = v;
    else if (!strcmp(tok, "once_us")) once = v;
    else if (!strcmp(tok, "bucket_size")) size = v;
    else if (!strcmp(tok, "bucket_rate")) rate = v;
    else if (!strcmp(tok, "bucket_level")) level = v;
    else if (!strcmp(tok, "bucket_burst")) burst = v;
    else if (!strcmp(tok, "seed")) seed = v;
    else if (!strcmp(tok, "stall_every_ms")) next.stall_every_ms = v;
    else if (!strcmp(tok, "stall_us")) next.stall_us = v;
    else { rc = -EINVAL; break; }
  }
  pthread_mutex_lock(&dist_lock);
  if (rc == 0 && dist_text) rc = dist_parse(dist_text, &parsed);
  if (rc == 0) {
    if (dist_text) memcpy(&dist, &parsed, sizeof parsed);
    if (seed >= 0) {
      dist_seed = seed;
      dist_state = (unsigned long long)seed;
    }
    if (next.stall_every_ms != before.stall_every_ms || next.stall_us != before.stall_us) stall_origin = now_s();
  }
  pthread_mutex_unlock(&dist_lock);
  free(copy);
  if (rc == 0) {
    pthread_mutex_lock(&cfg_lock);
    cfg = next;
    pthread_mutex_unlock(&cfg_lock);
    if (once >= 0) atomic_store(&once_us, once);
    if (size >= 0 || rate >= 0 || level >= 0 || burst >= 0) {
      pthread_mutex_lock(&bucket_lock);
      double now = now_s();
      if (bucket_size > 0) refill(now);
      bucket_at = now;
      if (rate >= 0) bucket_rate = rate;
      if (burst >= 0) {
        bucket_burst = burst;
        burst_next = now;
      }
      // A new size starts full unless a level is given with it.
      if (size >= 0) {
        bucket_size = size;
        bucket_level = (double)size;
      }
      if (level >= 0) bucket_level = level < bucket_size ? (double)level : (double)bucket_size;
      pthread_mutex_unlock(&bucket_lock);
    }
  }
  return rc;
}

static int describe(char *buf, size_t n) {
  struct settings s = current();
  double level = bucket_now();
  pthread_mutex_lock(&dist_lock);
  int bins = dist.n;
  long seed = dist_seed;
  pthread_mutex_unlock(&dist_lock);
  return snprintf(buf, n, "fsync_delay_us=%ld jitter_us=%ld spike_every=%ld spike_us=%ld write_delay_us=%ld fail_fsync=%ld cut_fsync_us=%ld fallocate_errno=%ld once_us=%ld syncs=%ld writes=%ld failed=%ld bucket_size=%ld bucket_rate=%ld bucket_burst=%ld bucket_level=%.0f bucket_waited=%ld dist_bins=%d seed=%ld stall_every_ms=%ld stall_us=%ld\n",
                  s.fsync_delay_us, s.jitter_us, s.spike_every, s.spike_us, s.write_delay_us, s.fail_fsync, s.cut_fsync_us, s.fallocate_errno, atomic_load(&once_us),
                  atomic_load(&syncs), atomic_load(&writes), atomic_load(&failed), bucket_size, bucket_rate, bucket_burst, level,
                  atomic_load(&bucket_waited), bins, seed, s.stall_every_ms, s.stall_us);
}

/** The delay of one sync (`cut`: one of a WAL cut's), then whether it fails. */
static int slow_sync(int cut) {
  struct settings s = current();
  long n = atomic_fetch_add(&syncs, 1) + 1;
  long us = s.fsync_delay_us + (cut ? s.cut_fsync_us : 0);
  if (s.jitter_us > 0) us += (long)(random() % (2 * s.jitter_us + 1)) - s.jitter_us;
  if (s.spike_every > 0 && n % s.spike_every == 0) us += s.spike_us;
  us += atomic_exchange(&once_us, 0);
  pthread_mutex_lock(&dist_lock);
  us += dist_draw(&dist, &dist_state);
  double origin = stall_origin;
  pthread_mutex_unlock(&dist_lock);
  if (s.stall_every_ms > 0 && s.stall_us > 0) {
    // Inside a stall (the first stall_us of each period): wait for its end.
    long period_us = s.stall_every_ms * 1000;
    long into = (long)((now_s() - origin) * 1e6) % period_us;
    if (into < s.stall_us) us += s.stall_us - into;
  }
  sleep_us(us);
  if (s.fail_fsync) {
    atomic_fetch_add(&failed, 1);
    return -EIO;
  }
  return 0;
}

#define CHECK(expr) ((expr) == -1 ? -errno : 0)

static int op_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
  if (is_control(path)) {
    memset(st, 0, sizeof *st);
    st->st_mode = S_IFREG | 0600;
    st->st_nlink = 1;
    st->st_size = 4096;
    return 0;
  }
  if (fi && fi->fh && !is_control_fh(fi)) return CHECK(fstat((int)fi->fh, st));
  if (path == NULL) return -ENOENT;
  return CHECK(fstatat(backing, rel(path), st, AT_SYMLINK_NOFOLLOW));
}

static int op_access(const char *path, int mask) { return is_control(path) ? 0 : CHECK(faccessat(backing, rel(path), mask, 0)); }
static int op_readlink(const char *path, char *buf, size_t size) {
  ssize_t n = readlinkat(backing, rel(path), buf, size - 1);
  if (n == -1) return -errno;
  buf[n] = '\0';
  return 0;
}
static int op_mkdir(const char *path, mode_t mode) { return CHECK(mkdirat(backing, rel(path), mode)); }
static int op_unlink(const char *path) { return CHECK(unlinkat(backing, rel(path), 0)); }
static int op_rmdir(const char *path) { return CHECK(unlinkat(backing, rel(path), AT_REMOVEDIR)); }
static int op_symlink(const char *to, const char *path) { return CHECK(symlinkat(to, backing, rel(path))); }
static int op_rename(const char *from, const char *to, unsigned int flags) { return CHECK(renameat2(backing, rel(from), backing, rel(to), flags)); }
static int op_link(const char *from, const char *to) { return CHECK(linkat(backing, rel(from), backing, rel(to), 0)); }
static int op_chmod(const char *path, mode_t mode, struct fuse_file_info *fi) {
  if (fi && fi->fh) return CHECK(fchmod((int)fi->fh, mode));
  return path == NULL ? -ENOENT : CHECK(fchmodat(backing, rel(path), mode, 0));
}
static int op_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi) {
  if (fi && fi->fh) return CHECK(fchown((int)fi->fh, uid, gid));
  return path == NULL ? -ENOENT : CHECK(fchownat(backing, rel(path), uid, gid, AT_SYMLINK_NOFOLLOW));
}
static int op_truncate(const char *path, off_t size, struct fuse_file_info *fi) {
  if (is_control_fh(fi) || is_control(path)) return 0;
  if (fi && fi->fh) return CHECK(ftruncate((int)fi->fh, size));
  if (path == NULL) return -ENOENT;
  int fd = openat(backing, rel(path), O_WRONLY);
  if (fd == -1) return -errno;
  int rc = CHECK(ftruncate(fd, size));
  close(fd);
  return rc;
}
static int op_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi) {
  if (fi && fi->fh) return CHECK(futimens((int)fi->fh, tv));
  return path == NULL ? -ENOENT : CHECK(utimensat(backing, rel(path), tv, AT_SYMLINK_NOFOLLOW));
}

static int op_open(const char *path, struct fuse_file_info *fi) {
  if (is_control(path)) {
    fi->fh = CONTROL_FH;
    fi->direct_io = 1;
    return 0;
  }
  int fd = openat(backing, rel(path), fi->flags & ~O_NOFOLLOW);
  if (fd == -1) return -errno;
  fi->fh = (uint64_t)fd;
  // O_DIRECT on the backing file is honoured; the page cache in between is FUSE's.
  if (fi->flags & O_DIRECT) fi->direct_io = 1;
  return 0;
}

static int op_create(const char *path, mode_t mode, struct fuse_file_info *fi) {
  int fd = openat(backing, rel(path), fi->flags | O_CREAT, mode);
  if (fd == -1) return -errno;
  fi->fh = (uint64_t)fd;
  return 0;
}

static int op_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
  (void)path;
  if (is_control_fh(fi)) {
    char text[1024];
    int n = describe(text, sizeof text);
    if (off >= n) return 0;
    size_t len = (size_t)(n - off) < size ? (size_t)(n - off) : size;
    memcpy(buf, text + off, len);
    return (int)len;
  }
  ssize_t n = pread((int)fi->fh, buf, size, off);
  return n == -1 ? -errno : (int)n;
}

static int op_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
  (void)path;
  if (is_control_fh(fi)) {
    // One write holds every setting (a distribution of up to DIST_MAX_BINS bins fits in FUSE's 128 KiB).
    char *text = malloc(size + 1);
    if (!text) return -ENOMEM;
    memcpy(text, buf, size);
    text[size] = '\0';
    int rc = apply(text);
    free(text);
    return rc < 0 ? rc : (int)size;
  }
  atomic_fetch_add(&writes, 1);
  take_credit();
  sleep_us(current().write_delay_us);
  ssize_t n = pwrite((int)fi->fh, buf, size, off);
  return n == -1 ? -errno : (int)n;
}

static int op_statfs(const char *path, struct statvfs *st) {
  (void)path;
  return CHECK(fstatvfs(backing, st));
}

static int op_flush(const char *path, struct fuse_file_info *fi) {
  (void)path;
  if (is_control_fh(fi)) return 0;
  // close() of a dup: reports delayed write errors, as close() on the backing file would.
  int fd = dup((int)fi->fh);
  return fd == -1 ? -errno : CHECK(close(fd));
}

static int op_release(const char *path, struct fuse_file_info *fi) {
  (void)path;
  if (!is_control_fh(fi)) close((int)fi->fh);
  return 0;
}

static int is_tmp(const char *path) {
  size_t n = path ? strlen(path) : 0;
  return n > 4 && strcmp(path + n - 4, ".tmp") == 0;
}

static int op_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
  if (is_control_fh(fi)) return 0;
  take_credit();
  int rc = slow_sync(is_tmp(path));
  if (rc) return rc;
  return CHECK(datasync ? fdatasync((int)fi->fh) : fsync((int)fi->fh));
}

static int op_fallocate(const char *path, int mode, off_t off, off_t len, struct fuse_file_info *fi) {
  (void)path;
  long refuse = current().fallocate_errno;
  if (refuse > 0) return (int)-refuse;
  return CHECK(fallocate((int)fi->fh, mode, off, len));
}

static off_t op_lseek(const char *path, off_t off, int whence, struct fuse_file_info *fi) {
  (void)path;
  off_t r = lseek((int)fi->fh, off, whence);
  return r == -1 ? -errno : r;
}

static int op_opendir(const char *path, struct fuse_file_info *fi) {
  int fd = openat(backing, rel(path), O_RDONLY | O_DIRECTORY);
  if (fd == -1) return -errno;
  DIR *d = fdopendir(fd);
  if (!d) {
    int e = errno;
    close(fd);
    return -e;
  }
  fi->fh = (uint64_t)(uintptr_t)d;
  return 0;
}

static int op_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off, struct fuse_file_info *fi, enum fuse_readdir_flags flags) {
  (void)path; (void)off; (void)flags;
  DIR *d = (DIR *)(uintptr_t)fi->fh;
  rewinddir(d);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    struct stat st = {0};
    st.st_ino = e->d_ino;
    st.st_mode = (mode_t)DTTOIF(e->d_type);
    if (fill(buf, e->d_name, &st, 0, 0)) break;
  }
  return 0;
}

static int op_releasedir(const char *path, struct fuse_file_info *fi) {
  (void)path;
  closedir((DIR *)(uintptr_t)fi->fh);
  return 0;
}

static int op_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi) {
  (void)path;
  int rc = slow_sync(1);
  if (rc) return rc;
  int fd = dirfd((DIR *)(uintptr_t)fi->fh);
  return CHECK(datasync ? fdatasync(fd) : fsync(fd));
}

static void *op_init(struct fuse_conn_info *conn, struct fuse_config *c) {
  (void)conn;
  c->use_ino = 1;
  // The backing filesystem is the truth: no attribute or entry caching that could hide a change.
  c->entry_timeout = 0;
  c->attr_timeout = 0;
  c->negative_timeout = 0;
  // Unlink at once even when the file is open (no .fuse_hidden files): a run directory must be removable.
  c->hard_remove = 1;
  return NULL;
}

static const struct fuse_operations ops = {
  .init = op_init,
  .getattr = op_getattr,
  .access = op_access,
  .readlink = op_readlink,
  .mkdir = op_mkdir,
  .unlink = op_unlink,
  .rmdir = op_rmdir,
  .symlink = op_symlink,
  .rename = op_rename,
  .link = op_link,
  .chmod = op_chmod,
  .chown = op_chown,
  .truncate = op_truncate,
  .utimens = op_utimens,
  .open = op_open,
  .create = op_create,
  .read = op_read,
  .write = op_write,
  .statfs = op_statfs,
  .flush = op_flush,
  .release = op_release,
  .fsync = op_fsync,
  .fallocate = op_fallocate,
  .lseek = op_lseek,
  .opendir = op_opendir,
  .readdir = op_readdir,
  .releasedir = op_releasedir,
  .fsyncdir = op_fsyncdir,
};

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: slowfs BACKING_DIR MOUNTPOINT [fsync_delay_us=N jitter_us=N spike_every=N spike_us=N write_delay_us=N fail_fsync=0|1 once_us=N] [-- fuse options]\n");
    return 2;
  }
  // A tool that dies must not leave this mount behind: SIGTERM makes fuse unmount and exit.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() == 1) return 3;
  char *mountpoint = realpath(argv[2], NULL);
  if (!mountpoint) {
    fprintf(stderr, "slowfs: no mount point %s: %s\n", argv[2], strerror(errno));
    return 3;
  }
  backing = open(argv[1], O_RDONLY | O_DIRECTORY);
  if (backing == -1) {
    fprintf(stderr, "slowfs: cannot open %s: %s\n", argv[1], strerror(errno));
    return 3;
  }
  int i = 3;
  for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
    if (apply(argv[i]) != 0) {
      fprintf(stderr, "slowfs: bad setting \"%s\"; allowed: fsync_delay_us=N jitter_us=N spike_every=N spike_us=N write_delay_us=N fail_fsync=0|1 "
              "cut_fsync_us=N fallocate_errno=N once_us=N bucket_size=N bucket_rate=N bucket_level=N bucket_burst=N "
              "dist=US:W;US:W... seed=N stall_every_ms=N stall_us=N\n", argv[i]);
      return 2;
    }
  }
  srandom((unsigned)time(NULL));
  // fuse_main: foreground (-f), multi-threaded (a sleeping sync does not hold up other files), default permissions off (root).
  char *fargs[32];
  int n = 0;
  fargs[n++] = argv[0];
  fargs[n++] = argv[2];
  fargs[n++] = "-f";
  fargs[n++] = "-o";
  fargs[n++] = "fsname=slowfs,subtype=slowfs,max_threads=64";
  if (i < argc) i++;
  for (; i < argc && n < 31; i++) fargs[n++] = argv[i];
  fargs[n] = NULL;
  int rc = fuse_main(n, fargs, &ops, NULL);
  // libfuse skips its unmount when the connection already looks severed; detach
  // lazily whatever is left, so no dead mount outlives us (EINVAL: nothing there).
  umount2(mountpoint, MNT_DETACH);
  return rc;
}
