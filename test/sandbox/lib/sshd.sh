# shellcheck shell=bash
# One sshd per sandbox server, on 127.0.0.1, logging in as root with the sandbox's client key.
# Sourced by up, down and restart-sshd; needs common.sh and keys.sh.

sshd_config_path() { echo "$STATE/$1/sshd_config"; }
sshd_pidfile() { echo "$STATE/$1/sshd.pid"; }
sshd_log() { echo "$STATE/$1/sshd.log"; }

sshd_render_config() {
  local s=$1
  cat <<CFG
# Written by test/sandbox/up for sandbox server $s; rewritten on every up.
ListenAddress 127.0.0.1
Port ${SSH_PORT[$s]}
HostKey $(host_key "$s")
PidFile $(sshd_pidfile "$s")
AuthorizedKeysFile $(authorized_keys "$s")
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
AllowStreamLocalForwarding yes
AllowTcpForwarding yes
# The state dir lives under /tmp, which StrictModes would reject.
StrictModes no
# Tests open many connections at once; the default 10:30:100 drops some of them.
MaxStartups 100:30:200
MaxSessions 20
# Sessions whose client vanished without a FIN end after a minute instead of lingering.
ClientAliveInterval 15
ClientAliveCountMax 4
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
LogLevel VERBOSE
Subsystem sftp internal-sftp
# Points the remote docker CLI (and \`docker system dial-stdio\`) at this server's own daemon. PATH puts Debian's
# docker CLI (same release as the daemon, like on a real server) before a newer one in /usr/local/bin.
SetEnv DOCKER_HOST=unix://$STATE/$s/docker.sock BERTH_SANDBOX_SERVER=$s PATH=/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/sbin:/usr/local/bin
CFG
}

# Write the config; return 0 when it changed (a running sshd must then be restarted to pick it up).
sshd_write_config() {
  local s=$1 cfg new
  cfg=$(sshd_config_path "$s")
  new=$(sshd_render_config "$s")
  [[ -f $cfg && "$(<"$cfg")" == "$new" ]] && return 1
  printf '%s\n' "$new" >"$cfg.tmp"
  mv -f "$cfg.tmp" "$cfg"
  return 0
}

sshd_pid() { pid_alive "$(sshd_pidfile "$1")" "$(sshd_config_path "$1")"; }

sshd_running() { sshd_pid "$1" >/dev/null && port_open 127.0.0.1 "${SSH_PORT[$1]}"; }

sshd_start() {
  local s=$1 cfg log
  cfg=$(sshd_config_path "$s")
  log=$(sshd_log "$s")
  mkdir -p -m 0755 /run/sshd # privilege separation dir: sshd refuses to start without it
  rotate_log "$log"
  "$SSHD_BIN" -t -f "$cfg" 2>>"$log" || die "sshd config for $s is invalid (see $log)"
  if port_open 127.0.0.1 "${SSH_PORT[$s]}"; then
    die "port ${SSH_PORT[$s]} is taken by a process that is not the sandbox's sshd for $s (set BERTH_SANDBOX_${s^^}_PORT)"
  fi
  # sshd daemonises itself (setsid included) and writes PidFile; -E keeps its log out of syslog.
  "$SSHD_BIN" -f "$cfg" -E "$log" 9>&- || die "sshd for $s failed to start (see $log)"
  wait_until 10 "sshd $s on port ${SSH_PORT[$s]}" sshd_running "$s" || die "sshd for $s did not come up (see $log)"
}

# Stop the listener and every session it spawned: per-connection sshd processes outlive a killed listener (that
# is how OpenSSH keeps sessions across restarts), so killing only the pid file's process would leave the clients
# connected and their `docker` children running.
sshd_stop() {
  local s=$1 pid kids
  pid=$(sshd_pid "$s") || { rm -f "$(sshd_pidfile "$s")"; return 0; }
  kids=$(descendants "$pid")
  # shellcheck disable=SC2086 # word splitting of the pid list is intended
  stop_pids 5 "$pid" $kids
  rm -f "$(sshd_pidfile "$s")"
}
