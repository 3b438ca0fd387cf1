#!/usr/bin/env python3
"""Synthesized container output for labdeck's simulated (kwok) nodes.

kwok's nodes run no containers, so `kubectl logs` has nothing real to show.
kwok can serve a pod's logs from a file named by a `Logs` object (one per pod,
same name and namespace). This process watches pods through the API server and,
for each pod:

  1. creates a `Logs` object (owned by the pod, so the garbage collector removes
     it with the pod) pointing at one CRI-format file per container;
  2. appends to that file what the container's command would print:
       - `ping [opts] HOST`  -> busybox-style ping lines, one per second, with
                               a growing `seq=`. No packet is sent: the lines are
                               written by this process, never measured.
       - `echo ARGS...`      -> ARGS once.
       - `sleep ...`, `true` -> nothing (those print nothing either).
       - anything else       -> one line saying the output is not simulated.

It talks only to the API server on 127.0.0.1 and writes only files under
--dir. Standard library only, so CI needs nothing beyond python3.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import random
import re
import shutil
import signal
import ssl
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

LOGS_API = "/apis/kwok.x-k8s.io/v1alpha1/namespaces/{ns}/logs"


def now_rfc3339() -> str:
    # CRI log lines need RFC3339Nano timestamps; microseconds are enough.
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Container:
    """One container's synthesized output stream."""

    path: str
    argv: list[str]
    image: str
    kind: str = "unknown"  # ping | echo | silent | unknown
    started: bool = False
    seq: int = 0
    count: int | None = None  # ping -c N
    target: str = ""
    done: bool = False

    def __post_init__(self) -> None:
        prog = os.path.basename(self.argv[0]) if self.argv else ""
        if prog == "ping":
            self.kind = "ping"
            args = self.argv[1:]
            i = 0
            hosts: list[str] = []
            while i < len(args):
                a = args[i]
                if a == "-c" and i + 1 < len(args) and args[i + 1].isdigit():
                    self.count = int(args[i + 1])
                    i += 2
                    continue
                if re.fullmatch(r"-c\d+", a):
                    self.count = int(a[2:])
                elif a in ("-W", "-w", "-s", "-t", "-i", "-I", "-q") and i + 1 < len(args):
                    i += 1  # option with a value we do not model
                elif not a.startswith("-"):
                    hosts.append(a)
                i += 1
            self.target = hosts[-1] if hosts else "127.0.0.1"
        elif prog == "echo":
            self.kind = "echo"
        elif prog in ("sleep", "true", "pause") or (not self.argv and self.image.startswith("registry.k8s.io/pause")):
            self.kind = "silent"

    def write(self, text: str) -> None:
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(f"{now_rfc3339()} stdout F {text}\n")

    def start(self) -> None:
        """Container became Running: print what it prints at start."""
        if self.started:
            return
        self.started = True
        if self.kind == "ping":
            try:
                ip = str(ipaddress.ip_address(self.target))
            except ValueError:
                ip = self.target  # a name: we do not resolve it (no DNS traffic)
            self.write(f"PING {self.target} ({ip}): 56 data bytes")
        elif self.kind == "echo":
            self.write(" ".join(self.argv[1:]))
            self.done = True
        elif self.kind == "silent":
            self.done = True
        else:
            shown = " ".join(self.argv) if self.argv else "(image default command)"
            self.write(
                f"[labdeck] simulated node: the output of `{shown}` (image {self.image}) "
                "is not synthesized; only ping and echo are"
            )
            self.done = True

    def tick(self) -> None:
        if not self.started or self.done or self.kind != "ping":
            return
        try:
            ip = str(ipaddress.ip_address(self.target))
        except ValueError:
            ip = self.target
        t = 0.03 + random.random() * 0.05
        self.write(f"64 bytes from {ip}: seq={self.seq} ttl=64 time={t:.3f} ms")
        self.seq += 1
        if self.count is not None and self.seq >= self.count:
            self.write("")
            self.write(f"--- {self.target} ping statistics ---")
            self.write(f"{self.count} packets transmitted, {self.count} packets received, 0% packet loss")
            self.done = True


@dataclass
class Pod:
    uid: str
    dir: str
    containers: dict[str, Container] = field(default_factory=dict)


class Api:
    def __init__(self, server: str, ca: str, cert: str, key: str) -> None:
        m = re.fullmatch(r"https://([^:/]+):(\d+)/?", server)
        if not m:
            raise SystemExit(f"podlogs: --server must be https://HOST:PORT, got {server}")
        self.host, self.port = m.group(1), int(m.group(2))
        self.ctx = ssl.create_default_context(cafile=ca)
        self.ctx.load_cert_chain(cert, key)

    def conn(self, timeout: float | None = 30) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=timeout)

    def request(self, method: str, path: str, body: object | None = None) -> tuple[int, dict]:
        c = self.conn()
        try:
            data = json.dumps(body).encode() if body is not None else None
            c.request(method, path, body=data, headers={"Content-Type": "application/json"})
            r = c.getresponse()
            raw = r.read()
            try:
                return r.status, json.loads(raw or b"{}")
            except json.JSONDecodeError:
                return r.status, {"raw": raw.decode(errors="replace")}
        finally:
            c.close()


class PodLogs:
    def __init__(self, api: Api, root: str, interval: float) -> None:
        self.api = api
        self.root = root
        self.interval = interval
        self.pods: dict[tuple[str, str], Pod] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()

    # -- pod events -------------------------------------------------------
    def on_pod(self, pod: dict) -> None:
        meta, spec, status = pod["metadata"], pod.get("spec", {}), pod.get("status", {})
        key = (meta["namespace"], meta["name"])
        with self.lock:
            known = self.pods.get(key)
            if known and known.uid != meta["uid"]:
                self.forget(key)  # same name, new pod: start a fresh stream
                known = None
            if known is None:
                known = self.register(pod)
            if meta.get("deletionTimestamp"):
                return
            running = {
                cs["name"]
                for cs in status.get("containerStatuses", []) or []
                if "running" in (cs.get("state") or {})
            }
            for name, c in known.containers.items():
                if name in running:
                    c.start()

    def register(self, pod: dict) -> Pod:
        meta, spec = pod["metadata"], pod.get("spec", {})
        ns, name, uid = meta["namespace"], meta["name"], meta["uid"]
        d = os.path.join(self.root, f"{ns}_{name}_{uid}")
        os.makedirs(d, exist_ok=True)
        p = Pod(uid=uid, dir=d)
        logs = []
        for c in spec.get("containers", []):
            path = os.path.join(d, f"{c['name']}.log")
            open(path, "a").close()  # kwok must find the file before the first line
            argv = list(c.get("command") or []) + list(c.get("args") or [])
            p.containers[c["name"]] = Container(path=path, argv=argv, image=c.get("image", ""))
            logs.append({"containers": [c["name"]], "logsFile": path, "follow": True})
        self.pods[(ns, name)] = p
        body = {
            "apiVersion": "kwok.x-k8s.io/v1alpha1",
            "kind": "Logs",
            "metadata": {
                "name": name,
                "namespace": ns,
                "labels": {"app.kubernetes.io/managed-by": "labdeck-podlogs"},
                # Owned by the pod: deleting the pod deletes its Logs object.
                "ownerReferences": [
                    {"apiVersion": "v1", "kind": "Pod", "name": name, "uid": uid}
                ],
            },
            "spec": {"logs": logs},
        }
        status, resp = self.api.request("POST", LOGS_API.format(ns=ns), body)
        if status == 409:
            # Left over from an earlier pod of the same name: point it at the new files.
            cur_status, cur = self.api.request("GET", LOGS_API.format(ns=ns) + "/" + name)
            if cur_status == 200:
                body["metadata"]["resourceVersion"] = cur["metadata"]["resourceVersion"]
                status, resp = self.api.request("PUT", LOGS_API.format(ns=ns) + "/" + name, body)
        if status >= 300:
            print(f"podlogs: cannot create Logs for {ns}/{name}: {status} {resp}", file=sys.stderr, flush=True)
        return p

    def forget(self, key: tuple[str, str]) -> None:
        p = self.pods.pop(key, None)
        if p:
            shutil.rmtree(p.dir, ignore_errors=True)

    def on_delete(self, pod: dict) -> None:
        meta = pod["metadata"]
        key = (meta["namespace"], meta["name"])
        with self.lock:
            p = self.pods.get(key)
            if p and p.uid == meta["uid"]:
                self.forget(key)

    # -- loops ------------------------------------------------------------
    def watch_forever(self) -> None:
        while not self.stop.is_set():
            try:
                self.list_and_watch()
            except Exception as e:  # noqa: BLE001 - keep streaming through API restarts
                print(f"podlogs: watch error, retrying: {e}", file=sys.stderr, flush=True)
                self.stop.wait(1)

    def list_and_watch(self) -> None:
        status, lst = self.api.request("GET", "/api/v1/pods")
        if status != 200:
            raise RuntimeError(f"list pods: HTTP {status}")
        seen = set()
        for pod in lst.get("items", []):
            seen.add((pod["metadata"]["namespace"], pod["metadata"]["name"]))
            self.on_pod(pod)
        with self.lock:
            for key in [k for k in self.pods if k not in seen]:
                self.forget(key)
        rv = lst["metadata"]["resourceVersion"]
        c = self.api.conn(timeout=None)
        try:
            c.request("GET", f"/api/v1/pods?watch=1&resourceVersion={rv}&timeoutSeconds=300")
            r = c.getresponse()
            if r.status != 200:
                raise RuntimeError(f"watch pods: HTTP {r.status}")
            while not self.stop.is_set():
                line = r.readline()
                if not line:
                    return
                ev = json.loads(line)
                if ev["type"] in ("ADDED", "MODIFIED"):
                    self.on_pod(ev["object"])
                elif ev["type"] == "DELETED":
                    self.on_delete(ev["object"])
                elif ev["type"] == "ERROR":
                    return  # e.g. resourceVersion too old: list again
        finally:
            c.close()

    def tick_forever(self) -> None:
        while not self.stop.wait(self.interval):
            with self.lock:
                for p in self.pods.values():
                    for c in p.containers.values():
                        try:
                            c.tick()
                        except OSError as e:
                            print(f"podlogs: write {c.path}: {e}", file=sys.stderr, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", required=True)
    ap.add_argument("--ca", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--dir", required=True, help="folder for the per-pod log files")
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between ping lines")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    pl = PodLogs(Api(a.server, a.ca, a.cert, a.key), a.dir, a.interval)
    signal.signal(signal.SIGTERM, lambda *_: pl.stop.set())
    signal.signal(signal.SIGINT, lambda *_: pl.stop.set())
    threading.Thread(target=pl.watch_forever, daemon=True).start()
    print(f"podlogs: writing synthesized pod output under {a.dir}", flush=True)
    pl.tick_forever()


if __name__ == "__main__":
    main()
