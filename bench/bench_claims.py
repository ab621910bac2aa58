"""Benchmark of the 即时快招 claim: our queue module through redis-py beside raw redis-benchmark.

Starts its own redis-server on a free loopback port and stops it at the end. Prints:
(a) closed-loop peak claims/s and p50/p99 latency with 200 concurrent claimers in several
processes; (b) p99 latency at an offered open-loop 5,000 claims/s over 200 claimers;
(c) `redis-benchmark` running EVALSHA of the same script on the same server, and the ratio;
(d) dispatch time for a request in a village with 2,000 available workers in the county.

Run: .venv/bin/python bench/bench_claims.py [--seconds 8] [--processes 4]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import redis

from marketplace.database import Database, upgrade
from marketplace.gigs import keys, queue, services
from marketplace.gigs.models import GigWorker, PayUnit
from marketplace.places import weihai
from marketplace.places.models import (
    Datum,
    Place,
    PlaceLevel,
    Precision,
    ServicePoint,
)
from marketplace.seekers.models import SeekerProfile

CLAIMERS = 200
OPEN_LOOP_RATE = 5_000  # claims per second, offered
RAW_REQUESTS = 200_000
NOW_MS = 1_780_000_000_000
HOUR_MS = 3_600_000
# request ids of the three workloads, each with a huge headcount so every claim can win
CLOSED_REQUEST, OPEN_REQUEST, RAW_REQUEST = 1, 2, 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def machine() -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0))
    server = subprocess.run(
        ["redis-server", "--version"], capture_output=True, text=True, check=True
    ).stdout.split()[2]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{cores} CPUs ({model}); Python {platform.python_version()}; Redis {server}; "
        f"load average before the run {load} (other work on the machine skews the figures)"
    )


def start_redis(directory: Path, port: int) -> subprocess.Popen[bytes]:
    options = f"--port {port} --bind 127.0.0.1 --appendonly no --maxclients 10000 --dir"
    process = subprocess.Popen(
        ["redis-server", *options.split(), str(directory), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    try:
        for _ in range(200):
            try:
                client.ping()
                return process
            except redis.ConnectionError:
                time.sleep(0.05)
    finally:
        client.close()
    raise RuntimeError("redis-server did not start")


def open_request(client: redis.Redis, request_id: int, workers: list[str]) -> None:
    """A live request with a huge headcount, offered to every worker named."""
    # each workload at its own hours: the same worker ids claim in several of them
    starts_ms = NOW_MS + 10 * HOUR_MS * request_id
    queue.put_request(
        client,
        request_id,
        status="open",
        headcount=10**9,
        remaining=10**9,
        starts_ms=starts_ms,
        ends_ms=starts_ms + HOUR_MS,
    )
    state = queue.offered_state(NOW_MS + 24 * HOUR_MS)
    pipe = client.pipeline(transaction=False)
    for start in range(0, len(workers), 10_000):
        pipe.hset(
            keys.request_offers(request_id),
            mapping=dict.fromkeys(workers[start : start + 10_000], state),
        )
    pipe.execute()


# --- (a) and (b): claimers in processes, 200 in all ----------------------------------------


def claimer_process(
    url: str,
    mode: str,
    request_id: int,
    claimers: list[int],
    start_at: float,
    seconds: float,
    warmup: float,
    out: Any,
) -> None:
    client = redis.Redis.from_url(url, decode_responses=True)
    end_at, measure_from = start_at + seconds, start_at + warmup
    interval = CLAIMERS / OPEN_LOOP_RATE
    results: list[tuple[list[float], int, int]] = []

    def run(claimer: int) -> None:
        latencies, count, refused, i = [], 0, 0, 0
        while True:
            worker = claimer + CLAIMERS * i
            if mode == "open":
                # the schedule is fixed in advance; latency counts from the scheduled time, so a
                # late start is measured too (no coordinated omission)
                scheduled = start_at + (claimer / CLAIMERS + i) * interval
                if scheduled >= end_at:
                    break
                delay = scheduled - time.time()
                if delay > 0:
                    time.sleep(delay)
            else:
                scheduled = time.time()
                if scheduled >= end_at:
                    break
            result = queue.claim(client, request_id, worker, NOW_MS).result
            done = time.time()
            i += 1
            if done >= measure_from and done < end_at:
                latencies.append(done - scheduled)
                count += 1
                refused += result != queue.ClaimResult.ACCEPTED
        results.append((latencies, count, refused))

    time.sleep(max(0.0, start_at - time.time() - 0.5))
    threads = [threading.Thread(target=run, args=(claimer,)) for claimer in claimers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put(
        ([x for r in results for x in r[0]], sum(r[1] for r in results), sum(r[2] for r in results))
    )


def run_claimers(
    url: str, mode: str, request_id: int, processes: int, seconds: float
) -> tuple[float, list[float], int]:
    """(claims per second, latencies in seconds, refusals) over the measured window."""
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    warmup = 1.0
    start_at = time.time() + 2.0
    groups = [list(range(p, CLAIMERS, processes)) for p in range(processes)]
    children = [
        context.Process(
            target=claimer_process,
            args=(url, mode, request_id, group, start_at, seconds + warmup, warmup, out),
        )
        for group in groups
    ]
    for child in children:
        child.start()
    gathered = [out.get(timeout=seconds + 120) for _ in children]
    for child in children:
        child.join()
    latencies = sorted(x for part in gathered for x in part[0])
    count = sum(part[1] for part in gathered)
    return count / seconds, latencies, sum(part[2] for part in gathered)


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


# --- (c): redis-benchmark on the same script ------------------------------------------------


def raw_benchmark(client: redis.Redis, port: int) -> tuple[float, float]:
    """redis-benchmark EVALSHA of the claim script; (requests per second, p99 ms)."""
    sha = client.script_load(queue.CLAIM_LUA)
    # __rand_int__ is a 12-digit number; each occurrence is drawn on its own, so the worker
    # of the bookings key differs from the claiming worker (the same work for the script)
    padded = [f"{n:012d}" for n in range(RAW_REQUESTS)]
    open_request(client, RAW_REQUEST, padded)
    bookings = keys.worker_bookings(0).replace(":0:", ":__rand_int__:")
    options = f"-h 127.0.0.1 -p {port} -c {CLAIMERS} -n {RAW_REQUESTS} -r {RAW_REQUESTS} --csv"
    script_keys = [
        keys.READY,
        keys.request(RAW_REQUEST),
        keys.request_offers(RAW_REQUEST),
        keys.request_accepted(RAW_REQUEST),
        bookings,
    ]
    command = ["redis-benchmark", *options.split(), "EVALSHA", sha, str(len(script_keys))]
    command += [*script_keys, str(RAW_REQUEST), "__rand_int__", str(NOW_MS)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    row = output.strip().splitlines()[-1].replace('"', "").split(",")
    accepted = client.scard(keys.request_accepted(RAW_REQUEST))
    print(f"    redis-benchmark accepted {accepted} distinct claims in {RAW_REQUESTS} calls")
    return float(row[1]), float(row[6])


# --- (d): dispatch with 2,000 workers in the county -----------------------------------------


def dispatch_benchmark(url: str, directory: Path) -> None:
    database_url = f"sqlite:///{directory / 'bench.sqlite3'}"
    upgrade(database_url)
    database = Database(database_url)
    client = redis.Redis.from_url(url, decode_responses=True)
    rng = random.Random(2023)
    session = database.session()
    county = weihai.county("371082")  # 荣成市
    towns = weihai.towns_of(county.code)

    def place(
        code: str,
        name: str,
        level: str,
        parent: str | None,
        lng: float,
        lat: float,
        precision: str = Precision.EXACT,
    ) -> None:
        session.add(
            Place(
                code=code,
                name=name,
                level=level,
                parent_code=parent,
                lng=lng,
                lat=lat,
                datum=Datum.WGS84,
                precision=precision,
            )
        )

    place(county.code, county.name, PlaceLevel.COUNTY, None, county.lng, county.lat)
    villages = []
    for number, town in enumerate(towns):
        lng, lat, precision = weihai.town_point(town)
        place(town, weihai.town_name(town), PlaceLevel.TOWN, county.code, lng, lat, precision)
        # one invented village per town, 0.5–2 km from its seat
        v_lng, v_lat = weihai.offset_point(lng, lat, rng.uniform(0, 360), rng.uniform(0.5, 2))
        villages.append(f"{town}{200 + number:03d}")
        place(villages[-1], f"基准{number}村", PlaceLevel.VILLAGE, town, v_lng, v_lat)
    session.flush()
    skills = ["搬运", "装卸", "水产加工", "保洁", "采摘"]
    for n in range(2000):
        lng, lat, _ = weihai.town_point(rng.choice(towns))
        w_lng, w_lat = weihai.offset_point(lng, lat, rng.uniform(0, 360), 4 * rng.random() ** 0.5)
        seeker = SeekerProfile(name=f"基准零工{n}", target_groups=[])
        session.add(seeker)
        session.flush()
        session.add(
            GigWorker(
                seeker_id=seeker.id,
                skills=",".join(rng.sample(skills, 2)),
                lng=w_lng,
                lat=w_lat,
                datum=Datum.WGS84,
                completions_count=rng.randint(0, 20),
                no_shows_count=rng.randint(0, 2),
            )
        )
    session.commit()
    rebuilt = services.rebuild_queue(session, client)
    print(f"    rebuild-queue of 2,000 workers: {rebuilt.seconds * 1000:.0f} ms")
    point = ServicePoint(name="荣成市公益性零工市场", level="county", place_code=county.code)
    session.add(point)
    session.commit()
    now = datetime(2026, 5, 4)
    times, offered, radii, nearby = [], [], [], []
    for k, village in enumerate(rng.sample(villages, 20)):
        starts_at = now + timedelta(days=1, hours=3 * k)
        request = services.post_request(
            session,
            client,
            title="扇贝分拣",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            pay_amount=180,
            pay_unit=PayUnit.DAY,
            headcount=5,
            skills=["水产加工"],
            place_code=village,
            service_point_id=point.id,
            now=now,
        )
        nearby.append(len(queue.candidates(client, request, 5.0)))
        began = time.perf_counter()
        report = services.dispatch(session, client, request.id, now=now)
        times.append(time.perf_counter() - began)
        offered.append(len(report.offered))
        radii.append(report.radius_km or 0)
    times.sort()
    print(
        f"    dispatch of a 5-person request from a village, 20 villages: "
        f"p50 {statistics.median(times) * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms "
        f"({statistics.mean(offered):.0f} offers per wave, radius {min(radii):g}–{max(radii):g} km)"
    )
    print(f"    available workers within 5 km of those villages: {min(nearby)}–{max(nearby)}")
    session.close()
    database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per loop")
    parser.add_argument(
        "--processes",
        type=int,
        default=max(2, len(os.sched_getaffinity(0))),
        help="client processes (default: one per CPU; each runs its share of the claimers)",
    )
    args = parser.parse_args()
    if shutil.which("redis-server") is None or shutil.which("redis-benchmark") is None:
        sys.exit("needs redis-server and redis-benchmark (apt-get install redis-server)")
    print(f"machine: {machine()}")
    directory = Path(tempfile.mkdtemp(prefix="jiuye-bench-"))
    port = free_port()
    server = start_redis(directory, port)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url, decode_responses=True)
        queue.mark_ready(client)
        # enough offered workers for the fastest run; each claim is a new worker (accept path)
        budget = int(60_000 * (args.seconds + 3))
        open_request(client, CLOSED_REQUEST, [str(n) for n in range(budget)])
        open_request(client, OPEN_REQUEST, [str(n) for n in range(OPEN_LOOP_RATE * 15)])

        print(
            f"(a) closed loop: {CLAIMERS} claimers in {args.processes} processes, "
            f"{args.seconds:g} s"
        )
        rate, latencies, refused = run_claimers(
            url, "closed", CLOSED_REQUEST, args.processes, args.seconds
        )
        print(
            f"    {rate:,.0f} claims/s; p50 {percentile(latencies, 0.5) * 1000:.2f} ms, "
            f"p99 {percentile(latencies, 0.99) * 1000:.2f} ms; refused {refused}"
        )

        print(f"(b) open loop: {OPEN_LOOP_RATE:,} claims/s offered over {CLAIMERS} claimers")
        open_rate, open_latencies, open_refused = run_claimers(
            url, "open", OPEN_REQUEST, args.processes, args.seconds
        )
        open_p99 = percentile(open_latencies, 0.99) * 1000
        print(
            f"    {open_rate:,.0f} claims/s done; p50 "
            f"{percentile(open_latencies, 0.5) * 1000:.2f} ms, p99 {open_p99:.2f} ms, "
            f"max {open_latencies[-1] * 1000:.1f} ms; refused {open_refused}"
        )

        print(f"(c) redis-benchmark -c {CLAIMERS} -n {RAW_REQUESTS} EVALSHA <claim script>")
        raw_rate, raw_p99 = raw_benchmark(client, port)
        print(f"    {raw_rate:,.0f} claims/s; p99 {raw_p99:.2f} ms")
        ratio = rate / raw_rate
        verdict = "met" if ratio >= 0.2 else "NOT met"
        print(f"    ratio ours/raw: {ratio:.1%} (target ≥ 20%: {verdict})")
        print(
            f"    open-loop p99 {open_p99:.2f} ms (target < 10 ms: "
            f"{'met' if open_p99 < 10 else 'NOT met'})"
        )

        print("(d) dispatch with 2,000 available workers in 荣成市")
        client.flushall()
        dispatch_benchmark(url, directory)
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
