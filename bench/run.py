"""Setu linkage benchmark: accuracy vs Splink, scale and candidate-search latency.

    .venv/bin/python bench/run.py            # default sizes
    .venv/bin/python bench/run.py --quick    # smoke run, well under a minute or two
    BENCH_SCALE=full .venv/bin/python bench/run.py   # adds 1M-record runs
    .venv/bin/python bench/run.py --sections audit --audit-before /tmp/setu-0cab4d6  # PostgreSQL

Every engine run happens in a fresh worker process so wall time and peak RSS
(from os.wait4 on that child) belong to that run alone. Results go to
bench/out/results.json and bench/out/results.md and are printed as a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    # Run as a script (make bench): make the repo importable without install.
    sys.path.insert(0, str(ROOT))

from bench import datasets, sweep  # noqa: E402
from setu.synth.metrics import pairwise_scores  # noqa: E402

OUT = ROOT / "bench" / "out"


# ---------------------------------------------------------------------------
# Worker side


def _worker(argv: list[str]) -> int:
    from bench import engines

    p = argparse.ArgumentParser()
    p.add_argument("task", choices=("setu", "splink", "latency"))
    p.add_argument("--input", type=Path, required=True)
    p.add_argument("--truth", type=Path)
    p.add_argument("--clusters", type=Path)
    p.add_argument("--result", type=Path, required=True)
    p.add_argument("--threshold", type=float, default=0.9)
    p.add_argument("--max-pairs", type=float, default=1e7)
    p.add_argument("--edges", type=Path)
    p.add_argument("--queries", type=int, default=200)
    a = p.parse_args(argv)
    if a.task == "setu":
        result = engines.setu_dedupe(a.input, a.clusters)
    elif a.task == "splink":
        result = engines.splink_dedupe(
            a.input, a.clusters, threshold=a.threshold, max_pairs=a.max_pairs, edges_csv=a.edges
        )
    else:
        result = engines.setu_latency(a.input, a.truth, queries=a.queries)
    result["peak_rss_kib"] = _own_peak_rss_kib()
    a.result.write_text(json.dumps(result))
    return 0


def _own_peak_rss_kib() -> int:
    """Peak RSS of this worker since its exec, or of any helper it forked and waited for.

    The kernel's ru_maxrss of a child, as the parent's wait4 reports it, never falls
    below the parent's own RSS at the time it spawned the child (the high-water mark
    survives fork and exec), so a big benchmark parent would set a floor under every
    worker's figure. VmHWM belongs to the worker's own address space, made at exec.
    """
    import resource

    own = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            own = int(line.split()[1])
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


# ---------------------------------------------------------------------------
# Parent side


def _tree_memory_kib(pid: int, with_pss: bool = True) -> tuple[int, int]:
    """(summed RSS, summed PSS) of a process and its descendants, in KiB (0 if gone).

    RSS counts a page shared copy-on-write by forked helpers once per process; PSS
    (proportional set size, from smaps_rollup) splits each shared page among its
    sharers, so the summed PSS is the memory the tree really occupies.
    """
    rss = pss = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
                    break
            for line in (
                Path(f"/proc/{p}/smaps_rollup").read_text().splitlines() if with_pss else ()
            ):
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return rss, pss


def _run_worker(args: list[str], result_path: Path, timeout: float) -> dict[str, Any]:
    """Run one worker; add its peak RSS (MiB) and process wall time.

    ``peak_rss_mb`` is the largest single process in the worker's tree: the
    worker's own VmHWM or the ru_maxrss of the helpers it forked (see
    ``_own_peak_rss_kib``; wait4's figure only when the worker did not report). Engines that fork helpers (Setu scores in
    a process pool on big inputs) also get ``peak_tree_rss_mb``, the summed
    RSS of the tree sampled every 50 ms, which over-counts pages the forks
    share copy-on-write, and ``peak_tree_pss_mb``, the summed PSS sampled
    every 0.5 s (reading smaps is slow on a big process), which is the
    tree's real footprint.
    """
    result_path.unlink(missing_ok=True)
    started = time.perf_counter()
    # Own session, so a timeout can end the worker's forked helpers too.
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--worker", *args],
        start_new_session=True,
    )
    deadline = started + timeout
    tree_peak = tree_pss_peak = samples = 0
    try:
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            samples += 1
            rss, pss = _tree_memory_kib(proc.pid, with_pss=samples % 10 == 1)
            tree_peak, tree_pss_peak = max(tree_peak, rss), max(tree_pss_peak, pss)
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                return {"error": f"timed out after {timeout:.0f}s"}
            time.sleep(0.05)
    except KeyboardInterrupt:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or not result_path.exists():
        return {"error": f"worker exited with {proc.returncode}"}
    result = json.loads(result_path.read_text())
    peak_kib = result.pop("peak_rss_kib", None) or usage.ru_maxrss  # Linux reports KiB
    result["peak_rss_mb"] = peak_kib / 1024
    result["peak_tree_rss_mb"] = max(tree_peak, peak_kib) / 1024
    result["peak_tree_pss_mb"] = tree_pss_peak / 1024
    # CPU time of the whole worker (imports and loading included, forks
    # included): unlike wall time it does not inflate on a shared machine.
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    result["process_seconds"] = time.perf_counter() - started
    return result


def _dedupe(
    engine: str, name: str, records: Path, truth: Path, opts: argparse.Namespace
) -> dict[str, Any]:
    work = OUT / "work"
    work.mkdir(parents=True, exist_ok=True)
    clusters = work / f"{name}.{engine}.clusters.csv"
    result_path = work / f"{name}.{engine}.json"
    args = [
        engine,
        "--input",
        str(records),
        "--clusters",
        str(clusters),
        "--result",
        str(result_path),
        "--threshold",
        str(opts.splink_threshold),
        "--max-pairs",
        str(opts.splink_max_pairs),
    ]
    edges = work / f"{name}.{engine}.edges.csv"
    if engine == "splink":
        edges.unlink(missing_ok=True)
        args += ["--edges", str(edges)]
    print(f"  {engine:<7} {name} ...", end="", flush=True)
    res = _run_worker(args, result_path, opts.timeout)
    if "error" not in res:
        truth_map = datasets.read_truth(truth)
        s = pairwise_scores(datasets.read_clusters(clusters), truth_map)
        res.update(precision=s.precision, recall=s.recall, f1=s.f1)
        if engine == "splink" and edges.exists():
            # Untimed, with the truth: the threshold that would have been best.
            default_weight = math.log2(opts.splink_threshold / (1 - opts.splink_threshold))
            points = sweep.sweep(
                sweep.read_edges(edges), truth_map, [*sweep.default_grid(), default_weight]
            )
            top = sweep.best(points)
            at_default = next(p for p in points if p.match_weight == default_weight)
            res.update(
                best_f1=top.f1,
                best_precision=top.precision,
                best_recall=top.recall,
                best_threshold=top.match_probability,
                best_match_weight=top.match_weight,
                # Must equal f1: Splink's own clusters vs the sweep's at the default.
                sweep_f1_at_default=at_default.f1,
            )
        print(f" F1 {s.f1:.3f}  {res['seconds']:.1f}s  {res['peak_rss_mb']:.0f} MiB")
    else:
        print(f" {res['error']}")
    res.update(engine=engine, dataset=name)
    return res


def _latency(name: str, records: Path, truth: Path, opts: argparse.Namespace) -> dict[str, Any]:
    work = OUT / "work"
    work.mkdir(parents=True, exist_ok=True)
    result_path = work / f"{name}.latency.json"
    args = ["latency", "--input", str(records), "--truth", str(truth)]
    args += ["--result", str(result_path), "--queries", str(opts.queries)]
    print(f"  latency {name} ...", end="", flush=True)
    res = _run_worker(args, result_path, opts.timeout)
    if "error" not in res:
        print(f" p50 {res['p50_ms']:.2f} ms  p95 {res['p95_ms']:.2f} ms")
    else:
        print(f" {res['error']}")
    res["dataset"] = name
    return res


def _fmt(value: Any, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def render(results: dict[str, Any]) -> str:
    lines = [
        f"Run {results['started']} on {results['machine']}",
        "",
        "Accuracy (pairwise, from clusters vs truth)",
        "",
        "| data set | records | engine | precision | recall | F1 | oracle best-threshold F1 "
        "| wall s | worker CPU s | peak RSS MiB |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["accuracy"]:
        if "error" in r:
            lines.append(f"| {r['dataset']} | | {r['engine']} | {r['error']} | | | | | | |")
            continue
        best = "—"
        if r.get("best_f1") is not None:
            best = f"{r['best_f1']:.3f} (w≥{r['best_match_weight']:g}, p≥{r['best_threshold']:.4g})"
        lines.append(
            f"| {r['dataset']} | {r['records']:,} | {r['engine']} | {r['precision']:.3f} "
            f"| {r['recall']:.3f} | {r['f1']:.3f} | {best} | {r['seconds']:.1f} "
            f"| {_fmt(r.get('cpu_seconds'), '.1f')} | {r['peak_rss_mb']:.0f} |"
        )
    if results["scale"]:
        lines += [
            "",
            "Scale (dedupe on generated records; Splink up to --scale-splink-max records)",
            "",
            "| records | engine | precision | recall | F1 | wall s | worker CPU s | peak RSS MiB "
            "| peak tree RSS MiB | peak tree PSS MiB |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in results["scale"]:
            if "error" in r:
                lines.append(f"| {r['dataset']} | {r['engine']} | {r['error']} | | | | | | | |")
                continue
            lines.append(
                f"| {r['records']:,} | {r['engine']} | {r['precision']:.3f} | {r['recall']:.3f} "
                f"| {r['f1']:.3f} | {r['seconds']:.1f} | {_fmt(r.get('cpu_seconds'), '.1f')} "
                f"| {r['peak_rss_mb']:.0f} "
                f"| {_fmt(r.get('peak_tree_rss_mb'), '.0f')} "
                f"| {_fmt(r.get('peak_tree_pss_mb'), '.0f')} |"
            )
    if results["latency"]:
        lines += [
            "",
            "Candidate search (MatchIndex.candidates, limit=10, held-out single records)",
            "",
            "| index records | queries | build s | p50 ms | p95 ms | true match in top 10 "
            "| peak RSS MiB |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in results["latency"]:
            if "error" in r:
                lines.append(f"| {r['dataset']} | {r['error']} | | | | | |")
                continue
            lines.append(
                f"| {r['index_records']:,} | {r['queries']} | {r['build_seconds']:.1f} "
                f"| {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | {_fmt(r['hit_rate'], '.3f')} "
                f"| {r['peak_rss_mb']:.0f} |"
            )
    if results.get("audit"):
        lines += [
            "",
            "Audit trail under concurrency (PostgreSQL; read a case + add an event per client)",
            "",
            "| tree | clients | ops/s | p95 ms | lost | waiting on a lock % | machine busy % |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for run in results["audit"]:
            if "error" in run:
                lines.append(f"| {run['label']} | {run['error']} | | | | | |")
                continue
            for r in run["levels"]:
                lines.append(
                    f"| {run['label']} | {r['clients']} | {r['ops_per_s']:.1f} | {r['p95_ms']:.1f} "
                    f"| {r['lost']} | {r['backends_waiting_on_lock_pct']:.1f} "
                    f"| {r['machine_busy_pct']:.1f} |"
                )
    for run in results.get("intel", []):
        lines += [
            "",
            "Intelligence cross-reference (goals: lookup p95 < 50 ms, two-hop < 300 ms)",
            "",
        ]
        if "skipped" in run:
            lines.append(f"skipped: {run['skipped']}")
            continue
        lines += [
            "| measure | index rows | p50 ms | p95 ms | max ms |",
            "|---|---:|---:|---:|---:|",
        ]
        for name in ("lookup", "search", "two_hop"):
            r = run[name]
            lines.append(
                f"| {name} | {run['index_rows']:,} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |"
            )
    return "\n".join(lines) + "\n"


def _audit(label: str, tree: Path, opts: argparse.Namespace) -> dict[str, Any]:
    """One run of bench/audit_throughput.py against a Setu tree, in its own process."""
    out = OUT / f"audit_{label}.json"
    cmd = [sys.executable, str(ROOT / "bench" / "audit_throughput.py"), "--label", label]
    cmd += ["--tree", str(tree), "--output", str(out), "--seconds", str(opts.audit_seconds)]
    cmd += ["--clients", *map(str, opts.audit_clients)]
    done = subprocess.run(cmd, timeout=opts.timeout, check=False)
    if done.returncode != 0 and not out.exists():
        return {"label": label, "error": f"exit {done.returncode}"}
    return json.loads(out.read_text())


def _intel(opts: argparse.Namespace) -> dict[str, Any]:
    """bench/intel_speed.py in its own process, on the scratch database BENCH_INTEL_DATABASE_URL."""
    url = os.environ.get("BENCH_INTEL_DATABASE_URL")
    if not url:
        return {"skipped": "set BENCH_INTEL_DATABASE_URL to a scratch PostgreSQL database"}
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / "intel.json"
    n = 20_000 if opts.quick else opts.intel_identifiers
    cmd = [sys.executable, str(ROOT / "bench" / "intel_speed.py"), "--identifiers", str(n)]
    cmd += ["--cases", str(max(1000, n // 20)), "--json", str(out)]
    if opts.quick:
        cmd += ["--networks", "10", "--graphs", "10"]
    subprocess.run(cmd, check=True, env={**os.environ, "DATABASE_URL": url}, timeout=opts.timeout)
    return json.loads(out.read_text())


def _machine() -> str:
    cpus = os.cpu_count()
    try:
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])  # MemTotal
        mem = f", {mem_kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        mem = ""
    return f"{platform.system()} {platform.machine()}, {cpus} cores{mem}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return _worker(argv[1:])

    full = os.environ.get("BENCH_SCALE", "").lower() == "full"
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small sizes: a fast smoke run")
    p.add_argument(
        "--records", type=int, help="generated records for accuracy (default 10000; 0 skips them)"
    )
    p.add_argument("--scale", type=int, nargs="*", help="record counts for the scale runs")
    p.add_argument(
        "--scale-splink-max",
        type=int,
        default=100_000,
        help="largest scale run Splink also does (unless --no-splink)",
    )
    p.add_argument("--latency-n", type=int, nargs="*", help="index sizes for latency")
    p.add_argument("--queries", type=int, default=200, help="latency probes per index")
    p.add_argument("--febrl", type=int, nargs="*", default=None, help="FEBRL sets (1-4)")
    p.add_argument(
        "--gen2",
        type=int,
        nargs="*",
        default=None,
        help="record counts from the second generator (default 10000 100000)",
    )
    p.add_argument(
        "--gen3",
        type=int,
        nargs="*",
        default=None,
        help="record counts from the third generator, a development set (default 10000 100000)",
    )
    p.add_argument(
        "--sections",
        nargs="+",
        choices=("accuracy", "scale", "latency", "audit", "intel"),
        default=["accuracy", "scale", "latency"],
        help="'audit' (not by default) needs PostgreSQL: BENCH_AUDIT_DATABASE_URL, a scratch DB; "
        "'intel' (not by default): BENCH_INTEL_DATABASE_URL, a scratch DB",
    )
    p.add_argument(
        "--intel-identifiers", type=int, default=1_000_000, help="cross-reference index rows"
    )
    p.add_argument("--audit-clients", type=int, nargs="+", default=[1, 4, 16])
    p.add_argument("--audit-seconds", type=float, default=15.0, help="per client level")
    p.add_argument(
        "--audit-before", type=Path, help="a checkout of an earlier Setu to measure as 'before'"
    )
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--no-splink", action="store_true", help="skip the Splink runs")
    p.add_argument("--splink-threshold", type=float, default=0.9)
    p.add_argument("--splink-max-pairs", type=float, default=1e7, help="u-estimation pairs")
    p.add_argument("--timeout", type=float, default=3600, help="per worker, seconds")
    opts = p.parse_args(argv)

    if opts.quick:
        records = opts.records if opts.records is not None else 2000
        scale = opts.scale if opts.scale is not None else [10_000]
        latency = opts.latency_n if opts.latency_n is not None else [10_000]
        febrl = opts.febrl if opts.febrl is not None else [1]
        gen2 = opts.gen2 if opts.gen2 is not None else [2000]
        gen3 = opts.gen3 if opts.gen3 is not None else [2000]
        opts.queries = min(opts.queries, 100)
        opts.splink_max_pairs = min(opts.splink_max_pairs, 1e6)
    else:
        records = opts.records if opts.records is not None else 10_000
        default_scale = [100_000, 1_000_000] if full else [100_000]
        scale = opts.scale if opts.scale is not None else default_scale
        latency = opts.latency_n if opts.latency_n is not None else default_scale
        febrl = opts.febrl if opts.febrl is not None else [1, 2, 3, 4]
        gen2 = opts.gen2 if opts.gen2 is not None else [10_000, 100_000]
        gen3 = opts.gen3 if opts.gen3 is not None else [10_000, 100_000]

    data_dir = OUT / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    engines = ["setu"] if opts.no_splink else ["setu", "splink"]
    results: dict[str, Any] = {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": _machine(),
        "options": {
            "records": records,
            "scale": scale,
            "latency": latency,
            "febrl": febrl,
            "gen2": gen2,
            "gen3": gen3,
            "seed": opts.seed,
            "splink_threshold": opts.splink_threshold,
            "splink_max_pairs": opts.splink_max_pairs,
        },
        "accuracy": [],
        "scale": [],
        "latency": [],
        "audit": [],
        "intel": [],
    }

    if "accuracy" not in opts.sections:
        records, febrl, gen2, gen3 = 0, [], [], []
    if "scale" not in opts.sections:
        scale = []
    if "latency" not in opts.sections:
        latency = []

    inputs = (
        []
        if not records
        else [(f"generated-{records // 1000}k", *datasets.generated(data_dir, records, opts.seed))]
    )
    inputs += [(f"gen2-{n // 1000}k", *datasets.generated2(data_dir, n, opts.seed)) for n in gen2]
    inputs += [(f"gen3-{n // 1000}k", *datasets.generated3(data_dir, n, opts.seed)) for n in gen3]
    inputs += [(f"febrl{i}", *datasets.febrl(data_dir, i)) for i in febrl]
    if inputs:
        print("Accuracy")
    for name, recs, truth in inputs:
        for engine in engines:
            results["accuracy"].append(_dedupe(engine, name, recs, truth, opts))

    if scale:
        print("Scale")
    for n in scale:
        recs, truth = datasets.generated(data_dir, n, opts.seed)
        # Splink in the same run, where it fits (its 1M run is not part of the targets).
        for engine in engines if n <= opts.scale_splink_max else ["setu"]:
            results["scale"].append(_dedupe(engine, f"scale-{n}", recs, truth, opts))

    if latency:
        print("Latency")
    for n in latency:
        recs, truth = datasets.generated(data_dir, n, opts.seed)
        results["latency"].append(_latency(f"latency-{n}", recs, truth, opts))

    if "audit" in opts.sections:
        print("Audit trail")
        OUT.mkdir(parents=True, exist_ok=True)
        if opts.audit_before:
            results["audit"].append(_audit("before", opts.audit_before, opts))
        results["audit"].append(_audit("after", ROOT, opts))

    if "intel" in opts.sections:
        print("Intelligence cross-reference")
        results["intel"].append(_intel(opts))

    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    table = render(results)
    (OUT / "results.md").write_text(table)
    print()
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
