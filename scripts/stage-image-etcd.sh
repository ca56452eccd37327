#!/usr/bin/env bash
# Stages the image's own etcd: the newest 3.6 that scripts/etcd-versions.sh
# builds from etcd's Go modules (the minor kubeadm pins for Kubernetes 1.34 to
# 1.36), copied into image/etcd/ for the Containerfile. Run it before
# `podman build`; npm run test:image does.
set -euo pipefail
cd "$(dirname "$0")/.."
line="$(bash scripts/etcd-versions.sh | awk '$1 ~ /^3\.6\./ && $2 ~ /\/etcd$/' | sort -V | tail -n1)"
if [ -z "$line" ]; then
  echo "stage-image-etcd: no etcd 3.6 built (scripts/etcd-versions.sh needs Go to build it)" >&2
  exit 3
fi
version="${line%% *}"
dir="$(dirname "${line#* }")"
install -m 0755 "$dir/etcd" "$dir/etcdctl" "$dir/etcdutl" image/etcd/
echo "stage-image-etcd: etcd $version in image/etcd/"
