"""Load on `newslint serve` over loopback: requests/s, p50/p95 latency, peak memory per worker.

Starts `newslint serve` (real models) on a free loopback port, waits until every worker is
warm, then sends ``--requests`` POST /v1/analyze requests from ``--clients`` concurrent
clients, stopping early after ``--max-seconds``. Every request must succeed (exit 1 otherwise).
Peak memory is each server process's peak resident set (VmHWM, Linux /proc).

    python benchmarks/bench_server.py --requests 40 --clients 4 --workers 1
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "examples" / "eastern-front-dispatch.txt"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("PPid:") and int(line.split()[1]) == pid:
                out.append(int(entry.name))
    return out


def peak_rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=40, help="requests to send (at most)")
    ap.add_argument("--clients", type=int, default=4, help="concurrent clients")
    ap.add_argument("--workers", type=int, default=1, help="server worker processes")
    ap.add_argument("--concurrency", type=int, default=1, help="analyses at once per worker")
    ap.add_argument("--queue", type=int, default=16, help="waiting analyses per worker")
    ap.add_argument("--max-seconds", type=float, default=300.0, help="stop sending after this")
    ap.add_argument("--startup-seconds", type=float, default=600.0, help="wait for the models")
    args = ap.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    exe = Path(sys.executable).with_name("newslint")
    cmd = [
        str(exe), "serve", "--port", str(port), "--workers", str(args.workers),
        "--concurrency", str(args.concurrency), "--queue", str(args.queue),
        "--log-level", "warning",
    ]  # fmt: skip
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    server = subprocess.Popen(cmd, stdout=log, stderr=log, env=os.environ.copy())
    text = ARTICLE.read_text(encoding="utf-8")
    body = {"text": text}
    try:
        t0 = time.monotonic()
        with httpx.Client(timeout=120) as client:
            while True:
                if server.poll() is not None:
                    log.seek(0)
                    sys.stderr.write(log.read().decode(errors="replace")[-4000:])
                    raise SystemExit("the server exited")
                if time.monotonic() - t0 > args.startup_seconds:
                    raise SystemExit("the server did not become ready")
                try:
                    if client.get(base + "/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.5)
            startup = time.monotonic() - t0
            # warm every worker: a few requests each, until all answer at steady speed
            for _ in range(2 * args.workers):
                while client.get(base + "/healthz").status_code != 200:
                    time.sleep(0.5)
                client.post(base + "/v1/analyze", json=body).raise_for_status()

        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()
        sent = 0
        stop_at = time.monotonic() + args.max_seconds

        def client_loop() -> None:
            nonlocal sent
            with httpx.Client(timeout=args.max_seconds + 120) as c:
                while True:
                    with lock:
                        if sent >= args.requests or time.monotonic() > stop_at:
                            return
                        sent += 1
                    start = time.perf_counter()
                    try:
                        r = c.post(base + "/v1/analyze", json=body)
                        ok = r.status_code == 200 and r.json().get("schema") == "newslint.report/1"
                        why = f"HTTP {r.status_code}: {r.text[:200]}"
                    except httpx.HTTPError as exc:
                        ok, why = False, repr(exc)
                    elapsed = time.perf_counter() - start
                    with lock:
                        latencies.append(elapsed)
                        if not ok:
                            failures.append(why)

        threads = [threading.Thread(target=client_loop) for _ in range(args.clients)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began

        pids = [server.pid, *children(server.pid)]
        peaks = {pid: peak_rss_mib(pid) for pid in pids}
        n = len(latencies)
        print(f"article: {ARTICLE.name} ({len(text.split())} words)")
        print(
            f"server: {args.workers} worker(s), concurrency {args.concurrency} per worker, "
            f"queue {args.queue}; models ready after {startup:.1f} s"
        )
        print(f"load: {n} requests from {args.clients} concurrent clients in {wall:.1f} s")
        print("| requests | clients | workers | req/s | p50 s | p95 s | max s | failed |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        print(
            f"| {n} | {args.clients} | {args.workers} | {n / wall:.2f} | "
            f"{statistics.median(latencies):.2f} | {percentile(latencies, 0.95):.2f} | "
            f"{max(latencies):.2f} | {len(failures)} |"
        )
        for pid, peak in peaks.items():
            role = "main" if pid == server.pid else "worker"
            if peak is not None:
                print(f"peak memory (VmHWM) {role} pid {pid}: {peak:.0f} MiB")
        sys.stdout.flush()
        if failures:
            print(f"FAILED: {len(failures)} request(s); first: {failures[0]}", flush=True)
            return 1
        return 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


if __name__ == "__main__":
    raise SystemExit(main())
