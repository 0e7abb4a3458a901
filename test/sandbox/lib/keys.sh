# shellcheck shell=bash
# Key material: made once and kept across down/up, so fingerprints and authorized keys stay stable.

KEYS_DIR=$STATE/keys
CLIENT_KEY=$KEYS_DIR/client_ed25519
WRONG_KEY=$KEYS_DIR/wrong_ed25519

host_key() { echo "$STATE/$1/ssh_host_ed25519_key"; }
authorized_keys() { echo "$STATE/$1/authorized_keys"; }

make_key() {
  local path=$1 comment=$2
  [[ -s $path && -s $path.pub ]] && return 0
  rm -f "$path" "$path.pub"
  ssh-keygen -q -t ed25519 -N '' -C "$comment" -f "$path" >/dev/null
}

ensure_keys() {
  mkdir -p -m 0700 "$KEYS_DIR"
  make_key "$CLIENT_KEY" berth-sandbox-client
  make_key "$WRONG_KEY" berth-sandbox-wrong
  local s pub
  pub=$(<"$CLIENT_KEY.pub")
  for s in "${SERVERS[@]}"; do
    mkdir -p "$STATE/$s"
    # A run that rotated a key and died before restoring it must not leave the other suites facing a strange key:
    # put it back and stop that sshd, so ensure_sshds starts it again with the original.
    if restore_host_key "$s"; then sshd_stop "$s"; fi
    # Each server its own host key, so tests can tell a host-key change or a mix-up between servers.
    make_key "$(host_key "$s")" "berth-sandbox-$s"
    # Append rather than overwrite: a test may have authorized an extra key on purpose.
    grep -qxF "$pub" "$(authorized_keys "$s")" 2>/dev/null || echo "$pub" >>"$(authorized_keys "$s")"
  done
}

# Replace a server's host key by a new one, keeping the original aside (as if the server had been reinstalled).
rotate_host_key() {
  local key
  key=$(host_key "$1")
  [[ -f $key.orig ]] || { mv -f "$key" "$key.orig"; mv -f "$key.pub" "$key.pub.orig"; }
  rm -f "$key" "$key.pub"
  ssh-keygen -q -t ed25519 -N '' -C "berth-sandbox-$1-rotated" -f "$key" >/dev/null
}

# Put the original host key back; returns 0 when there was one to restore.
restore_host_key() {
  local key
  key=$(host_key "$1")
  [[ -f $key.orig ]] || return 1
  mv -f "$key.orig" "$key"
  mv -f "$key.pub.orig" "$key.pub"
}

# OpenSSH-style SHA256:base64 (no padding) fingerprint of a server's host key.
host_fingerprint() {
  local out
  out=$(ssh-keygen -l -E sha256 -f "$(host_key "$1").pub")
  out=${out#* }
  echo "${out%% *}"
}
