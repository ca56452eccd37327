#!/usr/bin/env bash
# npm run setup: installs what the system tests and the image test need, the
# one list for a developer's machine and for CI (.ci/run calls this). On Debian
# and Ubuntu as root it installs the missing packages with apt-get; elsewhere,
# or without root, it prints them and exits 1.
#
#   etcd-server etcd-client     a real etcd for the load, qualify and observe tests
#   fio strace                  fio parity, and both tools' system calls traced
#   tmux                        the terminal UI driven with send-keys/capture-pane
#   prometheus                  observe's Prometheus source; promtool checks --prom-out
#   prometheus-node-exporter    --prom-out served by node_exporter's textfile collector
#   chromium                    the HTML report opened in a headless browser
#   pkg-config libfuse3-dev fuse3   slowfs, the slowed disk of the labs and their tests
#   util-linux procps openssl mount   setpriv, pgrep, certificates, tmpfs mounts
#   podman runc containernetworking-plugins debootstrap catatonit
#                               npm run test:image (a local base image built, no registry)
#
# Then etcd 3.5, 3.6 and 3.7 for the version matrix, built from etcd's own Go
# modules (scripts/etcd-versions.sh; needs Go, else those tests skip).
set -euo pipefail
packages=(
  etcd-server etcd-client fio strace tmux prometheus prometheus-node-exporter chromium
  pkg-config libfuse3-dev fuse3 util-linux procps openssl mount
  podman runc containernetworking-plugins debootstrap catatonit
)
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = 'install ok installed' ]; }

if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
  echo "setup: not a Debian or Ubuntu system; install these (or your system's equivalents):" >&2
  echo "  ${packages[*]}" >&2
  exit 1
fi
missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
etcd_versions() {
  if command -v go >/dev/null; then
    bash "$(dirname "$0")/etcd-versions.sh" | sed 's/^/setup: etcd /'
  else
    echo "setup: no Go here: etcd 3.5-3.7 are not built, and the version matrix skips them"
  fi
}
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: everything the tests need is installed"
  etcd_versions
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: run as root to install: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: installed ${#missing[@]} packages"
etcd_versions
