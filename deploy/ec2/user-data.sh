#!/usr/bin/env bash
# cloud-init user data for Ubuntu 24.04 on an EC2 t2.large: Docker, the release, .env, and a
# systemd unit that starts the compose stack now and after every reboot.
#
# The CloudFormation template fills in the values below; run by hand, export them first.
set -euo pipefail

RELEASE_URL="${RELEASE_URL:?tarball of the Encore repository at the release to run}"
ENCORE_API_KEY="${ENCORE_API_KEY:?bearer key for the API}"
ENCORE_READ_KEY="${ENCORE_READ_KEY:-}"    # empty: reads open to whoever reaches port 443
ENCORE_DOMAIN="${ENCORE_DOMAIN:-}"        # empty: the instance's public DNS name
ENCORE_TLS_EMAIL="${ENCORE_TLS_EMAIL:-}"  # with a domain: Let's Encrypt; else Caddy's own CA
DATA_DEVICE="${DATA_DEVICE:-/dev/xvdf}"   # the EBS volume for Postgres, models and data
APP=/opt/encore
DOCKER_ROOT=/srv/encore/docker

log() { echo "encore-bootstrap: $*"; }

install_docker() {
  log "installing Docker and the compose plugin"
  apt-get update -q
  apt-get install -y -q ca-certificates curl
  install -m 0755 -d /etc/apt/keyrings
  curl -fsSL https://download.docker.com/linux/ubuntu/gpg -o /etc/apt/keyrings/docker.asc
  local codename
  # shellcheck source=/dev/null
  codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
  echo "deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc]" \
    "https://download.docker.com/linux/ubuntu $codename stable" > /etc/apt/sources.list.d/docker.list
  apt-get update -q
  # buildx: without it compose warns and builds with its older built-in path.
  apt-get install -y -q docker-ce docker-ce-cli containerd.io docker-compose-plugin \
    docker-buildx-plugin
}

tune_kernel() {
  # Redis forks to save its append-only file; without overcommit that fork can fail under
  # memory pressure (Redis warns "Memory overcommit must be enabled!" at start).
  log "vm.overcommit_memory=1 (for Redis's background saves)"
  echo "vm.overcommit_memory = 1" > /etc/sysctl.d/90-encore.conf
  sysctl -q -w vm.overcommit_memory=1
}

metadata() {
  # EC2's instance metadata (IMDSv2): a token first, then the value.
  local token
  token="$(curl -fsS -X PUT http://169.254.169.254/latest/api/token \
    -H "X-aws-ec2-metadata-token-ttl-seconds: 60")"
  curl -fsS -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

site_address() {
  # The name the proxy gets its certificate for: the domain, else the public DNS name.
  if [ -n "$ENCORE_DOMAIN" ]; then
    echo "$ENCORE_DOMAIN"
  else
    metadata public-hostname || echo localhost
  fi
}

mount_data_volume() {
  # Docker's volumes (Postgres, artifacts, data) live on the EBS volume, not the root disk.
  # CloudFormation attaches it after the instance starts: wait for it (up to ten minutes).
  local waited=0
  until [ -b "$DATA_DEVICE" ]; do
    [ "$waited" -ge 600 ] && { log "no $DATA_DEVICE after 10 minutes"; exit 1; }
    sleep 5
    waited=$((waited + 5))
  done
  if ! blkid "$DATA_DEVICE" >/dev/null 2>&1; then
    log "formatting $DATA_DEVICE"
    mkfs.ext4 -q -L encore-data "$DATA_DEVICE"
  fi
  mkdir -p /srv/encore
  grep -q "LABEL=encore-data" /etc/fstab || \
    echo "LABEL=encore-data /srv/encore ext4 defaults,nofail 0 2" >> /etc/fstab
  mount -a
  mkdir -p "$DOCKER_ROOT"
  printf '{"data-root": "%s", "log-driver": "local"}\n' "$DOCKER_ROOT" > /etc/docker/daemon.json
  systemctl restart docker
}

put_release_in_place() {
  [ -f "$APP/docker-compose.yml" ] && return 0   # the instance's user data fetched it already
  log "fetching the release"
  mkdir -p "$APP"
  curl -fsSL "$RELEASE_URL" | tar -xz -C "$APP" --strip-components=1
}

write_env() {
  [ -f "$APP/.env" ] && return 0   # keep the secrets of an earlier boot
  log "writing $APP/.env"
  local password site tls
  password="$(openssl rand -hex 24)"
  site="$(site_address)"
  tls="internal"
  if [ -n "$ENCORE_DOMAIN" ] && [ -n "$ENCORE_TLS_EMAIL" ]; then
    tls="$ENCORE_TLS_EMAIL"
  fi
  sed -e "s|^POSTGRES_PASSWORD=.*|POSTGRES_PASSWORD=$password|" \
      -e "s|^ENCORE_API_KEY=.*|ENCORE_API_KEY=$ENCORE_API_KEY|" \
      -e "s|^ENCORE_READ_KEY=.*|ENCORE_READ_KEY=$ENCORE_READ_KEY|" \
      -e "s|^ENCORE_DOMAIN=.*|ENCORE_DOMAIN=$site|" \
      -e "s|^ENCORE_TLS=.*|ENCORE_TLS=$tls|" \
      "$APP/.env.example" > "$APP/.env"
  chmod 600 "$APP/.env"
}

install_unit() {
  install -m 0644 "$APP/deploy/ec2/encore.service" /etc/systemd/system/encore.service
  systemctl daemon-reload
  systemctl enable --now encore.service
}

main() {
  install_docker
  tune_kernel
  mount_data_volume
  put_release_in_place
  write_env
  install_unit
  log "done: the API answers on https://$(grep '^ENCORE_DOMAIN=' "$APP/.env" | cut -d= -f2)/" \
    "once the images are built (a few minutes)"
}

main "$@"
