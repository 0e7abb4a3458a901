# shellcheck shell=bash
# A plain registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1, which docker treats as insecure-allowed,
# so pushes need neither TLS nor auth. Needs common.sh.

REGISTRY_DIR=$STATE/registry
REGISTRY_CONFIG=$REGISTRY_DIR/config.yml
REGISTRY_PIDFILE=$REGISTRY_DIR/registry.pid
REGISTRY_LOG=$REGISTRY_DIR/registry.log

# The packaged /etc/docker/registry/config.yml listens on all interfaces and points at a broken htpasswd file.
registry_render_config() {
  cat <<CFG
# Written by test/sandbox/up; rewritten on every up.
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $REGISTRY_DIR/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $REGISTRY_ADDR
  headers:
    X-Content-Type-Options: [nosniff]
CFG
}

registry_pid() { pid_alive "$REGISTRY_PIDFILE" "$REGISTRY_CONFIG"; }

registry_answers() { [[ $(http_status 127.0.0.1 "$REGISTRY_PORT" /v2/) == 200 ]]; }

ensure_registry() {
  mkdir -p "$REGISTRY_DIR/data"
  local new changed=0
  new=$(registry_render_config)
  if [[ ! -f $REGISTRY_CONFIG || "$(<"$REGISTRY_CONFIG")" != "$new" ]]; then
    printf '%s\n' "$new" >"$REGISTRY_CONFIG"
    changed=1
  fi
  if registry_pid >/dev/null; then
    ((changed)) || { registry_answers && return 0; }
    registry_stop
  fi
  port_open 127.0.0.1 "$REGISTRY_PORT" &&
    die "port $REGISTRY_PORT is taken by something that is not the sandbox registry (set BERTH_SANDBOX_REGISTRY_PORT)"
  rotate_log "$REGISTRY_LOG"
  log "starting registry on $REGISTRY_ADDR"
  spawn_detached "$REGISTRY_LOG" docker-registry serve "$REGISTRY_CONFIG"
  echo "$SPAWNED_PID" >"$REGISTRY_PIDFILE"
  wait_until 15 "registry on $REGISTRY_ADDR" registry_answers || die "registry did not answer (see $REGISTRY_LOG)"
}

registry_stop() {
  local pid
  pid=$(registry_pid) || { rm -f "$REGISTRY_PIDFILE"; return 0; }
  stop_pids 10 "$pid"
  rm -f "$REGISTRY_PIDFILE"
}
