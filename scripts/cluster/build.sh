#!/usr/bin/env bash
# Build (or reuse) the control-plane binaries labdeck's cluster needs:
# kube-apiserver, kube-controller-manager, kube-scheduler (k8s.io/kubernetes),
# etcd (go.etcd.io/etcd/server/v3) and kwok (sigs.k8s.io/kwok), all from the Go
# module proxy. Output goes to $BUILD_LOG; on failure we name that log.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

force=0
[[ "${1:-}" == "--force" ]] && force=1

all_present() {
  local b
  for b in "${BINARIES[@]}"; do [[ -x "$BIN_DIR/$b" ]] || return 1; done
}

if [[ $force == 0 ]] && all_present; then
  info "binaries already built in $BIN_DIR (reused; --force rebuilds)"
  exit 0
fi

command -v go >/dev/null || die "$EXIT_BUILD_FAILED" "Go is not on PATH; install Go >= 1.24 to build the cluster binaries"
mkdir -p "$BIN_DIR" "$CACHE_DIR"
: >"$BUILD_LOG"
TIMES="$CACHE_DIR/build-times.tsv"
: >"$TIMES"

export CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
MINOR="$(echo "$KVER" | cut -d. -f2)"
PATCH="${KVER##*.}"

# step NAME CMD...: run CMD with output to the log and record its wall time.
step() {
  local name="$1"; shift
  local t0 t1
  t0=$(date +%s)
  printf '\n=== %s: %s (%s)\n' "$name" "$*" "$(date -u +%FT%TZ)" >>"$BUILD_LOG"
  if ! "$@" >>"$BUILD_LOG" 2>&1; then
    printf '=== %s FAILED\n' "$name" >>"$BUILD_LOG"
    tail -n 15 "$BUILD_LOG" >&2 || true
    die "$EXIT_BUILD_FAILED" "build step '$name' failed; full output in $BUILD_LOG"
  fi
  t1=$(date +%s)
  printf '%s\t%s\n' "$name" "$((t1 - t0))" >>"$TIMES"
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

build_kwok() {
  GOBIN="$BIN_DIR" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@v$KWOKVER"
}

k8s_module() {
  local w="$CACHE_DIR/mod-k8s-$KVER" kmod m
  mkdir -p "$w" && cd "$w"
  printf 'module labdeck.local/k8sbins\n\ngo 1.23.0\n' >go.mod
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them
  # with ./staging paths, which only works in its own repo. Re-state each
  # replace with the published v0.MINOR.PATCH, generated from its go.mod.
  kmod=$(go mod download -json "k8s.io/kubernetes@v$KVER" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  [[ -f "$kmod" ]] || { echo "cannot find go.mod of k8s.io/kubernetes@v$KVER"; return 1; }
  grep -E '^godebug ' "$kmod" >>go.mod || true
  for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/.*#\1#p' "$kmod"); do
    go mod edit -replace="$m=$m@v0.$MINOR.$PATCH"
  done
  go mod edit -require="k8s.io/kubernetes@v$KVER"
  cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
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

info "building cluster binaries into $BIN_DIR (log: $BUILD_LOG)"
go version >>"$BUILD_LOG"
T0=$(date +%s)
step etcd build_etcd
step kwok build_kwok
step k8s-modules k8s_module
# Built one after the other so the log shows each component's own cost; the
# shared packages compiled for the apiserver are reused from GOCACHE after.
step kube-apiserver build_k8s_cmd kube-apiserver
step kube-controller-manager build_k8s_cmd kube-controller-manager
step kube-scheduler build_k8s_cmd kube-scheduler
printf 'total\t%s\n' "$(($(date +%s) - T0))" >>"$TIMES"
cat >"$BIN_DIR/VERSIONS" <<V
kubernetes v$KVER
etcd v$EVER
kwok v$KWOKVER
$(go version)
V
info "all binaries built in $(($(date +%s) - T0))s: $BIN_DIR"
