#!/usr/bin/env bash
# The floor of a dry-run bake, for bench/run: plain docker and ssh doing the work of
# `galley build ami-specs/sailing-hvm.yaml --target docker` and nothing more: a network, the
# smart host (dnsmasq + postfix), the builder, the two recipes over one SSH connection, the
# checks over another (one relayed mail, found in the smart host's queue), the commit, the
# candidate's first boot, the checks again, the release tag and the cleanup. The services
# script and the machines' commands are galley's own (NetworkServices, Machines).
#   bench/docker-floor.sh KEYS_DIR REPOSITORY   (KEYS_DIR: client, authorized_keys)
# Prints "floor stage NAME MS" lines on stderr; everything it creates is labelled
# org.galley.bench=true and removed, except the released image REPOSITORY:floor-<id>.
#   bench/docker-floor.sh --serve-checks KEYS_DIR
# The floor of a `galley dev` iteration: provisions and applies as above, prints "ready", then
# runs the checks once per line read on stdin, printing "floor checks MS" each time.
set -euo pipefail
serve=
if [ "$1" = --serve-checks ]; then serve=1; shift; fi
keys=$1 repo=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
id=floor-$$-$RANDOM
label=org.galley.bench=true
smart=smtp.internalsapsailing.com
net=galley-bench-$id
t0=$(date +%s%N)
stage() { local now; now=$(date +%s%N); echo "floor stage $1 $(( (now - t0) / 1000000 ))" >&2; t0=$now; }

files=$(mktemp -d)
mkdir -m 755 "$files/galley" && cp "$keys/authorized_keys" "$files/galley/" && chmod 644 "$files/galley/authorized_keys"
cleanup() {
  rm -rf "$files"
  docker rm -f "$id-candidate" "$id-builder" "$id-services" >/dev/null 2>&1 || true
  docker network rm "$net" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# Waits, without polling, for a line of a container's log: the stream ends if the container does.
wait_log() {
  coproc LOGS { exec docker logs -f "$1" 2>&1; }
  local rc=0
  timeout 90 grep -m1 -q -- "$2" <&"${LOGS[0]}" || rc=$?
  kill "$LOGS_PID" 2>/dev/null || true
  wait "$LOGS_PID" 2>/dev/null || true
  return $rc
}

services_script="set -e; ip=\$(awk -v h=\"\$(cat /etc/hostname)\" '\$2==h || \$2 ~ \"^\"h\"[.]\" {print \$1; exit}' /etc/hosts);\
 dnsmasq --no-resolv --no-hosts --local=/#/ --listen-address=\"\$ip\" --bind-interfaces --address=/$smart/\"\$ip\";\
 postconf -X mynetworks; postconf -e 'myhostname=$smart' 'mydestination=' 'mynetworks_style=subnet'\
 'inet_interfaces=all' 'inet_protocols=ipv4' 'defer_transports=smtp' 'maillog_file=/dev/stdout'\
 'smtpd_relay_restrictions=permit_mynetworks,reject_unauth_destination' 'disable_dns_lookups=yes'\
 'smtp_dns_support_level=disabled'; touch -d '-1 min' /etc/postfix/main.cf || true; exec postfix start-fg"
key=/run/galley/ssh_host_ed25519_key
sshd="set -e; mkdir -p /run/sshd; [ -f $key ] || ssh-keygen -q -t ed25519 -N '' -f $key;\
 echo \"galley-host-key: \$(cat $key.pub)\" >&2; exec /usr/sbin/sshd -D -e -h $key\
 -o AuthorizedKeysFile=/run/galley/authorized_keys -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no"
boot="for s in /etc/rc2.d/S*; do case \"\$s\" in *ssh) continue;; esac;\
 [ -x \"\$s\" ] && timeout 30 \"\$s\" start >/dev/null 2>&1; done;"

machine() { # name image command: a machine on the network with the login key copied in, sshd published
  docker create --name "$1" --label "$label" --network "$net" --dns "$dns" --hostname sailing-hvm.galley.test \
    -p 22 "$2" /bin/sh -c "$3" >/dev/null
  docker cp "$files/galley" "$1:/run/"
  docker start "$1" >/dev/null
}

ssh_to() { # container, then the ssh command's arguments: pins the key the machine printed
  local port kh
  port=$(docker port "$1" 22/tcp | head -n 1 | sed 's/.*://')
  kh=$(mktemp)
  echo "[127.0.0.1]:$port $(docker logs "$1" 2>&1 | sed -n 's/^galley-host-key: //p' | tail -n 1)" > "$kh"
  shift
  ssh -i "$keys/client" -p "$port" -o BatchMode=yes -o UserKnownHostsFile="$kh" -o StrictHostKeyChecking=yes \
    root@127.0.0.1 "$@"
  rm -f "$kh"
}

checks() { # container: the spec's checks over one connection, then the relayed mail in the queue
  local token
  token=$(ssh_to "$1" bash -s < "$here/sailing-checks.sh")
  docker exec "$id-services" sh -c 'for q in $(postqueue -j | sed -n "s/.*\"queue_id\": *\"\([^\"]*\)\".*/\1/p");
    do postcat -hbq "$q" | grep -q "$0" && exit 0; done; echo "token $0 not in the queue" >&2; exit 1' "$token"
}

docker network create --label "$label" "$net" >/dev/null
docker run -d --name "$id-services" --label "$label" --network "$net" --network-alias "$smart" --hostname "$smart" \
  galley/postfix:bookworm /bin/sh -c "$services_script" >/dev/null
dns=$(docker inspect -f "{{(index .NetworkSettings.Networks \"$net\").IPAddress}}" "$id-services")
machine "$id-builder" galley/debian-sshd:bookworm "$sshd"
wait_log "$id-services" "daemon started"
wait_log "$id-builder" "Server listening on"
stage provision

cat "$here/sendmail-smart-host.sh" "$here/ses-mail-properties.sh" | ssh_to "$id-builder" bash -s >/dev/null
stage apply
if [ -n "$serve" ]; then
  echo ready
  while read -r _; do
    s=$(date +%s%N)
    checks "$id-builder"
    echo "floor checks $(( ($(date +%s%N) - s) / 1000000 ))"
  done
  exit 0
fi
checks "$id-builder"
stage verify

docker exec "$id-builder" sh -c 'rm -rf /run/galley /etc/ssh/ssh_host_* /root/.bash_history /tmp/.galley.*'
docker commit --pause=false -c "LABEL $label" -c "CMD [\"/bin/sh\", \"-c\", \"$boot mkdir -p /run/sshd && ssh-keygen -A >/dev/null && exec /usr/sbin/sshd -D -e\"]" \
  "$id-builder" "$repo:candidate-$id" >/dev/null
stage snapshot

machine "$id-candidate" "$repo:candidate-$id" "$boot $sshd"
wait_log "$id-candidate" "Server listening on"
stage first-boot
checks "$id-candidate"
stage first-boot-verify

docker tag "$repo:candidate-$id" "$repo:$id"
docker rmi "$repo:candidate-$id" >/dev/null
stage promote
cleanup
trap - EXIT
stage cleanup
