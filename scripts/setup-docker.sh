#!/usr/bin/env bash
# Make the Docker sandbox usable; idempotent and quick when everything is there.
#   1. apt-get install what is missing, decided per program actually needed:
#      dockerd + containerd + runc (docker.io), debootstrap, bwrap, tmux, rg.
#      A `docker` client on PATH is not a daemon and proves nothing.
#   2. start dockerd when no daemon answers; if it cannot start, say why and stop
#   3. build the sandbox image offline (debootstrap + docker import) when it is missing
# Runs as root on a fresh Debian 12 (or with sudo available).  `make test` calls it.
# Env: PYTHON (default .venv/bin/python, else python3), SANDBOX_BUILD=online|offline|auto,
#      SETUP_DOCKER_LOG (default /var/log/dockerd.log), SETUP_DOCKER_WAIT (seconds, default 60),
#      SETUP_DOCKER_SKIP_IMAGE=1 (stop after the daemon is up),
#      SETUP_DOCKER_SBIN (extra PATH entries for root's programs; tests set it empty).
set -euo pipefail

cd "$(dirname "$0")/.."
say() { printf '[setup-docker] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

export PATH="$PATH${SETUP_DOCKER_SBIN-:/usr/local/sbin:/usr/sbin:/sbin}"
LOG=${SETUP_DOCKER_LOG:-/var/log/dockerd.log}
WAIT=${SETUP_DOCKER_WAIT:-60}

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
fi

have() { command -v "$1" >/dev/null 2>&1; }
daemon_answers() { have docker && docker info >/dev/null 2>&1; }
# A daemon whose socket refuses this user: starting another dockerd cannot help.
daemon_denied() {
  local err
  have docker || return 1
  err=$(docker info 2>&1 >/dev/null) && return 1
  [[ $err == *"permission denied"* ]]
}
if ! daemon_answers && daemon_denied; then
  die "the Docker socket refuses your user (permission denied); add it to the docker group (sudo usermod -aG docker \$USER, then log in again) or rerun as root."
fi

# 1. packages -------------------------------------------------------------------------------
# program -> Debian package.  The daemon's programs are only needed when no daemon answers
# (a remote DOCKER_HOST or a rootless daemon is fine as it is).
declare -A PACKAGE=([debootstrap]=debootstrap [bwrap]=bubblewrap [tmux]=tmux [rg]=ripgrep)
if ! daemon_answers; then
  PACKAGE+=([docker]=docker.io [dockerd]=docker.io [containerd]=docker.io [runc]=docker.io)
fi
missing=()
for program in "${!PACKAGE[@]}"; do
  have "$program" && continue
  pkg=${PACKAGE[$program]}
  [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort)
  have apt-get || die "apt-get not found; install ${missing[*]} with your package manager and rerun."
  if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    die "installing ${missing[*]} needs root; rerun as root or install sudo."
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" ca-certificates >/dev/null
fi

# 2. daemon ---------------------------------------------------------------------------------
explain_failure() {
  # One sentence with the likely cause and the fix, from the daemon's own log.
  local log_text=""
  [ -r "$LOG" ] && log_text=$(tail -n 40 "$LOG")
  case "$log_text" in
    *"permission denied"* | *"operation not permitted"* | *"must be run as root"*)
      echo "dockerd was refused a privileged operation (permission); run make as root or start Docker yourself." ;;
    *"storage-driver"* | *"overlay"*"not supported"* | *"driver not supported"*)
      echo "dockerd's storage driver does not work here; set {\"storage-driver\": \"vfs\"} in /etc/docker/daemon.json and rerun." ;;
    *"address already in use"* | *"pid file found"*)
      echo "another dockerd holds its socket or pid file; stop it (or remove /var/run/docker.pid) and rerun." ;;
    *"iptables"*)
      echo "dockerd could not set up iptables; install iptables or start dockerd with --iptables=false." ;;
    *)
      echo "dockerd did not answer within ${WAIT}s; read $LOG for the cause." ;;
  esac
}

if ! daemon_answers; then
  have docker || die "the docker client is missing after installing docker.io; install it by hand."
  have dockerd || die "dockerd is not installed and could not be installed; install docker.io (Debian) or Docker Engine."
  if [ -d /run/systemd/system ] && have systemctl; then
    say "starting docker via systemd"
    $SUDO systemctl start docker || true
  fi
  if ! daemon_answers; then
    if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
      die "no Docker daemon is running and starting one needs root; start Docker (or add yourself to the docker group) and rerun."
    fi
    say "starting dockerd (log: $LOG)"
    $SUDO sh -c "nohup dockerd >'$LOG' 2>&1 &"
    for _ in $(seq 1 "$WAIT"); do
      daemon_answers && break
      pgrep -x dockerd >/dev/null 2>&1 || { sleep 1; pgrep -x dockerd >/dev/null 2>&1 || break; }
      sleep 1
    done
  fi
  if ! daemon_answers; then
    [ -r "$LOG" ] && tail -n 15 "$LOG" >&2
    die "$(explain_failure)"
  fi
  say "docker daemon is up"
fi
[ "${SETUP_DOCKER_SKIP_IMAGE:-0}" = 1 ] && exit 0

# 3. image ----------------------------------------------------------------------------------
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' assistant/__init__.py)
image="assistant-sandbox:${version:?cannot read assistant/__init__.py __version__}"
if docker image inspect "$image" >/dev/null 2>&1; then
  say "$image present"
  exit 0
fi
PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
case "${SANDBOX_BUILD:-offline}" in
  online) mode=--online ;;
  auto) mode="" ;;
  *) mode=--offline ;;
esac
say "building $image ($PYTHON -m assistant.tools.sandbox.image $mode)"
start=$(date +%s)
if [ "$(id -u)" -ne 0 ] && [ -n "$SUDO" ] && [ "$mode" = "--offline" ]; then
  $SUDO env "PATH=$PATH" "$PYTHON" -m assistant.tools.sandbox.image $mode
else
  "$PYTHON" -m assistant.tools.sandbox.image $mode
fi
say "image ready in $(( $(date +%s) - start ))s"
