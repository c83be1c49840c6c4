#!/usr/bin/env bash
# Creates every Docker secret swarm/stack.yml expects, once, on a Swarm manager:
#   REPOPULSE_DOMAIN=pulse.example.org GITHUB_TOKENS=ghp_a,ghp_b bash swarm/create-secrets.sh
# Passwords are generated (hex, so they sit in URLs unescaped), and each one is written into every secret
# that carries it (the database URLs, PgBouncer's user list, RabbitMQ's credentials), which is why they
# are made together here. Optional input: GITHUB_TOKENS, GITHUB_WEBHOOK_SECRET, ADMIN_PASSWORD,
# TLS_CERTIFICATE_PATH and TLS_PRIVATE_KEY_PATH (else a self-signed certificate for REPOPULSE_DOMAIN).
# Prints the admin password once. Refuses to run when any of the secrets exists: see swarm/README.md for
# rotating one.
set -euo pipefail

domain="${REPOPULSE_DOMAIN:?set REPOPULSE_DOMAIN (the public host name)}"
prefix=repopulse_

existing="$(docker secret ls --format '{{.Name}}' | grep "^${prefix}" || true)"
if [ -n "$existing" ]; then
  echo "create-secrets: these secrets exist already, nothing created:" >&2
  echo "$existing" >&2
  exit 1
fi

random_hex() { openssl rand -hex "$1"; }

create() {
  local name="$1" value="$2"
  printf '%s\n' "$value" | docker secret create --label com.repopulse.stack=repopulse "${prefix}${name}" - >/dev/null
  echo "created ${prefix}${name}"
}

app_password="$(random_hex 24)"
replication_password="$(random_hex 24)"
superuser_password="$(random_hex 24)"
rabbitmq_password="$(random_hex 24)"
admin_password="${ADMIN_PASSWORD:-$(random_hex 12)}"

create database_url "postgres://repopulse:${app_password}@postgres-primary:5432/repopulse"
create database_read_url "postgres://repopulse:${app_password}@pgbouncer:6432/repopulse"
create amqp_url "amqp://repopulse:${rabbitmq_password}@rabbitmq:5672"
create rabbitmq_management_url "http://repopulse:${rabbitmq_password}@rabbitmq:15672"
create jwt_secret "$(openssl rand -base64 48 | tr -d '\n')"
# The permission proxy signs forwarded identities with it; every module with routes checks them.
create internal_secret "$(openssl rand -base64 48 | tr -d '\n')"
create admin_password "$admin_password"
# One token per line; an empty file reads as unset (anonymous GitHub requests).
create github_tokens "$(printf '%s' "${GITHUB_TOKENS:-}" | tr ',' '\n')"
create github_webhook_secret "${GITHUB_WEBHOOK_SECRET:-$(random_hex 32)}"
create postgres_superuser_password "$superuser_password"
create postgres_app_password "$app_password"
create postgres_replication_password "$replication_password"
create pgbouncer_userlist "\"repopulse\" \"${app_password}\""
create rabbitmq_credentials "$(printf 'default_user = repopulse\ndefault_pass = %s' "$rabbitmq_password")"
create rabbitmq_erlang_cookie "$(random_hex 32)"

if [ -n "${TLS_CERTIFICATE_PATH:-}" ]; then
  create tls_certificate "$(cat "$TLS_CERTIFICATE_PATH")"
  create tls_private_key "$(cat "${TLS_PRIVATE_KEY_PATH:?set TLS_PRIVATE_KEY_PATH with TLS_CERTIFICATE_PATH}")"
else
  # A placeholder until ACME (TRAEFIK_CERT_RESOLVER=letsencrypt) or a real certificate replaces it.
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=${domain}" \
    -addext "subjectAltName=DNS:${domain}" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
  create tls_certificate "$(cat "$work/cert.pem")"
  create tls_private_key "$(cat "$work/key.pem")"
fi

echo "admin password (shown once): ${admin_password}"
