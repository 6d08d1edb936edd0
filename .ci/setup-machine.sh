#!/usr/bin/env bash
# Installs what galley's tests need on a fresh Debian machine, as root:
# Docker engine, debootstrap, ansible, dnsmasq, moto; starts dockerd; builds
# the local test images. Safe to run again.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
for p in docker.io debootstrap dnsmasq-base swaks openssh-client ansible python3-venv; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi

if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd"
  (dockerd >/var/log/dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { tail -n 40 /var/log/dockerd.log >&2; exit 1; }
fi

# moto in its own venv, so the system Python stays untouched.
MOTO_VENV=${MOTO_VENV:-/opt/galley-moto}
if [ ! -x "$MOTO_VENV/bin/moto_server" ]; then
  python3 -m venv "$MOTO_VENV"
  "$MOTO_VENV/bin/pip" install -q 'moto[server]==5.1.18'
fi

"$(dirname "$0")/../images/build-images.sh"
