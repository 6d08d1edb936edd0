#!/usr/bin/env bash
# Builds galley's local test images with debootstrap + docker import (no image
# registry is reachable). Reuses an image that already exists.
#   galley/debian-sshd:bookworm   builder base: sshd, sudo, sendmail-cf, m4, make
#   galley/postfix:bookworm       smart host: postfix, dnsmasq, sasl (and sudo: an EC2 stand-in for the
#                                 postfix images of the nightly workflow's test)
#   galley/debian-jre:bookworm    a clean Debian with a Java 17 runtime: the install tests' machine and
#                                 the base of the galley/galley image (images/galley-image.sh)
set -euo pipefail

# The Debian mirror is read from the machine's apt sources, never hard-coded.
mirror() {
  local uri
  uri=$(grep -h -E '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
        | grep -v -- '-security' | head -n 1 | awk '{print ($1=="deb") ? $2 : $2}')
  [ -n "$uri" ] || { echo "no Debian mirror found in /etc/apt/sources*" >&2; exit 1; }
  echo "$uri"
}

build() {
  local name=$1 include=$2
  # An image made from another package list (an older galley) is made again.
  local want; want=$(printf '%s' "$include" | sha256sum | cut -c1-16)
  local have; have=$(docker image inspect -f '{{index .Config.Labels "org.galley.test-image.packages"}}' "$name" 2>/dev/null || true)
  if [ "$have" = "$want" ]; then
    echo "image $name present, reused"; return
  fi
  local dir; dir=$(mktemp -d /tmp/galley-rootfs.XXXXXX)
  trap 'rm -rf "$dir"' RETURN
  echo "building $name with debootstrap (about a minute)"
  debootstrap --variant=minbase --include="$include" bookworm "$dir" "$(mirror)" >/tmp/debootstrap-"${name//[\/:]/_}".log 2>&1 \
    || { tail -n 30 /tmp/debootstrap-"${name//[\/:]/_}".log >&2; exit 1; }
  # Images carry no apt lists and no host keys: each container makes its own.
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/etc/ssh/ssh_host_*
  mkdir -p "$dir"/run/sshd
  tar -C "$dir" -c . | docker import -c 'LABEL org.galley.test-image=true' \
    -c "LABEL org.galley.test-image.packages=$want" - "$name" >/dev/null
  echo "built $name"
}

build galley/debian-sshd:bookworm openssh-server,sudo,sendmail-bin,sendmail-cf,m4,make,procps,ca-certificates
build galley/postfix:bookworm postfix,procps,dnsmasq-base,sasl2-bin,libsasl2-modules,openssh-server,ca-certificates,sudo
build galley/debian-jre:bookworm openjdk-17-jre-headless,ca-certificates
