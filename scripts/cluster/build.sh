#!/usr/bin/env bash
# Build (or reuse) what labdeck's cluster runs: kube-apiserver,
# kube-controller-manager, kube-scheduler, kubelet, kube-proxy (k8s.io/kubernetes),
# etcd (go.etcd.io/etcd/server/v3), CoreDNS (github.com/coredns/coredns), the pod
# sandbox (pause.go) and kwok (sigs.k8s.io/kwok, for --nodes simulated), all from
# the Go module proxy, into a versioned cache folder outside the repository;
# then the registry mirror's images from Debian packages (images.sh).
# Output goes to $BUILD_LOG; a failure names that log.
#   build.sh           build what is missing, reuse the rest
#   build.sh --force   rebuild everything
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

force="$(force_flag "$@")"

# Files besides the binaries that `up` needs: kwok's stage and CRD YAMLs are
# copied out of the module cache so a cleaned GOMODCACHE does not break `up`.
ASSETS=(kwok-assets/node-initialize.yaml kwok-assets/node-heartbeat-with-lease.yaml
        kwok-assets/pod-ready.yaml kwok-assets/pod-complete.yaml kwok-assets/pod-delete.yaml
        kwok-assets/kwok.x-k8s.io_logs.yaml)

# The pause binary is stamped with its source's hash: an edit rebuilds it.
pause_version() { sha256sum <"$here/pause.go" | cut -c1-16; }

# have FILE [STAMP VERSION]: FILE exists (and was built at VERSION).
have() {
  [[ $force == 0 && -e "$BIN_DIR/$1" ]] || return 1
  [[ $# -lt 3 ]] || [[ "$(cat "$BIN_DIR/.$2.version" 2>/dev/null)" == "$3" ]]
}
have_bin() {
  case "$1" in
    etcd) have etcd etcd "$EVER" || have etcd etcd debian ;;
    kwok) have kwok kwok "$KWOKVER" ;;
    coredns) have coredns coredns "$COREDNS_VER" ;;
    pause) have pause pause "$(pause_version)" ;;
    *) have "$1" "$1" "$KVER" ;;
  esac
}
all_present() {
  local f
  for f in "${BINARIES[@]}"; do have_bin "$f" || return 1; done
  for f in "${ASSETS[@]}"; do have "$f" || return 1; done
}

# Images are checked by images.sh itself (a stamp per image); it needs root for
# its namespaces, so without root only the binaries are built.
build_images() {
  local t0 args=()
  t0=$(date +%s)
  [[ $force == 1 ]] && args=(--force)
  if [[ $(id -u) -ne 0 ]]; then
    info "images not built: building them needs root (as does a real node); --nodes simulated needs none"
    return 0
  fi
  require_packages build "building the registry mirror's images" "the images themselves are made from busybox-static and nginx, downloaded with apt-get download"
  printf '\n=== images: images.sh (%s)\n' "$(date -u +%FT%TZ)" >>"$BUILD_LOG"
  if ! bash "$here/images.sh" "${args[@]}" >>"$BUILD_LOG" 2>&1; then
    printf '=== images FAILED\n' >>"$BUILD_LOG"
    tail -n 15 "$BUILD_LOG" >&2 || true
    die "$EXIT_BUILD_FAILED" "building the mirror's images failed; full output in $BUILD_LOG"
  fi
  local summary
  summary=$(grep '^images: ' "$BUILD_LOG" | tail -n1)
  printf 'images\t%s\n' "$(($(date +%s) - t0))" >>"$CACHE_DIR/build-times.tsv"
  info "${summary#images: } in $(($(date +%s) - t0))s"
}

if all_present; then
  [[ -f "$BUILD_LOG" ]] || { mkdir -p "$(dirname "$BUILD_LOG")"; : >"$BUILD_LOG"; }
  info "binaries already built in $BIN_DIR (reused; --force rebuilds)"
  build_images
  exit 0
fi

command -v go >/dev/null || die "$EXIT_BUILD_FAILED" "Go is not on PATH; install Go >= 1.26 to build the cluster binaries"
mkdir -p "$BIN_DIR" "$CACHE_DIR" "$(dirname "$BUILD_LOG")"
: >"$BUILD_LOG"
TIMES="$CACHE_DIR/build-times.tsv"
: >"$TIMES"

export CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
MINOR="$(echo "$KVER" | cut -d. -f2)"
PATCH="${KVER##*.}"

# step NAME CMD...: run CMD (in a subshell, so `cd` does not leak) with its
# output in the log, and record its wall time for docs/BENCHMARKS.md.
step() {
  local name="$1"; shift
  local t0 t1
  t0=$(date +%s)
  printf '\n=== %s: %s (%s)\n' "$name" "$*" "$(date -u +%FT%TZ)" >>"$BUILD_LOG"
  # A fresh bash per step: when step runs under `||` or `if`, bash ignores
  # `set -e` in everything it calls (subshells included), and a failing
  # `go get` would go unnoticed. A new process starts with -e in force.
  if ! bash -euo pipefail -c '"$@"' "$name" "$@" >>"$BUILD_LOG" 2>&1; then
    printf '=== %s FAILED\n' "$name" >>"$BUILD_LOG"
    tail -n 15 "$BUILD_LOG" >&2 || true
    die "$EXIT_BUILD_FAILED" "build step '$name' failed; full output in $BUILD_LOG"
  fi
  t1=$(date +%s)
  printf '%s\t%s\n' "$name" "$((t1 - t0))" >>"$TIMES"
  # Stamp the version so a version bump never reuses an older binary.
  case "$name" in
    etcd) echo "$EVER" >"$BIN_DIR/.etcd.version" ;;
    etcd-debian) echo debian >"$BIN_DIR/.etcd.version" ;;
    kwok|kwok-assets) echo "$KWOKVER" >"$BIN_DIR/.$name.version" ;;
    coredns) echo "$COREDNS_VER" >"$BIN_DIR/.coredns.version" ;;
    pause) pause_version >"$BIN_DIR/.pause.version" ;;
    kube*) echo "$KVER" >"$BIN_DIR/.$name.version" ;;
  esac
  info "$name done in $((t1 - t0))s"
}

build_etcd() {
  local w="$CACHE_DIR/mod-etcd-$EVER"
  mkdir -p "$w" && cd "$w"
  printf 'module labdeck.local/etcdbin\n\ngo 1.23.0\n' >go.mod
  # etcd's own go.mod has `replace => ../api`, so `go install` cannot work:
  # a tiny wrapper main calls the same entry point as upstream's server/main.go.
  cat >main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  go get "go.etcd.io/etcd/server/v3@v$EVER"
  go mod tidy
  go build -trimpath -ldflags "-s -w" -o "$BIN_DIR/etcd" .
}

# Fallback when etcd does not build from modules: Debian bookworm's
# etcd-server (3.4.23; below upstream's documented minimum for 1.31+, but the
# apiserver only needs etcd's gRPC KV API). Only the binary is extracted: a
# plain `apt-get install` would also start a system etcd daemon.
build_etcd_debian() {
  local d="$CACHE_DIR/etcd-debian"
  rm -rf "$d" && mkdir -p "$d" && cd "$d"
  apt-get download etcd-server
  dpkg-deb -x etcd-server_*.deb root
  cp root/usr/bin/etcd "$BIN_DIR/etcd"
}

build_coredns() {
  GOBIN="$BIN_DIR" go install -trimpath -ldflags "-s -w" "github.com/coredns/coredns@v$COREDNS_VER"
}

build_pause() {
  local w="$CACHE_DIR/mod-pause"
  mkdir -p "$w" && cd "$w"
  printf 'module labdeck.local/pause\n\ngo 1.23.0\n' >go.mod
  cp "$PAUSE_SRC" main.go
  go build -trimpath -ldflags "-s -w" -o "$BIN_DIR/pause" .
}

build_kwok() {
  GOBIN="$BIN_DIR" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@v$KWOKVER"
}

kwok_assets() {
  local dir
  dir=$(go mod download -json "sigs.k8s.io/kwok@v$KWOKVER" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [[ -d "$dir" ]] || { echo "cannot find the source of sigs.k8s.io/kwok@v$KWOKVER"; return 1; }
  mkdir -p "$BIN_DIR/kwok-assets"
  cp "$dir"/kustomize/stage/node/fast/node-initialize.yaml \
     "$dir"/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
     "$dir"/kustomize/stage/pod/fast/pod-ready.yaml \
     "$dir"/kustomize/stage/pod/fast/pod-complete.yaml \
     "$dir"/kustomize/stage/pod/fast/pod-delete.yaml \
     "$dir"/kustomize/crd/bases/kwok.x-k8s.io_logs.yaml \
     "$BIN_DIR/kwok-assets/"
  chmod u+w "$BIN_DIR"/kwok-assets/*
}

k8s_module() {
  local w="$CACHE_DIR/mod-k8s-$KVER" kmod m
  mkdir -p "$w" && cd "$w"
  printf 'module labdeck.local/k8sbins\n\ngo 1.23.0\n' >go.mod
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them
  # with ./staging paths, which only works in its own repo. Re-state each
  # replace with the published v0.MINOR.PATCH, generated from its go.mod so a
  # version bump is a one-variable change.
  kmod=$(go mod download -json "k8s.io/kubernetes@v$KVER" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  [[ -f "$kmod" ]] || { echo "cannot find go.mod of k8s.io/kubernetes@v$KVER"; return 1; }
  # GODEBUG defaults follow the main module: copy k8s' own pin.
  grep -E '^godebug ' "$kmod" >>go.mod || true
  local want v
  want="v0.$MINOR.$PATCH"
  for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/.*#\1#p' "$kmod"); do
    v="$want"
    # Some proxies do not serve every staging module at every patch (e.g.
    # k8s.io/code-generator or the sample-* modules, which the three commands
    # do not import). Fall back to the newest patch of the same minor so the
    # module graph resolves; a module that is really compiled in and missing
    # still fails the build below, with the reason in the log.
    if ! go list -m -versions "$m" 2>/dev/null | tr ' ' '\n' | grep -qx "$want"; then
      v=$(go list -m -versions "$m" 2>/dev/null | tr ' ' '\n' | grep -E "^v0\.$MINOR\.[0-9]+$" | tail -n1 || true)
      # No patch of this minor at all: newest release, still only to resolve the graph.
      [[ -n "$v" ]] || v=$(go list -m -versions "$m" 2>/dev/null | tr ' ' '\n' | grep -E "^v0\.[0-9]+\.[0-9]+$" | tail -n1 || true)
      [[ -n "$v" ]] || v="$want"
      echo "note: $m@$want is not available from the module proxy; using $v"
    fi
    go mod edit -replace="$m=$m@$v"
  done
  go mod edit -require="k8s.io/kubernetes@v$KVER"
  cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
GO
  go mod tidy
  go mod download
}

build_k8s_cmd() {
  local cmd="$1" d ldf p
  cd "$CACHE_DIR/mod-k8s-$KVER"
  d=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  # Version stamping matters: kubectl's dispatcher picks its client by the
  # server version, and `kubectl version` appears in the slides.
  ldf="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf="$ldf -X $p.gitVersion=v$KVER -X $p.gitMajor=1 -X $p.gitMinor=$MINOR"
    ldf="$ldf -X $p.gitTreeState=clean -X $p.buildDate=$d"
  done
  go build -trimpath -ldflags "$ldf" -o "$BIN_DIR/$cmd" "k8s.io/kubernetes/cmd/$cmd"
}

# The step functions run in child bash processes (see step): export them.
PAUSE_SRC="$here/pause.go"
export BIN_DIR CACHE_DIR BUILD_LOG KVER EVER KWOKVER COREDNS_VER MINOR PATCH PAUSE_SRC
export -f build_etcd build_etcd_debian build_kwok kwok_assets k8s_module build_k8s_cmd build_coredns build_pause

info "building cluster binaries into $BIN_DIR (log: $BUILD_LOG)"
go version >>"$BUILD_LOG"
T0=$(date +%s)
if ! have_bin etcd; then
  # LABDECK_ETCD_SOURCE: module (default; Debian as fallback), module-only, debian.
  case "${LABDECK_ETCD_SOURCE:-module}" in
    module|module-only|debian) ;;
    *) die "$EXIT_USAGE" "LABDECK_ETCD_SOURCE must be module, module-only or debian" ;;
  esac
  if [[ "${LABDECK_ETCD_SOURCE:-module}" == debian ]]; then
    step etcd-debian build_etcd_debian
  elif [[ "${LABDECK_ETCD_SOURCE:-module}" == module-only ]]; then
    step etcd build_etcd
  else
    # A failing module build falls back to Debian's etcd when apt is there;
    # `step` exits on failure, so try it in a subshell first.
    if ! (step etcd build_etcd); then
      command -v apt-get >/dev/null || die "$EXIT_BUILD_FAILED" "etcd did not build; full output in $BUILD_LOG"
      info "etcd did not build from modules (see $BUILD_LOG); falling back to Debian's etcd-server"
      step etcd-debian build_etcd_debian
    fi
  fi
fi
have_bin kwok || step kwok build_kwok
all_assets=1
for f in "${ASSETS[@]}"; do have "$f" || all_assets=0; done
[[ $all_assets == 1 && "$(cat "$BIN_DIR/.kwok-assets.version" 2>/dev/null)" == "$KWOKVER" ]] || step kwok-assets kwok_assets
K8S_CMDS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)
need_k8s=0
for c in "${K8S_CMDS[@]}"; do have_bin "$c" || need_k8s=1; done
# The wrapper module imports all five commands: (re)tidy it when one is missing,
# e.g. a cache made before the node existed.
[[ $need_k8s == 0 ]] || step k8s-modules k8s_module
# Built one after the other so the log shows each component's own cost; the
# packages compiled for the apiserver are reused from GOCACHE by the next ones.
for c in "${K8S_CMDS[@]}"; do have_bin "$c" || step "$c" build_k8s_cmd "$c"; done
have_bin coredns || step coredns build_coredns
have_bin pause || step pause build_pause
printf 'binaries\t%s\n' "$(($(date +%s) - T0))" >>"$TIMES"
cat >"$BIN_DIR/VERSIONS" <<V
kubernetes v$KVER
etcd v$EVER
coredns v$COREDNS_VER
kwok v$KWOKVER
$(go version)
V
info "all binaries ready in $(($(date +%s) - T0))s: $BIN_DIR"
build_images
printf 'total\t%s\n' "$(($(date +%s) - T0))" >>"$TIMES"
