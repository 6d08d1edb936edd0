# The floor for bench/run, second recipe of the sailing spec (recipes/ses-mail-properties.yaml):
# the server's user, its configuration directory, and mail.properties written 0600 through a
# temporary file, as plain shell over the same SSH connection as the first recipe.
user=sailing
dir=/home/sailing/servers/server/configuration
id -u "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
[ "$(stat -c %U "$dir" 2>/dev/null)" = "$user" ] ||
  install -d -o "$user" -g "$user" -m 0755 "$(dirname "$(dirname "$dir")")" "$(dirname "$dir")" "$dir"
umask 077
t=$(mktemp "$dir/.floor.XXXXXX")
cat > "$t" <<'EOF'
# Written by bench/docker-floor.sh. JavaMail properties, one key per line.
mail.enabled = true
mail.from = noreply@sapsailing.com
mail.transport.protocol = smtp
mail.smtp.host = email-smtp.eu-west-1.amazonaws.com
mail.smtp.port = 587
mail.smtp.auth = true
mail.smtp.starttls.enable = true
mail.smtp.user = AKIAIOSFODNN7EXAMPLE
mail.smtp.password = BENCH-not-a-secret-of-the-same-length-as-an-ses-one
EOF
chown "$user:$user" "$t" && chmod 0600 "$t" && mv -f "$t" "$dir/mail.properties"
