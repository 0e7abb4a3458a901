# shellcheck shell=bash
# One dockerd per sandbox server, each with its own bridge, data, exec root and socket. Needs common.sh.

declare -A DOCKERD_SPAWNED=() DOCKERD_DIED=() DOCKERD_LOG_OFFSET=() DOCKER_ID=() DOCKER_SWARM=()

docker_sock() { echo "$STATE/$1/docker.sock"; }
dockerd_pidfile() { echo "$STATE/$1/dockerd.pid"; }
dockerd_log() { echo "$STATE/$1/dockerd.log"; }

# Bridges are made by hand because two daemons on docker0 would share (and fight over) one network. Created only
# when missing: both daemons may already have containers attached.
ensure_bridge() {
  local s=$1 br=${BRIDGE[$1]} cidr=${BRIDGE_CIDR[$1]}
  ip link show dev "$br" >/dev/null 2>&1 || ip link add name "$br" type bridge
  ip -4 addr show dev "$br" | grep -qF " $cidr " || ip addr add "$cidr" dev "$br"
  ip link show dev "$br" | grep -q 'state UP\|,UP' || ip link set "$br" up
}

dockerd_pid() { pid_alive "$(dockerd_pidfile "$1")" "$(docker_sock "$1")"; }

# One `info` call both proves the daemon answers and yields what later steps need (each CLI call costs ~50 ms).
docker_answers() {
  local out
  out=$(timeout 5 "$DOCKER_BIN" -H "unix://$(docker_sock "$1")" info --format '{{.ID}} {{.Swarm.LocalNodeState}}' \
    2>/dev/null) || return 1
  [[ $out == *" "* ]] || return 1
  DOCKER_ID[$1]=${out%% *}
  DOCKER_SWARM[$1]=${out#* }
}

dockerd_config() { printf '{\n  "deprecated-key-path": %s\n}' "$(json_str "$STATE/$1/key.json")"; }

dockerd_args() {
  local s=$1 dir=$STATE/$1
  # --iptables=false: two daemons managing the same iptables chains undo each other's rules.
  # --shutdown-timeout: busybox httpd as PID 1 ignores SIGTERM; don't let `down` wait 15 s per such container.
  DOCKERD_ARGS=("$DOCKERD_BIN"
    --config-file "$dir/daemon.json"
    --data-root "$dir/data"
    --exec-root "$dir/exec"
    --pidfile "$(dockerd_pidfile "$s")"
    --host "unix://$(docker_sock "$s")"
    --iptables=false
    --bridge="${BRIDGE[$s]}"
    --default-address-pool "base=${ADDR_POOL[$s]},size=24"
    --shutdown-timeout 5)
}

# True when the running daemon was started with what this script would start it with now.
dockerd_current() {
  local s=$1 pid args
  pid=$(dockerd_pid "$s") || return 1
  [[ "$(<"$STATE/$s/daemon.json")" == "$(dockerd_config "$s")" ]] || return 1
  dockerd_args "$s"
  mapfile -d '' args <"/proc/$pid/cmdline"
  [[ "${args[*]}" == "${DOCKERD_ARGS[*]}" ]]
}

dockerd_start() {
  local s=$1 dir=$STATE/$1 conf log
  mkdir -p "$dir/data" "$dir/exec"
  # dockerd refuses to start while its pid file names a process that exists, and a killed daemon can linger as a
  # zombie here (PID 1 reaps slowly): a pid file that names no live dockerd of ours is stale.
  dockerd_pid "$s" >/dev/null || rm -f "$(dockerd_pidfile "$s")"
  # Our own config file: a host /etc/docker/daemon.json that also sets e.g. "bridge" would make dockerd refuse to
  # start with "conflicting options". The engine ID (`docker info` .ID) derives from the trust key, and the shared
  # default /etc/docker/key.json would give both daemons the same ID; 20.10 has no command-line flag for it.
  conf=$(dockerd_config "$s")
  [[ -f $dir/daemon.json && "$(<"$dir/daemon.json")" == "$conf" ]] || printf '%s\n' "$conf" >"$dir/daemon.json"
  log=$(dockerd_log "$s")
  rotate_log "$log"
  DOCKERD_LOG_OFFSET[$s]=$(stat -c %s "$log" 2>/dev/null || echo 0)
  dockerd_args "$s"
  spawn_detached "$log" "${DOCKERD_ARGS[@]}"
  DOCKERD_SPAWNED[$s]=$SPAWNED_PID
}

# Up, or (when we just spawned it) still starting: a daemon that exited at once fails fast instead of after 60 s.
dockerd_ready_or_dead() {
  local s=$1 pid=${DOCKERD_SPAWNED[$1]:-}
  docker_answers "$s" && return 0
  if [[ -n $pid ]] && { ! kill -0 "$pid" 2>/dev/null || is_zombie "$pid"; }; then
    DOCKERD_DIED[$s]=1
    return 0
  fi
  return 1
}

dockerd_wait() {
  local s=$1 log
  log=$(dockerd_log "$s")
  if ! wait_until 60 "dockerd $s" dockerd_ready_or_dead "$s" || [[ -n ${DOCKERD_DIED[$s]:-} ]]; then
    tail -c +"$((${DOCKERD_LOG_OFFSET[$s]:-0} + 1))" "$log" | tail -n 15 >&2
    die "dockerd for $s did not come up (see $log)"
  fi
}

dockerd_stop() {
  local s=$1 pid kids
  pid=$(dockerd_pid "$s") || return 0
  # containerd is dockerd's child; if dockerd has to be killed, its containerd must go too.
  kids=$(ps -o pid= --ppid "$pid" | tr '\n' ' ')
  stop_pids 30 "$pid"
  # shellcheck disable=SC2086
  [[ -z ${kids// /} ]] || stop_pids 5 $kids
}

# s2 is a single-node swarm manager on its own port, so it never clashes with a swarm of another daemon.
ensure_swarm() {
  local s=$1 just_started=$2 state=${DOCKER_SWARM[$1]:-unknown} i
  for i in $(seq 100); do
    [[ $state == pending || $state == unknown ]] || break
    sleep 0.1 # after a restart the node reloads its raft state before it reports active
    state=$(dk "$s" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null) || state=unknown
  done
  case $state in
    active) ;;
    inactive)
      log "$s: initialising swarm"
      dk "$s" swarm init --advertise-addr "$SWARM_ADDR" --listen-addr "$SWARM_ADDR" \
        --default-addr-pool "$SWARM_POOL" >/dev/null || die "swarm init on $s failed"
      just_started=1
      ;;
    *) die "swarm on $s is '$state' (see $(dockerd_log "$s")); \`down\`, remove $STATE/$s/data/swarm and \`up\` again" ;;
  esac
  # Overlay networks are what Berth's swarm path needs: prove they work once per daemon start, not on every up.
  if ((just_started)); then
    local net=berth-sandbox-check-$$
    dk "$s" network create --driver overlay --attachable "$net" >/dev/null || die "cannot create an overlay network on $s"
    dk "$s" network rm "$net" >/dev/null || die "cannot remove overlay network $net on $s"
  fi
}
