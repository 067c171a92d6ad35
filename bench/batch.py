"""Benchmark `studio batch`: variants per minute at concurrency 1, 2, 4, 8, 16, and Studio's own overhead.

Two model set-ups:

1. An OpenAI-compatible server on loopback that answers every /v1/chat/completions request after a
   FIXED DELAY (default 2.0 s), serving any number of requests in parallel (a threading HTTP server in
   its own process). It stands in for a hosted LLM so that the scaling of Studio's worker pool can be
   measured without the model's own compute; the issue accepts it for this figure and the output says so.
2. The embedded SmolLM2 model (a short run): one model shared by all workers, generation serialised by
   its lock, so concurrency only overlaps the non-model stages.

Each level runs the batch service itself (parse + validate, batch tables, BatchRunner worker pool,
the full workflow per variant: retrieve, write, checks, image, labels, review queue, checkpoints) on a
fresh input file. Reported per level: variants/min over the worker pool's wall time, and the overhead
share = 1 - (time waiting on the model) / (workers x wall), i.e. the share of the workers' time spent
in Studio itself. The model wait is measured per real model request by the batch runner's LangChain
hook. Also per level: the CPU seconds per variant of the process(es) running the rows (steadier than wall
time on a shared machine) and the machine's load average. `--profile` adds a per-stage breakdown and a
cProfile of a concurrency-1 run.

Targets (issue 8): against the server, concurrency 8 >= 6x concurrency 1; overhead < 10 %.

    .venv/bin/python bench/batch.py [--levels 1,2,4,8,16] [--rows-per-worker 6] [--delay 2.0]
        [--channel sms] [--embedded-rows 6] [--skip-embedded] [--profile] [--json]
    .venv/bin/python bench/batch.py --ray [--ray-high 16] [--ray-rows-per-worker 12] [--ray-c1-rows 24] [--delay 2.0]
        [--ray-levels 1x1,1x16,2x16] [--input unique|campaign] [--profile]

--ray (issue 17): the Ray executor on a `ray start` cluster with the queue in PostgreSQL; variants/min
at concurrency 1 and 16 on one node, and 16 on two nodes (targets: 16 >= 12x 1; overhead < 5 %).
--ray-levels 1x1 runs only the concurrency-1 level; --profile with --ray profiles a worker's rows in this
process (thread runner) against the same servers.

--input unique (default): every row's brief is its own, so no retrieval query repeats (the caches' worst
case); --input campaign: a campaign's rows, 4 briefs x 5 segments x US and EU, each (brief, segment) twice.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SEGMENTS = ["city-commuters", "trail-regulars", "repair-lapsed", "former-customers", "outdoor-pros"]
BRIEFS = ["Rain shell for wet commutes, 20% off this week", "Free boot resoling with any repair visit",
          "New insulated mid-layer for early starts", "Trail pack restock: lighter frame, same price"]
# What the fixed-delay server answers: short English on the brief the prompt names (a real model writes to the
# brief), so the quality gate passes it as it would a good model's copy. Replies that ignored the brief were
# blocked off_brief on 14 of 16 brief/reply pairs, and every such variant paid for a composed replacement
# (~25 ms of CPU) that a model writing to the brief would not cause.
REPLIES = {"Rain shell": ["Wet commute? The Ridgeback rain shell is 20% off this week: taped seams, a hood that fits over a helmet.",
                          "Ride in dry. Our rain shell for wet commutes is 20% off until Sunday."],
           "resoling": ["Bring your worn boots to any repair visit and we resole them free.",
                        "Free boot resoling with every repair visit: bring the pair you love back in."],
           "mid-layer": ["Early start? Our new insulated mid-layer keeps the chill off from the first step.",
                         "Cold dawn, warm core: meet the new insulated mid-layer for early starts."],
           "Trail pack": ["The trail pack is back in stock: a lighter frame, and the same price.",
                          "Restocked: our trail pack, now on a lighter frame at the same price."]}


def reply_for(prompt: str, n: int) -> str:
    """The n-th answer to a prompt: on the brief it names (the first reply list when it names none)."""
    replies = next((texts for key, texts in REPLIES.items() if key in prompt), next(iter(REPLIES.values())))
    return replies[n % len(replies)]


# --------------------------------------------------------------------------- the fixed-delay server


def serve(port: int, delay: float) -> None:
    """Run the OpenAI-compatible fixed-delay server (in its own process) until killed."""
    counter = {"n": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/stats"):  # how many completions it answered (tests read it)
                with lock:
                    body = json.dumps({"completions": counter["n"]}).encode()
            else:
                body = json.dumps({"object": "list", "data": [{"id": "fixed-delay", "object": "model"}]}).encode()
            self._send(200, body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = json.loads(self.rfile.read(length) or b"{}")
            time.sleep(delay)
            with lock:
                counter["n"] += 1
                n = counter["n"]
            # Unique text per answer (a reference number), so no per-text cache can make repeats free.
            prompt = json.dumps(request.get("messages") or [])
            choices = [{"index": i, "finish_reason": "stop",
                        "message": {"role": "assistant", "content": f"{reply_for(prompt, n + i)} Ref {n}-{i}."}}
                       for i in range(int(request.get("n") or 1))]
            body = json.dumps({"id": f"cmpl-{n}", "object": "chat.completion", "created": int(time.time()),
                               "model": request.get("model", "fixed-delay"), "choices": choices,
                               "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}).encode()
            self._send(200, body)

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    server.serve_forever()


def start_server(delay: float) -> tuple[subprocess.Popen, str]:
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--delay", str(delay)])
    url = f"http://127.0.0.1:{port}/v1"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/models", timeout=1).read()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the fixed-delay server did not start")


# --------------------------------------------------------------------------- one level


def write_rows(path: Path, rows: int, tag: str, channel: str, shape: str = "unique") -> Path:
    """The batch file of a level. unique: every row's brief carries its own number, so no two rows share a
    retrieval query (the worst case for the caches). campaign: a campaign's rows, each brief for each segment
    in the US and then in the EU, so a (brief, segment) pair comes twice and its voice query is embedded once."""
    campaign = [(brief, segment, market) for brief in BRIEFS for segment in SEGMENTS for market in ("US", "EU")]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row_id", "kit", "segment", "channels", "market", "brief"])
        for i in range(rows):
            if shape == "campaign":
                brief, segment, market = campaign[i % len(campaign)]
            else:
                brief, segment, market = f"{BRIEFS[i % len(BRIEFS)]} ({tag} {i})", SEGMENTS[i % len(SEGMENTS)], "US" if i % 2 else "EU"
            writer.writerow([f"{tag}-{i:04d}", "northpeak", segment, channel, market, brief])
    return path


class StageClock:
    """Wraps the workflow's generate(): seconds per node (each includes its checkpoint write; the first,
    retrieve, also generate()'s request set-up), the rest of generate() (interrupt checkpoint, finishing
    the request, reading the variants back), and generate() in total."""

    def __init__(self):
        self.lock = threading.Lock()
        self.stages: dict[str, float] = defaultdict(float)
        self.generate_s = 0.0

    def wrap(self, generate):
        def timed(request, *, by, progress=None, **options):
            began = time.perf_counter()
            last = [began]
            in_nodes = [0.0]

            def on_stage(variant_id, stage):
                now = time.perf_counter()
                with self.lock:
                    self.stages[f"node {stage}"] += now - last[0]
                in_nodes[0] += now - last[0]
                last[0] = now
                if progress:
                    progress(variant_id, stage)

            result = generate(request, by=by, progress=on_stage, **options)
            spent = time.perf_counter() - began
            with self.lock:
                self.stages["generate() after the last node"] += spent - in_nodes[0]
                self.generate_s += spent
            return result

        return timed


def run_level(data_dir: Path, concurrency: int, rows: int, channel: str, tag: str, *, clock=None, ray: bool = False,
              shape: str = "unique") -> dict:
    from studio.batch.input import parse_file
    from studio.batch.runner import BatchRunner, warm_up
    from studio.batch.state import BatchStore
    from studio.config import get_settings
    from studio.workflow.runner import generate

    settings = get_settings()
    source = write_rows(data_dir / f"{tag}.csv", rows, tag, channel, shape)
    parsed = parse_file(source)
    assert not parsed.errors, [e.format(source.name) for e in parsed.errors]
    store = BatchStore(settings.db_url)
    store.register(parsed, by="batch")
    tasks = store.unfinished(parsed.batch_id)
    if not ray:  # start each level with the vectors a fresh worker has (the warm-up primes the kit's passages)
        from studio.voice.embedding import clear_cache

        clear_cache()
    warm_up(["northpeak"])
    if ray:  # the Ray executor on the cluster this process is connected to (run_ray)
        from studio.batch.ray_executor import RayBatchRunner

        runner = RayBatchRunner(store, parsed.batch_id, by="batch", concurrency=concurrency)
    else:
        runner = BatchRunner(store, parsed.batch_id, by="batch", concurrency=concurrency,
                             generate=clock.wrap(generate) if clock else None)
    load_before, driver_cpu = os.getloadavg()[0], time.process_time()
    stats = runner.run(tasks)
    driver_cpu = time.process_time() - driver_cpu
    queued = sum(1 for t in store.tasks(parsed.batch_id) if t["status"] == "done")
    overhead = stats.overhead_share()
    per = max(stats.variants, 1)
    extra = {"nodes": len({s.node_id for s in runner.slots}), "workers_started_s": round(runner.startup_s, 1),
             # the driver: feeding rows, ray.wait, replaying events (its worker start-up included)
             "driver_cpu_s_per_variant": round(driver_cpu / per, 3)} if ray else {}
    return {**extra, "concurrency": concurrency, "rows": rows, "variants": stats.variants, "failed": stats.failed,
            "rows_done": queued, "wall_s": round(stats.wall_s, 2),
            "variants_per_min": round(stats.variants / stats.wall_s * 60, 1) if stats.wall_s else 0.0,
            "model_requests": stats.model_requests, "model_wait_s": round(stats.model_wait_s, 2),
            "overhead_share": None if overhead is None else round(overhead, 4),
            "overhead_s_per_variant": round((stats.workers * stats.wall_s - stats.model_wait_s) / max(stats.variants, 1), 3),
            # CPU seconds of the processes running rows (this one, or the Ray workers after start-up): steadier than
            # wall time on a shared machine; with C cores, c x this / C > the model's delay means the run is CPU-bound
            "cpu_s_per_variant": round(stats.cpu_s / per, 3),
            "load_avg": [round(load_before, 2), round(os.getloadavg()[0], 2)]}


def configure(env: dict[str, str]) -> None:
    from studio.config import get_settings

    os.environ.update(env)
    get_settings.cache_clear()


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--levels", default="1,2,4,8,16")
    ap.add_argument("--rows-per-worker", type=int, default=6, help="rows per level = this x concurrency (min 12)")
    ap.add_argument("--delay", type=float, default=2.0, help="the server's fixed answer delay in seconds")
    ap.add_argument("--channel", default="sms", help="channel of every row (sms: one model request per variant)")
    ap.add_argument("--embedded-rows", type=int, default=6)
    ap.add_argument("--embedded-levels", default="1,2")
    ap.add_argument("--skip-embedded", action="store_true")
    ap.add_argument("--profile", action="store_true", help="stage breakdown + cProfile of a concurrency-1 server run")
    ap.add_argument("--ray", action="store_true",
                    help="the Ray executor on a local Ray cluster (ray start) with PostgreSQL: 1 vs 2 nodes at the "
                         "same total concurrency, and concurrency --ray-high vs 1")
    ap.add_argument("--ray-high", type=int, default=16)
    # 12 rounds of the model's delay: with 4, a 16-wide level ran 13 s, most of it the first and last round's
    # start-up and tail (10.2x at 4 rows per worker, 12.9x at 12 on the same idle machine).
    ap.add_argument("--ray-rows-per-worker", type=int, default=12)
    ap.add_argument("--ray-c1-rows", type=int, default=24)
    ap.add_argument("--ray-levels", default="1x1,1x16,2x16",
                    help="NODESxCONCURRENCY levels to run (e.g. 1x1 alone while working on the concurrency-1 overhead)")
    ap.add_argument("--input", choices=["unique", "campaign"], default="unique",
                    help="the rows: unique (every brief its own, no retrieval query repeats) or campaign (each of 4 "
                         "briefs for each of 5 segments in the US and the EU: every (brief, segment) twice)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.serve:
        serve(args.serve, args.delay)
        return
    if args.ray:
        run_ray(args)
        return

    for key, value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
                       "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false",
                       "STUDIO_DEMO_USERS": "1"}.items():  # the rows run as the demo user 'batch'
        os.environ.setdefault(key, value)
    work = Path(tempfile.mkdtemp(prefix="studio-bench-batch-"))
    os.environ.setdefault("STUDIO_MODEL_CACHE", str(REPO / "studio_data" / "test-cache"))
    common = {"STUDIO_DATA_DIR": str(work / "data"), "STUDIO_CANDIDATES": "1", "STUDIO_REVISE_ROUNDS": "0"}
    levels = [int(x) for x in args.levels.split(",") if x]
    report: dict = {"server": {"kind": "fixed-delay OpenAI-compatible HTTP server on loopback (ThreadingHTTPServer, own "
                                       "process); answers every request after a fixed delay, any number in parallel",
                               "delay_s": args.delay, "channel": args.channel}, "levels": [], "embedded": []}
    log = sys.stderr

    proc, url = start_server(args.delay)
    try:
        configure({**common, "STUDIO_LLM_BACKEND": "openai", "STUDIO_LLM_BASE_URL": url, "STUDIO_LLM_MODEL": "fixed-delay",
                   "STUDIO_LLM_API_KEY": "not-needed", "STUDIO_LLM_MAX_RETRIES": "0"})
        (work / "data").mkdir(parents=True, exist_ok=True)
        run_level(work / "data", 1, 2, args.channel, "warm")  # imports, voice index, embedding model, DB schema
        for level in levels:
            rows = max(12, args.rows_per_worker * level)
            result = run_level(work / "data", level, rows, args.channel, f"srv-c{level}", shape=args.input)
            report["levels"].append(result)
            log.write(f"server  c={level:<2} {result['variants']:>3} variants in {result['wall_s']:>6.1f} s: "
                      f"{result['variants_per_min']:>6.1f} variants/min, overhead {100 * (result['overhead_share'] or 0):.1f} %"
                      f" ({result['overhead_s_per_variant']:.3f} s/variant), failed {result['failed']}\n")
            log.flush()
        if args.profile:
            report["profile"] = profile_c1(work, args.channel, args.input)
    finally:
        proc.kill()
        proc.wait()

    if not args.skip_embedded:
        configure({**common, "STUDIO_LLM_BACKEND": "embedded", "STUDIO_LLM_MAX_TOKENS": "40"})
        for level in [int(x) for x in args.embedded_levels.split(",") if x]:
            result = run_level(work / "data", level, args.embedded_rows, args.channel, f"emb-c{level}")
            report["embedded"].append(result)
            log.write(f"embedded c={level:<2} {result['variants']:>3} variants in {result['wall_s']:>6.1f} s: "
                      f"{result['variants_per_min']:>6.1f} variants/min, overhead {100 * (result['overhead_share'] or 0):.1f} %, "
                      f"failed {result['failed']}\n")
            log.flush()

    by_level = {r["concurrency"]: r for r in report["levels"]}
    if 1 in by_level and 8 in by_level and by_level[1]["variants_per_min"]:
        speedup = by_level[8]["variants_per_min"] / by_level[1]["variants_per_min"]
        report["speedup_c8_over_c1"] = round(speedup, 2)
        report["target_speedup_met"] = speedup >= 6
    if 1 in by_level:
        report["overhead_c1"] = by_level[1]["overhead_share"]
        report["target_overhead_met"] = (by_level[1]["overhead_share"] or 0) < 0.10
    report["cpus"] = os.cpu_count()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)


def print_table(report: dict) -> None:
    server = report["server"]
    print(f"Model stand-in: {server['kind']}; delay {server['delay_s']} s per request; channel {server['channel']}")
    print(f"{'backend':<9} {'conc':>4} {'variants':>8} {'wall s':>7} {'var/min':>8} {'x c1':>5} {'overhead':>9} {'s/var':>6} "
          f"{'CPU s/var':>9} {'load':>11}")
    for name, rows in (("server", report["levels"]), ("embedded", report["embedded"])):
        first = rows[0]["variants_per_min"] if rows else 0
        for r in rows:
            ratio = r["variants_per_min"] / first if first else 0
            print(f"{name:<9} {r['concurrency']:>4} {r['variants']:>8} {r['wall_s']:>7.1f} {r['variants_per_min']:>8.1f} "
                  f"{ratio:>5.2f} {100 * (r['overhead_share'] or 0):>8.1f}% {r['overhead_s_per_variant']:>6.3f} "
                  f"{r['cpu_s_per_variant']:>9.3f} {r['load_avg'][0]:>5.1f}-{r['load_avg'][1]:<5.1f}")
    if "speedup_c8_over_c1" in report:
        print(f"server: concurrency 8 = {report['speedup_c8_over_c1']}x concurrency 1 (target >= 6x: "
              f"{'met' if report['target_speedup_met'] else 'NOT met'})")
    if "overhead_c1" in report:
        print(f"Studio overhead at concurrency 1: {100 * (report['overhead_c1'] or 0):.1f} % of wall time (target < 10 %: "
              f"{'met' if report['target_overhead_met'] else 'NOT met'})")
    print(f"CPUs: {report['cpus']}. CPU s/var: this process's CPU per variant (all threads); load: the machine's "
          "1-minute load average before-after the level (shared cores)")
    if report["levels"]:
        top = report["levels"][-1]
        need = top["concurrency"] * top["cpu_s_per_variant"] / (report["cpus"] or 1)
        print(f"CPU bound: at concurrency {top['concurrency']}, {top['concurrency']} x {top['cpu_s_per_variant']:.3f} CPU-s "
              f"per variant / {report['cpus']} cores = {need:.2f} s of CPU per model round of {server['delay_s']} s"
              f" ({'CPU-bound' if need > server['delay_s'] else 'not CPU-bound'})")
    if "profile" in report:
        print_profile(report["profile"])


def print_profile(profile: dict) -> None:
    print("\nWhere a concurrency-1 variant's time goes (server run, seconds per variant):")
    for stage, seconds in profile["stages"].items():
        print(f"  {stage:<34} {seconds:.3f}")
    print("\ncProfile of a concurrency-1 run in one thread (top 30 by cumulative time; the model wait is"
          " inside the HTTP calls):")
    print(profile["cprofile"])


def run_ray(args) -> None:
    """Ray: a head node (1 CPU) started with `ray start`, the queue in PostgreSQL, the voice store on a Chroma
    server, the fixed-delay model server.
    Concurrency 1 and --ray-high on one node, then a second node joins and --ray-high runs again (the
    same total concurrency over two workers). Worker start-up (imports, embedding model) is reported
    apart: it is paid once per batch, not per variant."""
    from studio.batch import ray_executor
    from studio.config import get_settings
    from tests.chroma_server import ChromaServer
    from tests.postgres_server import PostgresServer
    from tests.ray_cluster import RayCluster

    for key, value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                       "TOKENIZERS_PARALLELISM": "false", "STUDIO_DEMO_USERS": "1"}.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("STUDIO_MODEL_CACHE", str(REPO / "studio_data" / "test-cache"))
    work = Path(tempfile.mkdtemp(prefix="studio-bench-ray-"))
    log = sys.stderr
    server, url = start_server(args.delay)
    postgres, cluster, chroma = PostgresServer(), RayCluster(), ChromaServer(work)
    results = []
    try:
        db = postgres.start()
        chroma.start()
        cluster.start_head()
        configure({"STUDIO_CHROMA_URL": chroma.url, "STUDIO_DATA_DIR": str(work / "data"), "STUDIO_CANDIDATES": "1", "STUDIO_REVISE_ROUNDS": "0",
                   "STUDIO_DATABASE_URL": db, "STUDIO_LLM_BACKEND": "openai", "STUDIO_LLM_BASE_URL": url,
                   "STUDIO_LLM_MODEL": "fixed-delay", "STUDIO_LLM_API_KEY": "not-needed", "STUDIO_LLM_MAX_RETRIES": "0",
                   **cluster.client_env})
        (work / "data").mkdir(parents=True)
        ray_executor.connect(cluster.address, get_settings())
        high = args.ray_high
        plan = [tuple(int(x) for x in level.split("x")) for level in args.ray_levels.split(",") if level]
        for nodes, level in plan:
            while len(ray_executor.worker_nodes()) < nodes:
                cluster.add_node()
                while len(ray_executor.worker_nodes()) < len(cluster.node_ports) + 1:
                    time.sleep(0.5)
            # Each level starts fresh worker processes, whose first row pays the lazy loading of the checks,
            # renderer and signer (seconds); enough rows at concurrency 1 keep that from passing for per-variant cost.
            rows = args.ray_c1_rows if level == 1 else max(8, args.ray_rows_per_worker * level)
            result = run_level(work / "data", level, rows, args.channel, f"ray-n{nodes}-c{level}", ray=True, shape=args.input)
            results.append({"nodes_asked": nodes, **result})
            log.write(f"ray nodes={result['nodes']} c={level:<2} {result['variants']:>3} variants in {result['wall_s']:>6.1f} s: "
                      f"{result['variants_per_min']:>6.1f} variants/min, overhead {100 * (result['overhead_share'] or 0):.1f} % "
                      f"({result['overhead_s_per_variant']:.3f} s/variant), workers started in {result['workers_started_s']} s, "
                      f"failed {result['failed']}\n")
            log.flush()
        if args.profile:  # a Ray worker's row, run in this process (thread runner) against the same servers
            profile = profile_c1(work, args.channel, args.input)
    finally:
        ray_executor.shutdown()
        cluster.stop()
        chroma.stop()
        postgres.stop()
        server.kill()
        server.wait()
    by_level = {(r["nodes_asked"], r["concurrency"]): r for r in results}
    c1, one, two = by_level.get((1, 1)), by_level.get((1, args.ray_high)), by_level.get((2, args.ray_high))
    report = {"delay_s": args.delay, "channel": args.channel, "cpus": os.cpu_count(), "levels": results}
    if c1 and one:
        report[f"speedup_c{args.ray_high}_over_c1"] = round(one["variants_per_min"] / c1["variants_per_min"], 2)
    if one and two:
        report["two_nodes_over_one"] = round(two["variants_per_min"] / one["variants_per_min"], 2)
    if args.profile:
        report["profile"] = profile
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"Ray executor; model stand-in: fixed-delay OpenAI-compatible server, {args.delay} s per request; "
          f"queue in PostgreSQL, voice store on a Chroma server; {os.cpu_count()} CPUs shared by every node")
    print(f"{'nodes':>5} {'conc':>4} {'variants':>8} {'wall s':>7} {'var/min':>8} {'overhead':>9} {'s/var':>6} {'start s':>7} "
          f"{'CPU s/var':>9} {'driver':>6} {'load':>11}")
    for r in results:
        print(f"{r['nodes']:>5} {r['concurrency']:>4} {r['variants']:>8} {r['wall_s']:>7.1f} {r['variants_per_min']:>8.1f} "
              f"{100 * (r['overhead_share'] or 0):>8.1f}% {r['overhead_s_per_variant']:>6.3f} {r['workers_started_s']:>7.1f} "
              f"{r['cpu_s_per_variant']:>9.3f} {r['driver_cpu_s_per_variant']:>6.3f} {r['load_avg'][0]:>5.1f}-{r['load_avg'][1]:<5.1f}")
    speedup = report.get(f"speedup_c{args.ray_high}_over_c1")
    if speedup is not None:
        print(f"concurrency {args.ray_high} = {speedup}x concurrency 1 (target >= 12x: {'met' if speedup >= 12 else 'NOT met'})")
    if "two_nodes_over_one" in report:
        print(f"2 nodes = {report['two_nodes_over_one']}x 1 node at concurrency {args.ray_high}")
    if c1:
        print(f"Studio overhead at concurrency 1: {100 * (c1['overhead_share'] or 0):.1f} % of wall time (target < 5 %: "
              f"{'met' if (c1['overhead_share'] or 0) < 0.05 else 'NOT met'})")
    print("CPU s/var: the Ray workers' CPU per variant after start-up; driver: the driving process's. load: the "
          "machine's 1-minute load average before-after the level (the cores are shared with whatever else runs)")
    wide = [r for r in results if r["concurrency"] > 1]
    if wide:
        cpu = max(r["cpu_s_per_variant"] + r["driver_cpu_s_per_variant"] for r in wide)
        cores = os.cpu_count() or 1
        print(f"CPU bound: at concurrency {args.ray_high}, {args.ray_high} x {cpu:.3f} CPU-s per variant / {cores} cores = "
              f"{args.ray_high * cpu / cores:.2f} s of CPU per model round of {args.delay} s "
              f"({'CPU-bound: the cores, not the model, set the pace' if args.ray_high * cpu / cores > args.delay else 'not CPU-bound'}; "
              "Ray's own processes, the database and the Chroma server come on top)")
    if args.profile:
        print_profile(profile)


def profile_c1(work: Path, channel: str, shape: str = "unique") -> dict:
    import cProfile
    import io
    import pstats

    clock = StageClock()
    result = run_level(work / "data", 1, 12, channel, "prof-stages", clock=clock, shape=shape)
    per = max(result["variants"], 1)
    stages = {k: round(v / per, 3) for k, v in sorted(clock.stages.items(), key=lambda kv: -kv[1])}
    stages["batch bookkeeping (task state, DB)"] = round((result["wall_s"] - clock.generate_s) / per, 3)
    stages["of which model wait (in node write)"] = round(result["model_wait_s"] / per, 3)
    stages["total per variant"] = round(result["wall_s"] / per, 3)

    # cProfile sees only the thread it runs in: run the tasks in this thread, one after another.
    from studio.batch.input import parse_file
    from studio.batch.runner import BatchRunner, _hooks_var, _register_hook, warm_up
    from studio.batch.state import BatchStore
    from studio.config import get_settings
    from studio.voice.embedding import clear_cache

    clear_cache()  # as a fresh worker starts (the stage run above embedded the same campaign queries) ...
    warm_up(["northpeak"])  # ... and primes the kit's passages
    source = write_rows(work / "data" / "prof.csv", 12, "prof-cprofile", channel, shape)
    parsed = parse_file(source)
    store = BatchStore(get_settings().db_url)
    store.register(parsed, by="batch")
    runner = BatchRunner(store, parsed.batch_id, by="batch", concurrency=1)
    _register_hook()
    _hooks_var.set(runner.hooks)
    tasks = store.unfinished(parsed.batch_id)
    profiler = cProfile.Profile()
    profiler.enable()
    for n, task in enumerate(tasks):  # each row prepares the next, as a worker's rows do (on another thread)
        runner.run_task(task, tasks[n + 1] if n + 1 < len(tasks) else None)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(int(os.environ.get("BENCH_PROFILE_LINES", "30")))
    return {"stages": stages, "cprofile": out.getvalue()}


if __name__ == "__main__":
    main()
