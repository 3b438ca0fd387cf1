#!/usr/bin/env bash
# Build the images listed in images.list from Debian packages (and from the Go
# binaries build.sh made), check that each answers its command, and push them
# into the registry mirror's storage ($IMAGES_DIR/registry) through a
# throw-away registry on 127.0.0.1. Only new or changed images are built.
#   images.sh           build what is missing or changed
#   images.sh --force   rebuild every image
# Output goes to the caller's stdout/stderr (build.sh sends it to the build log).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

force="$(force_flag "$@")"

require_packages build "building the mirror's images"
STAMPS="$IMAGES_DIR/stamps"
DEBS="$IMAGES_DIR/debs"
mkdir -p "$IMAGES_DIR" "$STAMPS" "$DEBS"
exec 8>"$IMAGES_DIR.lock"
flock -w 900 8 || die "$EXIT_BUILD_FAILED" "another image build holds $IMAGES_DIR.lock"

# --- the list ------------------------------------------------------------------
# Fills REFS, RECIPES, FROMS, ANSWERS from images.list (validated: four fields,
# a known recipe, no two references with the same repository path, since the
# mirror serves every registry host from one namespace).
REFS=() RECIPES=() FROMS=() ANSWERS=()
trim() { local s="$1"; s="${s#"${s%%[![:space:]]*}"}"; printf '%s' "${s%"${s##*[![:space:]]}"}"; }
declare -A seen_path=()
n=0
while IFS= read -r line || [[ -n "$line" ]]; do
  n=$((n + 1))
  [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
  IFS='|' read -r ref recipe from answer extra <<<"$line"
  ref="$(trim "$ref")" recipe="$(trim "$recipe")" from="$(trim "$from")" answer="$(trim "${answer:-}")"
  [[ -z "${extra:-}" && -n "$answer" ]] || die "$EXIT_USAGE" "$IMAGE_LIST:$n: expected 'reference | recipe | built from | must answer'"
  [[ "$ref" =~ ^[a-z0-9.-]+\.[a-z]+(:[0-9]+)?/[a-z0-9._/-]+:[A-Za-z0-9._-]+$ ]] || die "$EXIT_USAGE" "$IMAGE_LIST:$n: '$ref' is not a full reference (host/path:tag, e.g. docker.io/library/alpine:latest)"
  path="${ref#*/}"
  [[ -z "${seen_path[$path]:-}" ]] || die "$EXIT_USAGE" "$IMAGE_LIST:$n: $ref and ${seen_path[$path]} have the same path in the mirror"
  seen_path[$path]="$ref"
  REFS+=("$ref") RECIPES+=("$recipe") FROMS+=("$from") ANSWERS+=("$answer")
done <"$IMAGE_LIST"

# --- recipes: each fills the root file system in $1 and sets the image config --
# ENTRYPOINT/CMD are arrays; PORTS and STOPSIGNAL optional. inputs_X prints what
# the image is made from (package versions, binary hashes): a change rebuilds it.

# deb PKG...: download (once, cached) and print the .deb paths.
deb() {
  local p f
  for p in "$@"; do
    f=$(ls "$DEBS"/"${p}"_*.deb 2>/dev/null | head -n1 || true)
    if [[ -z "$f" ]]; then
      (cd "$DEBS" && apt-get -q -o APT::Sandbox::User=root download "$p" >&2) ||
        die "$EXIT_BUILD_FAILED" "could not download the Debian package $p (apt-get download $p); run apt-get update, or check the Debian mirror"
      f=$(ls "$DEBS"/"${p}"_*.deb | head -n1)
    fi
    echo "$f"
  done
}
# The candidate versions of Debian packages, for the stamps: a security update rebuilds.
deb_versions() { apt-cache show --no-all-versions "$@" 2>/dev/null | sed -n 's/^Version: //p' | tr '\n' ' '; }

recipe_busybox() {
  local root="$1" x applet
  x="$(mktemp -d)"
  dpkg-deb -x "$(deb busybox-static)" "$x"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var/tmp,proc,sys,dev,run,home}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  cp "$x/bin/busybox" "$root/bin/busybox"
  rm -rf "$x"
  for applet in $("$root/bin/busybox" --list-full); do
    [[ -e "$root/$applet" ]] || ln -s /bin/busybox "$root/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  cat >"$root/etc/os-release" <<'EOF'
NAME="labdeck busybox"
ID=labdeck-busybox
PRETTY_NAME="labdeck image built from Debian busybox-static (not Alpine Linux)"
EOF
  ENTRYPOINT=() CMD=(/bin/sh)
}
inputs_busybox() { deb_versions busybox-static; }

recipe_nginx() {
  local root="$1" x d
  recipe_busybox "$root"
  x="$(mktemp -d)"
  for d in $(deb nginx nginx-common libc6 libcrypt1 libpcre2-8-0 libssl3 zlib1g); do dpkg-deb -x "$d" "$x"; done
  cp -a "$x/lib" "$x/lib64" "$root/" 2>/dev/null || cp -a "$x/lib" "$root/"
  [[ -d "$x/usr/lib" ]] && cp -a "$x/usr/lib" "$root/usr/"
  install -D -m 755 "$x/usr/sbin/nginx" "$root/usr/sbin/nginx"
  mkdir -p "$root/etc/nginx" "$root/usr/share/nginx/html" "$root/var/log/nginx" "$root/var/cache/nginx" \
    "$root"/var/lib/nginx/{body,proxy,fastcgi,uwsgi,scgi}
  cp "$x/etc/nginx/mime.types" "$root/etc/nginx/"
  cp "$x/usr/share/nginx/html/index.html" "$root/usr/share/nginx/html/index.html"
  rm -rf "$x"
  # Logs to the container's output, as the official image does, so `kubectl logs` shows them.
  ln -sf /dev/stdout "$root/var/log/nginx/access.log"
  ln -sf /dev/stderr "$root/var/log/nginx/error.log"
  echo 'www-data:x:33:33:www-data:/var/www:/bin/false' >>"$root/etc/passwd"
  echo 'www-data:x:33:' >>"$root/etc/group"
  cat >"$root/etc/nginx/nginx.conf" <<'EOF'
user www-data;
worker_processes 1;
error_log /dev/stderr notice;
pid /run/nginx.pid;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log /dev/stdout;
  sendfile on;
  server {
    listen 80;
    server_name localhost;
    location / { root /usr/share/nginx/html; index index.html; }
  }
}
EOF
  ENTRYPOINT=() CMD=(nginx -g 'daemon off;') PORTS=(80/tcp) STOPSIGNAL=SIGQUIT
}
inputs_nginx() { deb_versions busybox-static nginx nginx-common libc6 libcrypt1 libpcre2-8-0 libssl3 zlib1g; }

recipe_pause() {
  local root="$1"
  install -D -m 755 "$BIN_DIR/pause" "$root/pause"
  ENTRYPOINT=(/pause) CMD=()
}
inputs_pause() { cat "$BIN_DIR/.pause.version"; }

recipe_coredns() {
  local root="$1"
  install -D -m 755 "$BIN_DIR/coredns" "$root/coredns"
  mkdir -p "$root/etc" "$root/tmp"
  ENTRYPOINT=(/coredns) CMD=() PORTS=(53/udp 53/tcp 9153/tcp)
}
inputs_coredns() { cat "$BIN_DIR/.coredns.version"; }

for i in "${!REFS[@]}"; do
  declare -F "recipe_${RECIPES[$i]}" >/dev/null || die "$EXIT_USAGE" "$IMAGE_LIST: ${REFS[$i]}: unknown recipe '${RECIPES[$i]}' (images.sh has: busybox, nginx, pause, coredns)"
done

# answers ROOT CMD: run CMD in ROOT as a container would (own network, PID and
# mount namespaces, loopback up, /dev and /proc mounted, nothing else).
answers() {
  local root="$1" cmd="$2"
  mkdir -p "$root/dev" "$root/proc"
  unshare --net --pid --mount --fork -- /bin/sh -c '
    set -e
    root="$1"; cmd="$2"
    ip link set lo up
    mount --make-rprivate /
    mount --rbind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    if [ -x "$root/bin/sh" ]; then exec chroot "$root" /bin/sh -c "$cmd"; fi
    exec chroot "$root" $cmd' answers "$root" "$cmd"
}

# --- the throw-away registry the images are pushed through ------------------------
REG_PID=""
WORK="$(mktemp -d "${TMPDIR:-/tmp}/labdeck-images.XXXXXX")"
cleanup() {
  if [[ -n "$REG_PID" ]]; then kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
start_registry() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$WORK/registry.yml" <<EOF
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $IMAGES_DIR/registry}
http: {addr: "127.0.0.1:$port"}
EOF
  docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
  REG_PID=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && { REG_PORT=$port; return 0; }
    kill -0 "$REG_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$WORK/registry.log" >&2
  die "$EXIT_BUILD_FAILED" "the registry that receives the images did not start (docker-registry serve)"
}

# --- build ---------------------------------------------------------------------------
umoci init --layout "$WORK/oci" >/dev/null
built=0 kept=0
declare -A INPUTS=()  # per recipe: asking apt takes a second or two
for i in "${!REFS[@]}"; do
  ref="${REFS[$i]}" recipe="${RECIPES[$i]}" answer="${ANSWERS[$i]}"
  tag="$(printf '%s' "$ref" | tr '/:' '__')"
  [[ -n "${INPUTS[$recipe]:-}" ]] || INPUTS[$recipe]="$("inputs_$recipe")"
  inputs="${INPUTS[$recipe]}"
  stamp="$(printf '%s\n' "$ref|$recipe|${FROMS[$i]}|$answer" "$inputs" "$(sha256sum <"$here/images.sh")" | sha256sum | cut -c1-32)"
  if [[ $force == 0 && "$(cat "$STAMPS/$tag" 2>/dev/null)" == "$stamp" ]]; then
    kept=$((kept + 1)); continue
  fi
  echo "image $ref: recipe $recipe (inputs: $inputs)"
  root="$WORK/rootfs-$tag"
  ENTRYPOINT=() CMD=() PORTS=() STOPSIGNAL=""
  mkdir -p "$root"
  "recipe_$recipe" "$root"
  if ! answers "$root" "$answer"; then
    die "$EXIT_BUILD_FAILED" "image $ref does not answer '$answer' (images.list); its recipe is recipe_$recipe in images.sh"
  fi
  tar -C "$root" --numeric-owner --owner=0 --group=0 --sort=name -cf "$WORK/layer.tar" .
  umoci new --image "$WORK/oci:$tag"
  umoci raw add-layer --image "$WORK/oci:$tag" "$WORK/layer.tar"
  args=(--image "$WORK/oci:$tag" --os linux --architecture amd64 --author labdeck
        --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        --config.label "dev.labdeck.built-from=${FROMS[$i]}")
  for a in "${ENTRYPOINT[@]}"; do args+=("--config.entrypoint=$a"); done
  for a in "${CMD[@]}"; do args+=("--config.cmd=$a"); done
  for a in "${PORTS[@]}"; do args+=("--config.exposedports=$a"); done
  [[ -z "$STOPSIGNAL" ]] || args+=("--config.stopsignal=$STOPSIGNAL")
  umoci config "${args[@]}"
  [[ -n "$REG_PID" ]] || start_registry
  skopeo copy --quiet --dest-tls-verify=false "oci:$WORK/oci:$tag" "docker://127.0.0.1:$REG_PORT/${ref#*/}"
  echo "$stamp" >"$STAMPS/$tag"
  rm -rf "$root" "$WORK/layer.tar"
  built=$((built + 1))
done
# What the mirror holds, for `status` and the pull errors' hints.
printf '%s\n' "${REFS[@]}" >"$IMAGES_DIR/mirrored"
echo "images: $built built, $kept unchanged; mirror storage $IMAGES_DIR/registry"
