#!/usr/bin/env bash
# kube-apiserver (and kubectl beside it) as test fixtures: built from
# Kubernetes' own module, k8s.io/kubernetes at the release
# tools/kube-apiserver/go.mod pins, its staging modules (k8s.io/api,
# apimachinery, apiserver, ...) replaced by their published versions of the
# same release, into a cache outside git. Builds only what is missing, then
# prints the kube-apiserver's path last (kubectl is in the same directory).
#
#   scripts/kube-apiserver.sh           build if missing, print the path
#   scripts/kube-apiserver.sh --list    print the path if built, else exit 1
#
# Needs Go (the go.mod's version) and the Go module proxy; without Go it says
# so and exits 1. The cache: $ETCD_DISK_BENCH_CACHE, else ~/.cache/etcd-disk-bench.
# bench:apiserver and test:apiserver start it (bench/kube-apiserver.ts).
set -euo pipefail
cd "$(dirname "$0")/../tools/kube-apiserver"
version="$(sed -n 's/^\(require \)\{0,1\}[[:space:]]*k8s\.io\/kubernetes \(v[0-9.]*\).*/\2/p' go.mod | head -n1)"
[ -n "$version" ] || { echo "kube-apiserver: no k8s.io/kubernetes version pinned in go.mod" >&2; exit 1; }
out="${ETCD_DISK_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/etcd-disk-bench}/kubernetes/$version"
if [ ! -x "$out/kube-apiserver" ] || [ ! -x "$out/kubectl" ]; then
  if [ "${1:-}" = "--list" ]; then
    echo "kube-apiserver: $version is not built (run scripts/kube-apiserver.sh)" >&2
    exit 1
  fi
  command -v go >/dev/null || { echo "kube-apiserver: no Go on this machine: cannot build $version" >&2; exit 1; }
  echo "kube-apiserver: building kube-apiserver and kubectl $version into $out (a few minutes)" >&2
  rm -rf "$out.tmp"
  mkdir -p "$out.tmp"
  export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=readonly -trimpath"
  go build -o "$out.tmp/kube-apiserver" ./kube-apiserver
  go build -o "$out.tmp/kubectl" ./kubectl
  rm -rf "$out"
  mv "$out.tmp" "$out"
fi
echo "$out/kube-apiserver"
