// Seeded draws of a sync's delay from a distribution: bins of (delay in us,
// weight), as "US:WEIGHT;US:WEIGHT;..." (a report's fdatasync histogram, or a
// shape such as 1 ms for 97 % and 20 ms for 3 %: "1000:97;20000:3"). A draw
// picks a bin with probability weight/total. The generator is splitmix64,
// seeded by "seed=N": the same seed gives the same sequence of delays, so a
// replay can be run again. Included once, by slowfs.c.
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DIST_MAX_BINS 4096

struct dist {
  int n;
  long us[DIST_MAX_BINS];
  unsigned long long cum[DIST_MAX_BINS];  // running sum of the weights
};

/** Parses "US:W;US:W;..." into d (empty: no distribution); 0, or -EINVAL (d untouched then). */
static int dist_parse(const char *text, struct dist *d) {
  static struct dist next;
  next.n = 0;
  unsigned long long total = 0;
  const char *p = text;
  while (*p) {
    char *end;
    long us = strtol(p, &end, 10);
    if (end == p || *end != ':' || us < 0) return -EINVAL;
    p = end + 1;
    long w = strtol(p, &end, 10);
    if (end == p || w < 0 || (*end != ';' && *end != '\0')) return -EINVAL;
    if (next.n == DIST_MAX_BINS) return -EINVAL;
    total += (unsigned long long)w;
    next.us[next.n] = us;
    next.cum[next.n] = total;
    next.n++;
    p = *end == ';' ? end + 1 : end;
  }
  if (next.n > 0 && total == 0) return -EINVAL;
  memcpy(d, &next, sizeof next);
  return 0;
}

static unsigned long long splitmix64(unsigned long long *state) {
  unsigned long long z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/** One delay from d (0 without bins), advancing the generator. */
static long dist_draw(const struct dist *d, unsigned long long *state) {
  if (d->n == 0) return 0;
  unsigned long long total = d->cum[d->n - 1];
  unsigned long long r = splitmix64(state) % total;
  int lo = 0, hi = d->n - 1;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (d->cum[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return d->us[lo];
}
