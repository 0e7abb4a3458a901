# shellcheck shell=bash
# Test images, built FROM scratch on both daemons. Each image carries two labels: the ref it was built as and a
# hash of everything that went into it, so a warm `up` costs one `image inspect` per daemon, and a changed
# Dockerfile, fixture or Debian binary triggers a rebuild. Needs common.sh and dockerd.sh.

IMAGES_SRC=$SANDBOX_SCRIPTS_DIR/images
BUILD_DIR=$STATE/build
LABEL_REF=berth.sandbox.ref
LABEL_HASH=berth.sandbox.hash
WEB_VERSIONS=(1 2)

# Relative paths only, so a clone in another folder hashes the same.
dir_hash() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }
# Host binaries change only through a package upgrade, which changes size or mtime: cheaper than hashing ~10 MB.
file_stamp() { stat -L -c '%n %s %Y' "$@"; }
short_hash() { sha256sum | cut -c1-16; }

binary_libs() { ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'; }
haproxy_libs() { binary_libs /usr/sbin/haproxy; }

# Sets HASH[ref] for every sandbox image.
declare -A HASH=()
compute_hashes() {
  local -a libs
  mapfile -t libs < <(haproxy_libs)
  HASH[$IMAGE_BASE]=$({ dir_hash "$IMAGES_SRC/base"; file_stamp /bin/busybox; } | short_hash)
  local v web
  web=$({ echo "${HASH[$IMAGE_BASE]}"; dir_hash "$WEB_FIXTURE"; } | short_hash)
  for v in "${WEB_VERSIONS[@]}"; do HASH[$IMAGE_WEB:$v]=$web; done
  HASH[$IMAGE_HAPROXY]=$({
    dir_hash "$IMAGES_SRC/haproxy"
    file_stamp /usr/sbin/haproxy "${libs[@]}"
  } | short_hash)
  mapfile -t libs < <(binary_libs "$NODE_BIN")
  HASH[$IMAGE_NODE]=$({
    echo "${HASH[$IMAGE_BASE]}"
    dir_hash "$IMAGES_SRC/node"
    file_stamp "$NODE_BIN" "${libs[@]}" "$NPM_DIR/package.json"
  } | short_hash)
}

all_refs() { echo "$IMAGE_BASE" "$IMAGE_HAPROXY" "$IMAGE_NODE" $(printf "$IMAGE_WEB:%s " "${WEB_VERSIONS[@]}"); }

# Print the refs that are missing on a daemon or were built from other inputs.
stale_images() {
  local s=$1 ref hash
  local -A have=()
  while read -r ref hash; do
    [[ -n $ref ]] && have[$ref]=$hash
  done < <(dk "$s" image inspect --format "{{index .Config.Labels \"$LABEL_REF\"}} {{index .Config.Labels \"$LABEL_HASH\"}}" \
    $(all_refs) 2>/dev/null || true)
  for ref in $(all_refs); do
    [[ ${have[$ref]:-} == "${HASH[$ref]}" ]] || echo "$ref"
  done
}

# Build contexts live under STATE, never in the repo, and hold only what the image needs.
assemble_base_context() {
  local ctx=$BUILD_DIR/base
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp "$IMAGES_SRC/base/"* "$ctx/"
  cp /bin/busybox "$ctx/busybox"
}

assemble_haproxy_context() {
  local ctx=$BUILD_DIR/haproxy root lib
  root=$ctx/rootfs
  rm -rf "$ctx" && mkdir -p "$root/usr/sbin" "$root/etc" "$root/var/lib/haproxy" "$root/run/haproxy" \
    "$root/usr/local/etc/haproxy" "$root/tmp"
  chmod 1777 "$root/tmp"
  cp "$IMAGES_SRC/haproxy/Dockerfile" "$ctx/"
  cp /usr/sbin/haproxy "$root/usr/sbin/"
  # -L: the loader and several libraries are symlinks on the host; the image needs the files themselves.
  for lib in $(haproxy_libs); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  cp "$IMAGES_SRC/haproxy/passwd" "$IMAGES_SRC/haproxy/group" "$root/etc/"
  cp "$IMAGES_SRC/haproxy/haproxy.cfg" "$root/usr/local/etc/haproxy/"
}

assemble_node_context() {
  local ctx=$BUILD_DIR/node root lib
  root=$ctx/rootfs
  rm -rf "$ctx" && mkdir -p "$root/usr/local/bin" "$root/usr/local/lib/node_modules" "$root/usr/bin"
  cp "$IMAGES_SRC/node/Dockerfile" "$ctx/"
  cp -L "$NODE_BIN" "$root/usr/local/bin/node"
  for lib in $(binary_libs "$NODE_BIN"); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  cp -r "$NPM_DIR" "$root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  # npm's shebang is /usr/bin/env; busybox installed its applets in /bin only
  ln -s /bin/busybox "$root/usr/bin/env"
}

build_image() {
  local s=$1 ref=$2 ctx=$3
  shift 3
  local buildlog=$STATE/$s/build.log
  rotate_log "$buildlog"
  echo "=== $(date -Is) build $ref" >>"$buildlog"
  if ! dk "$s" build --label "$LABEL_REF=$ref" --label "$LABEL_HASH=${HASH[$ref]}" -t "$ref" "$@" "$ctx" \
    >>"$buildlog" 2>&1; then
    tail -n 20 "$buildlog" >&2
    die "building $ref on $s failed (see $buildlog)"
  fi
}

# Build what is stale on one daemon, in dependency order (the web app is FROM base).
build_images_on() {
  local s=$1
  shift
  local -A want=()
  local ref v
  for ref in "$@"; do want[$ref]=1; done
  # A rebuilt base changes the web hash too, so `want` already lists the web images then.
  [[ -z ${want[$IMAGE_BASE]:-} ]] || build_image "$s" "$IMAGE_BASE" "$BUILD_DIR/base"
  for v in "${WEB_VERSIONS[@]}"; do
    [[ -z ${want[$IMAGE_WEB:$v]:-} ]] || build_image "$s" "$IMAGE_WEB:$v" "$WEB_FIXTURE" --build-arg "VERSION=v$v"
  done
  # FROM base, like the web images: a rebuilt base lists this one as stale too
  [[ -z ${want[$IMAGE_NODE]:-} ]] || build_image "$s" "$IMAGE_NODE" "$BUILD_DIR/node"
  if [[ -n ${want[$IMAGE_HAPROXY]:-} ]]; then
    build_image "$s" "$IMAGE_HAPROXY" "$BUILD_DIR/haproxy"
    dk "$s" run --rm --network none "$IMAGE_HAPROXY" -c -f /usr/local/etc/haproxy/haproxy.cfg >/dev/null 2>&1 ||
      die "$IMAGE_HAPROXY on $s does not pass haproxy -c with its default config"
  fi
}

ensure_images() {
  compute_hashes
  local s ref
  local -A stale=() need_ctx=()
  for s in "${SERVERS[@]}"; do
    stale[$s]=$(stale_images "$s" | tr '\n' ' ')
    for ref in ${stale[$s]}; do need_ctx[$ref]=1; done
  done
  ((${#need_ctx[@]})) || return 0
  [[ -z ${need_ctx[$IMAGE_BASE]:-} ]] || assemble_base_context
  [[ -z ${need_ctx[$IMAGE_HAPROXY]:-} ]] || assemble_haproxy_context
  [[ -z ${need_ctx[$IMAGE_NODE]:-} ]] || assemble_node_context
  # Both daemons build at once: they are independent and the machine has two cores.
  local -A jobs=()
  for s in "${SERVERS[@]}"; do
    [[ -n ${stale[$s]// /} ]] || continue
    log "$s: building ${stale[$s]}"
    # shellcheck disable=SC2086
    build_images_on "$s" ${stale[$s]} &
    jobs[$s]=$!
  done
  local failed=0
  for s in "${!jobs[@]}"; do wait "${jobs[$s]}" || failed=1; done
  ((failed == 0)) || die "image builds failed"
}

# The registry must hold exactly s1's berth-test/web:1; compare digests instead of pushing on every up.
ensure_pushed() {
  local s=s1 remote=$REGISTRY_ADDR/berth-test/web:1 digest local_digests
  digest=$(http_header 127.0.0.1 "$REGISTRY_PORT" /v2/berth-test/web/manifests/1 docker-content-digest \
    application/vnd.docker.distribution.manifest.v2+json) || digest=
  local_digests=$(dk "$s" image inspect --format '{{join .RepoDigests " "}}' "$IMAGE_WEB:1")
  [[ -n $digest && " $local_digests " == *" $REGISTRY_ADDR/berth-test/web@$digest "* ]] && return 0
  log "pushing $IMAGE_WEB:1 to $REGISTRY_ADDR"
  dk "$s" tag "$IMAGE_WEB:1" "$remote"
  dk "$s" push "$remote" >>"$STATE/$s/build.log" 2>&1 || die "push of $remote failed (see $STATE/$s/build.log)"
}
