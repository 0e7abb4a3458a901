# shellcheck shell=bash
# Settings and small helpers shared by up, down and restart-sshd. Sourced, never run directly.

SANDBOX_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SANDBOX_SCRIPTS_DIR=$(dirname "$SANDBOX_LIB_DIR")
REPO_ROOT=$(cd "$SANDBOX_SCRIPTS_DIR/../.." && pwd)

STATE=${BERTH_SANDBOX_DIR:-/tmp/berth-sandbox}
[[ $STATE == /* ]] || STATE=$PWD/$STATE
STATE=${STATE%/}

# Debian's docker CLI matches the 20.10 daemon; a newer CLI earlier on PATH (/usr/local/bin) insists on buildx
# for `docker build`.
DOCKER_BIN=/usr/bin/docker
DOCKERD_BIN=/usr/sbin/dockerd
SSHD_BIN=/usr/sbin/sshd
export DOCKER_BUILDKIT=0
# An inherited context or host would silently point our CLI calls elsewhere.
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH

SERVERS=(s1 s2)
declare -A SSH_PORT=([s1]=${BERTH_SANDBOX_S1_PORT:-42201} [s2]=${BERTH_SANDBOX_S2_PORT:-42202})
declare -A BRIDGE=([s1]=berthsb1 [s2]=berthsb2)
declare -A BRIDGE_CIDR=([s1]=172.30.1.1/24 [s2]=172.30.2.1/24)
# Distinct pools so user-defined networks of the two daemons never overlap (routes on the shared host would clash).
declare -A ADDR_POOL=([s1]=172.31.0.0/16 [s2]=172.29.0.0/16)
declare -A SWARM=([s1]=false [s2]=true)
SWARM_ADDR=127.0.0.1:2378
SWARM_POOL=172.28.0.0/16

REGISTRY_PORT=${BERTH_SANDBOX_REGISTRY_PORT:-45000}
REGISTRY_ADDR=127.0.0.1:$REGISTRY_PORT

IMAGE_BASE=berth-test/base:latest
IMAGE_WEB=berth-test/web
IMAGE_HAPROXY=berth-test/haproxy:2.6
IMAGE_NODE=berth-test/node:20
NODE_BIN=/usr/bin/node
NPM_DIR=/usr/lib/node_modules/npm
WEB_FIXTURE=$REPO_ROOT/test/fixtures/web-app

log() { printf '[sandbox] %s\n' "$*" >&2; }
die() { printf '[sandbox] error: %s\n' "$*" >&2; exit 1; }

# Milliseconds since the epoch, without forking `date`.
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

is_root() { [[ $EUID -eq 0 ]]; }

# Serialise up/down/restart-sshd: two runners starting the same daemons at once would fight over pid files.
take_lock() {
  mkdir -p "$STATE"
  exec 9>"$STATE/.lock"
  flock -n 9 && return 0
  log "waiting for another up/down/restart-sshd to finish (lock $STATE/.lock)"
  flock -w 900 9 || die "still locked after 15 min: $STATE/.lock"
}

# pid_alive FILE PATTERN: print the pid in FILE if that process is alive and its command line contains PATTERN.
# The pattern (our own config or socket path) keeps a recycled pid from being mistaken for ours.
pid_alive() {
  local file=$1 pattern=$2 pid args
  [[ -r $file ]] || return 1
  read -r pid <"$file" 2>/dev/null || true
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  mapfile -d '' args <"/proc/$pid/cmdline" 2>/dev/null || return 1
  [[ "${args[*]}" == *"$pattern"* ]] || return 1
  echo "$pid"
}

# All descendants of a pid (children first). Collect them before killing the parent: orphans get reparented.
descendants() {
  local -A kids=()
  local pid ppid p c
  while read -r pid ppid; do kids[$ppid]+=" $pid"; done < <(ps -e -o pid=,ppid=)
  local -a queue=("$1") out=()
  while ((${#queue[@]})); do
    p=${queue[0]}
    queue=("${queue[@]:1}")
    for c in ${kids[$p]:-}; do
      out+=("$c")
      queue+=("$c")
    done
  done
  echo "${out[*]}"
}

# stop_pids TIMEOUT_S PID...: TERM, wait, then KILL whatever is left.
stop_pids() {
  local timeout=$1 p deadline
  shift
  (($#)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  deadline=$(($(now_ms) + timeout * 1000))
  while (($(now_ms) < deadline)); do
    local alive=0
    for p in "$@"; do [[ -e /proc/$p ]] && ! is_zombie "$p" && alive=1; done
    ((alive)) || return 0
    sleep 0.05
  done
  log "still running after ${timeout}s, killing: $*"
  kill -KILL "$@" 2>/dev/null || true
}

is_zombie() {
  local state
  state=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 1
  [[ $state == Z ]]
}

# Start a long-running command detached from our session (so a job-control kill of the caller or a Ctrl-C does not
# take the daemon with it). A background child of a script is no process-group leader, so setsid execs in place
# and $! is the daemon's own pid. Every descriptor past stderr is closed first: a daemon inheriting a lock (our fd 9,
# or one a caller's `flock FILE up` holds) would keep it for its whole lifetime.
spawn_detached() {
  local logfile=$1
  shift
  (
    close_inherited_fds
    exec setsid "$@" >>"$logfile" 2>&1 </dev/null
  ) &
  SPAWNED_PID=$!
}

close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
  done
  return 0
}

# Keep logs from growing without bound across many up/down cycles.
rotate_log() {
  local f=$1
  if [[ -f $f ]] && (($(stat -c %s "$f") > 20 * 1024 * 1024)); then mv -f "$f" "$f.old"; fi
}

# wait_until TIMEOUT_S DESCRIPTION CMD...: poll CMD until it succeeds.
wait_until() {
  local timeout=$1 what=$2 deadline
  shift 2
  deadline=$(($(now_ms) + timeout * 1000))
  until "$@"; do
    (($(now_ms) < deadline)) || { log "timed out after ${timeout}s waiting for $what"; return 1; }
    sleep 0.05
  done
}

# HTTP over bash's /dev/tcp: needs neither curl nor wget. Only ever aimed at 127.0.0.1, where a connect either
# succeeds or is refused at once; reads are bounded with -t so a stuck server cannot hang `up`.
# http_status HOST PORT PATH: print the status code.
http_status() {
  (
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: %s:%s\r\n\r\n' "$3" "$1" "$2" >&3
    read -r -t 3 _ code _ <&3 && echo "$code"
  ) 2>/dev/null
}

# http_header HOST PORT PATH HEADER [ACCEPT]: print one header of a 200 response (nothing otherwise).
http_header() {
  (
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: %s:%s\r\nAccept: %s\r\n\r\n' "$3" "$1" "$2" "${5:-*/*}" >&3
    read -r -t 3 _ code _ <&3 || exit 1
    [[ $code == 200 ]] || exit 0
    local want=${4,,} line name value
    while IFS= read -r -t 3 line <&3; do
      line=${line%$'\r'}
      [[ -z $line ]] && break
      name=${line%%:*}
      if [[ ${name,,} == "$want" ]]; then
        value=${line#*:}
        echo "${value# }"
        break
      fi
    done
  ) 2>/dev/null
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# dk SERVER ARGS...: the docker CLI aimed at one sandbox daemon.
dk() {
  local s=$1
  shift
  "$DOCKER_BIN" -H "unix://$STATE/$s/docker.sock" "$@"
}

json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}
