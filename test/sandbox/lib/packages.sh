# shellcheck shell=bash
# Debian packages the sandbox needs. Nothing here runs unless something is missing, so a warm `up` pays one
# dpkg-query call.

SANDBOX_PACKAGES=(docker.io openssh-server openssh-client docker-registry busybox-static chromium haproxy iproute2 git
  procps ca-certificates)

# Print the packages that are not fully installed ("unpacked" or "half-configured" count as missing).
missing_packages() {
  local -A ok=()
  local name status
  while read -r name status; do
    [[ $status == "install ok installed" ]] && ok[$name]=1
  done < <(dpkg-query -W -f='${Package} ${Status}\n' "${SANDBOX_PACKAGES[@]}" 2>/dev/null || true)
  for name in "${SANDBOX_PACKAGES[@]}"; do
    [[ -n ${ok[$name]:-} ]] || echo "$name"
  done
}

# apt and dpkg take fcntl locks, which flock(1) cannot see; /proc/locks lists them by device:inode.
dpkg_busy() {
  local f ino
  for f in /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock; do
    [[ -e $f ]] || continue
    ino=$(stat -c %i "$f")
    awk -v ino="$ino" '{ n = split($6, a, ":"); if (a[n] == ino) found = 1 } END { exit !found }' /proc/locks &&
      return 0
  done
  return 1
}

wait_for_dpkg() {
  local waited=0
  while dpkg_busy; do
    ((waited % 30 == 0)) && log "another apt/dpkg run holds the lock; waiting for it (${waited}s so far)"
    ((waited < 1800)) || { log "gave up waiting for the dpkg lock after ${waited}s"; return 0; }
    sleep 1
    waited=$((waited + 1))
  done
}

ensure_packages() {
  local -a missing
  mapfile -t missing < <(missing_packages)
  ((${#missing[@]})) || return 0
  is_root || die "missing Debian packages (${missing[*]}): run \`npm run sandbox:up\` as root"

  # A concurrent install may be about to provide exactly these: wait for it, then look again.
  wait_for_dpkg
  mapfile -t missing < <(missing_packages)
  ((${#missing[@]})) || return 0

  log "installing: ${missing[*]}"
  # An interrupted earlier run leaves packages half-configured, and apt-get refuses to go on until this is done.
  if [[ -n $(dpkg --audit 2>/dev/null) ]]; then
    DEBIAN_FRONTEND=noninteractive dpkg --configure -a >>"$STATE/apt.log" 2>&1 || true
  fi
  local apt_opts=(-o DPkg::Lock::Timeout=900 -o Dpkg::Use-Pty=0)
  apt-get "${apt_opts[@]}" update >>"$STATE/apt.log" 2>&1 || die "apt-get update failed (see $STATE/apt.log)"
  DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" \
    >>"$STATE/apt.log" 2>&1 || die "apt-get install failed (see $STATE/apt.log)"
  mapfile -t missing < <(missing_packages)
  ((${#missing[@]} == 0)) || die "still missing after apt-get install: ${missing[*]} (see $STATE/apt.log)"
}
