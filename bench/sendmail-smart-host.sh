# The floor for bench/run: the recipe's work as one shell script over one SSH
# connection (ssh host bash -s < this). Same checks, same changes, nothing more.
set -e
smart_host=smtp.internalsapsailing.com
mc=/etc/mail/sendmail.mc
missing=
for p in sendmail-bin sendmail-cf m4 make; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi
line="define(\`SMART_HOST', \`$smart_host')dnl"
if ! grep -qxF "$line" "$mc"; then
  if grep -q "^define(\`SMART_HOST'" "$mc"; then
    sed -i "s|^define(\`SMART_HOST'.*|$line|" "$mc"
  else
    awk -v l="$line" '!done && /^(MAILER_DEFINITIONS|MAILER\()/ {print l; done=1} {print}' "$mc" > "$mc.new"
    cat "$mc.new" > "$mc" && rm -f "$mc.new"
  fi
  make -C /etc/mail
  # The same reload as the recipe (a HUP, or a start).
  reloaded=
  for f in /run/sendmail/mta/sendmail.pid /run/sendmail.pid /var/run/sendmail.pid; do
    pid=$(head -n 1 "$f" 2>/dev/null) && kill -0 "$pid" 2>/dev/null && { kill -HUP "$pid"; reloaded=1; break; }
  done
  [ -n "$reloaded" ] || /usr/sbin/sendmail -bd -q1m
fi
