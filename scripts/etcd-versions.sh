#!/usr/bin/env bash
# The etcd versions the tests run against, as test fixtures: etcd, etcdctl and
# etcdutl of each minor built from etcd's own Go modules at the versions that
# tools/etcd/v3.N/go.mod pins (and go.sum checks), into a cache outside git;
# Debian's etcd (3.4) from PATH beside them. Builds only what is missing, then
# prints one line per binary: `VERSION PATH` (etcd's own `--version`).
#
#   scripts/etcd-versions.sh            build what is missing, list all
#   scripts/etcd-versions.sh --list     list what is built, build nothing
#
# Without Go it says so, lists what is missing and exits 0: the tests that need
# a version skip, saying why. The cache: $ETCD_DISK_BENCH_CACHE, else
# ~/.cache/etcd-disk-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${ETCD_DISK_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/etcd-disk-bench}/etcd"
build=1
[ "${1:-}" = "--list" ] && build=0

pinned() { sed -n 's/^\(require \)\{0,1\}[[:space:]]*go\.etcd\.io\/etcd\/server\/v3 \(v[0-9.]*\).*/\2/p' "$1/go.mod" | head -n1; }

missing=()
for mod in tools/etcd/v3.*; do
  v="$(pinned "$mod")"
  [ -n "$v" ] || { echo "etcd-versions: no server/v3 version pinned in $mod/go.mod" >&2; exit 1; }
  out="$cache/$v"
  if [ -x "$out/etcd" ] && [ -x "$out/etcdctl" ] && [ -x "$out/etcdutl" ]; then continue; fi
  if [ "$build" = 0 ] || ! command -v go >/dev/null; then
    missing+=("$v")
    continue
  fi
  echo "etcd-versions: building etcd $v into $out" >&2
  mkdir -p "$out.tmp"
  (
    cd "$mod"
    export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=readonly -trimpath"
    go build -o "$out.tmp/etcd" ./etcd
    go build -o "$out.tmp/etcdctl" go.etcd.io/etcd/etcdctl/v3
    go build -o "$out.tmp/etcdutl" go.etcd.io/etcd/etcdutl/v3
  )
  rm -rf "$out"
  mv "$out.tmp" "$out"
done

if [ ${#missing[@]} -gt 0 ]; then
  if command -v go >/dev/null; then
    echo "etcd-versions: not built yet: ${missing[*]} (run scripts/etcd-versions.sh)" >&2
  else
    echo "etcd-versions: no Go on this machine: cannot build etcd ${missing[*]}; the tests that need them skip" >&2
  fi
fi

# Debian's etcd (3.4) from PATH, then each built version.
if command -v etcd >/dev/null; then
  echo "$(etcd --version | sed -n 's/^etcd Version: //p') $(command -v etcd)"
fi
for dir in "$cache"/v3.*; do
  [ -x "$dir/etcd" ] || continue
  for bin in etcd etcdctl etcdutl; do
    [ -x "$dir/$bin" ] || continue
    case "$bin" in
      etcd) ver="$("$dir/etcd" --version | sed -n 's/^etcd Version: //p')" ;;
      etcdctl) ver="$("$dir/etcdctl" version | sed -n 's/^etcdctl version: //p')" ;;
      etcdutl) ver="$("$dir/etcdutl" version | sed -n 's/^etcdutl version: //p')" ;;
    esac
    echo "$ver $dir/$bin"
  done
done
