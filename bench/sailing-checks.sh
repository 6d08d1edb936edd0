# The floor of the sailing spec's checks (ami-specs/sailing-hvm.yaml, verify:) for bench/run:
# one `ssh host bash -s < this`. It prints the relay check's token; the caller then looks for
# it in the smart host's queue (bench/docker-floor.sh, and the galley dev floor in bench.py).
set -e
grep -q '^DSsmtp\.internalsapsailing\.com$' /etc/mail/sendmail.cf
[ "$(grep -c "^define(\`SMART_HOST'" /etc/mail/sendmail.mc)" = 1 ]
f=/home/sailing/servers/server/configuration/mail.properties
[ "$(stat -c '%U %a' "$f")" = "sailing 600" ]
grep -q '^mail\.smtp\.password = [^[:space:]]\{1,\}$' "$f"
token=galley-relay-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
out=$(printf 'Subject: galley relay check %s\nX-Galley-Token: %s\n\n%s\n' "$token" "$token" "$token" |
  timeout 30 sendmail -v galley-verify@sapsailing.com 2>&1) || true
case "$out" in
  *"Sent ("*) echo "$token" ;;
  *) printf 'relay failed:\n%s\n' "$out" >&2; exit 1 ;;
esac
