# shellcheck shell=bash
# STATE/sandbox.json: the one file tests read (through test/support/sandbox.ts) to reach everything.
# Needs common.sh, keys.sh, sshd.sh, dockerd.sh, registry.sh.

SANDBOX_JSON=$STATE/sandbox.json

render_server_json() {
  local s=$1 id=$2
  cat <<JSON
    {
      "name": $(json_str "$s"),
      "host": "127.0.0.1",
      "port": ${SSH_PORT[$s]},
      "user": "root",
      "keyPath": $(json_str "$CLIENT_KEY"),
      "wrongKeyPath": $(json_str "$WRONG_KEY"),
      "hostKeyFingerprint": $(json_str "$(host_fingerprint "$s")"),
      "hostPublicKeyPath": $(json_str "$(host_key "$s").pub"),
      "authorizedKeysPath": $(json_str "$(authorized_keys "$s")"),
      "dockerSocket": $(json_str "$(docker_sock "$s")"),
      "dockerHost": $(json_str "unix://$(docker_sock "$s")"),
      "dockerId": $(json_str "$id"),
      "swarm": ${SWARM[$s]},
      "bridge": $(json_str "${BRIDGE[$s]}"),
      "addressPool": $(json_str "${ADDR_POOL[$s]}"),
      "sshdPidFile": $(json_str "$(sshd_pidfile "$s")"),
      "sshdConfig": $(json_str "$(sshd_config_path "$s")"),
      "sshdLog": $(json_str "$(sshd_log "$s")"),
      "dockerdPidFile": $(json_str "$(dockerd_pidfile "$s")"),
      "dockerdLog": $(json_str "$(dockerd_log "$s")")
    }
JSON
}

# render_manifest ID_S1 ID_S2
render_manifest() {
  cat <<JSON
{
  "dir": $(json_str "$STATE"),
  "servers": [
$(render_server_json s1 "$1"),
$(render_server_json s2 "$2")
  ],
  "registry": {
    "address": $(json_str "$REGISTRY_ADDR"),
    "url": $(json_str "http://$REGISTRY_ADDR"),
    "pidFile": $(json_str "$REGISTRY_PIDFILE"),
    "dataDir": $(json_str "$REGISTRY_DIR/data"),
    "log": $(json_str "$REGISTRY_LOG")
  },
  "images": {
    "base": $(json_str "$IMAGE_BASE"),
    "web": $(json_str "$IMAGE_WEB"),
    "webTags": ["1", "2"],
    "webPushed": $(json_str "$REGISTRY_ADDR/$IMAGE_WEB:1"),
    "haproxy": $(json_str "$IMAGE_HAPROXY"),
    "node": $(json_str "$IMAGE_NODE")
  },
  "fixtures": {
    "webApp": $(json_str "$WEB_FIXTURE")
  },
  "scripts": {
    "up": $(json_str "$SANDBOX_SCRIPTS_DIR/up"),
    "down": $(json_str "$SANDBOX_SCRIPTS_DIR/down"),
    "restartSshd": $(json_str "$SANDBOX_SCRIPTS_DIR/restart-sshd")
  }
}
JSON
}

# Rewrite only on change, so readers never see a half-written file and the mtime means something.
write_manifest() {
  local new
  new=$(render_manifest "$@")
  [[ -f $SANDBOX_JSON && "$(<"$SANDBOX_JSON")" == "$new" ]] && return 0
  printf '%s\n' "$new" >"$SANDBOX_JSON.tmp"
  mv -f "$SANDBOX_JSON.tmp" "$SANDBOX_JSON"
}
