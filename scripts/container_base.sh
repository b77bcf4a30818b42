#!/usr/bin/env bash
# Build a base image for the Containerfile from Debian's own packages, for machines that cannot
# pull the default base (docker.io/library/python:3.11-slim-bookworm): a Debian 12 (bookworm)
# root file system with Python 3.11 and its venv module, made by mmdebstrap and imported into
# podman. Then build newslint's images on it:
#
#   scripts/container_base.sh                      # -> localhost/newslint-base:bookworm
#   podman build --format docker --build-arg BASE_IMAGE=localhost/newslint-base:bookworm \
#       -f Containerfile --target server -t newslint:0.1.0-server .
#
# Options: --ca FILE (repeatable) adds a CA certificate to the image's trust store, for networks
# whose HTTPS proxy re-signs traffic (pip in the build must trust it); --tag NAME names the image.
# Needs mmdebstrap and podman (Debian: apt-get install mmdebstrap podman); run as root or under
# `podman unshare`.
set -euo pipefail

tag="localhost/newslint-base:bookworm"
cas=()
while [ $# -gt 0 ]; do
  case "$1" in
    --ca) cas+=("$(realpath "$2")"); shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "container_base.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in mmdebstrap podman; do
  command -v "$tool" >/dev/null || { echo "container_base.sh: $tool is not installed" >&2; exit 2; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
hooks=()
if [ ${#cas[@]} -gt 0 ]; then
  mkdir "$work/ca"
  for i in "${!cas[@]}"; do
    cp "${cas[$i]}" "$work/ca/extra-$i.crt"  # update-ca-certificates reads *.crt only
    hooks+=(--customize-hook="copy-in $work/ca/extra-$i.crt /usr/local/share/ca-certificates/")
  done
  hooks+=(--customize-hook='chroot "$1" update-ca-certificates')
fi
mmdebstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
  "${hooks[@]}" bookworm "$work/rootfs.tar"
podman import --change 'CMD ["python3"]' "$work/rootfs.tar" "$tag"
echo "container_base.sh: built $tag"
