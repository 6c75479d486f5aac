#!/usr/bin/env bash
# Make the Docker sandbox usable; idempotent and quick when everything is there.
#   1. apt-get install docker.io debootstrap bubblewrap tmux ripgrep (only what is missing)
#   2. start dockerd when no daemon answers, and wait for it
#   3. build the sandbox image offline (debootstrap + docker import) when it is missing
# Runs as root on a fresh Debian 12 (or with sudo available).  `make test` calls it.
# Env: PYTHON (default .venv/bin/python, else python3), SANDBOX_BUILD=online|offline|auto.
set -euo pipefail

cd "$(dirname "$0")/.."
say() { printf '[setup-docker] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && SUDO="sudo" || SUDO=""
fi

# 1. packages -------------------------------------------------------------------------------
declare -A BIN=([docker.io]=docker [debootstrap]=debootstrap [bubblewrap]=bwrap [tmux]=tmux [ripgrep]=rg)
missing=()
for pkg in "${!BIN[@]}"; do
  command -v "${BIN[$pkg]}" >/dev/null 2>&1 || [ -x "/usr/sbin/${BIN[$pkg]}" ] || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install ${missing[*]} by hand."
  if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    die "need root to install ${missing[*]}; rerun with sudo."
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" ca-certificates >/dev/null
fi
export PATH="$PATH:/usr/sbin:/sbin"

# 2. daemon ---------------------------------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    say "starting docker via systemd"
    $SUDO systemctl start docker || true
  fi
  if ! docker info >/dev/null 2>&1 && ! pgrep -x dockerd >/dev/null 2>&1; then
    say "starting dockerd (log: /var/log/dockerd.log)"
    $SUDO sh -c 'nohup dockerd >/var/log/dockerd.log 2>&1 &'
  fi
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || {
    tail -n 20 /var/log/dockerd.log >&2 2>/dev/null || true
    die "dockerd did not come up in 60s; see /var/log/dockerd.log."
  }
  say "docker daemon is up"
fi

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
