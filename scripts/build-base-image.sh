#!/usr/bin/env bash
# Builds a local base image for the Containerfile without any container
# registry: a Debian 12 root filesystem from Debian's packages (debootstrap),
# with the compiler the builder needs and the fio the runtime needs (its etcd
# 3.6 is staged by scripts/stage-image-etcd.sh),
# plus this machine's Node 20 (Debian 12 ships Node 18), imported into podman.
#
#   scripts/build-base-image.sh [IMAGE]        # default localhost/edb-base:bookworm
#
# Needs root, debootstrap, podman, and Node 20 with its headers in /usr (/usr/bin/node, /usr/include/node).
set -euo pipefail
image="${1:-localhost/edb-base:bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
root="$(mktemp -d /var/tmp/edb-base-XXXXXX)"
trap 'rm -rf "$root"' EXIT

for tool in debootstrap podman; do
  command -v "$tool" >/dev/null || { echo "build-base-image: $tool is needed" >&2; exit 3; }
done
node_version="$(node --version 2>/dev/null || true)"
case "$node_version" in
  v20.*) ;;
  *) echo "build-base-image: this machine's node is '${node_version:-missing}', expected v20.x" >&2; exit 3 ;;
esac

debootstrap --variant=minbase \
  --include=ca-certificates,g++,make,python3,fio,passwd \
  bookworm "$root" "$mirror"
# Node 20, its headers (node-gyp builds offline against them) and npm, as installed on this machine.
tar -C / -cf - usr/bin/node usr/bin/npm usr/bin/npx usr/include/node usr/lib/node_modules/npm | tar -C "$root" -xf -
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | podman import --change 'CMD ["/bin/bash"]' - "$image"
echo "build-base-image: $image (node $node_version)"
