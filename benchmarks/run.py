"""Side-by-side CPU training benchmark: minikeras against PyTorch and Keras 3 (torch, jax).

Every (framework, workload, threads) measurement runs in its own fresh process, frameworks
alternate within each repetition, and minikeras runs the very same model code as Keras 3
(`workloads.build_keras`). See benchmarks/README.md for what each column means.

    python benchmarks/run.py                      # 4 workloads x 4 frameworks x 3 reps, 1 thread
    python benchmarks/run.py --quick              # mlp only, 1 rep (< 2 min)
    python benchmarks/run.py --workload cnn,lstm --framework minikeras,torch --threads 1,2

Writes benchmarks/results.md and benchmarks/results.json (`--quick`: results-quick.*).
"""

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ANCHOR_PYTHON = os.path.expanduser("~/.cache/minikeras-anchors/bin/python")
FRAMEWORKS = ("minikeras", "torch", "keras-torch", "keras-jax")
ANCHORS = FRAMEWORKS[1:]
WORKLOAD_NAMES = ("mlp", "cnn", "lstm", "videoqa", "transformer")
THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMBA_NUM_THREADS",
    "MINIKERAS_NUM_THREADS",  # minikeras defaults to the available cores; the runs set it
)
# timed loops: warm-up calls, then at least `least` and at most `most` timed calls, stopping at
# `least` once `budget` seconds have passed, so a very slow cell cannot blow the run time
TRAIN = {"warmup": 3, "least": 5, "most": 40, "budget": 3.0}
PREDICT = {"warmup": 1, "least": 3, "most": 10, "budget": 1.5, "batches": 8}
STARTUP_KEYS = ("time_to_first_step_s", "import_s", "build_s", "first_step_s")
SETUP_PHASES = ("import", "data", "build", "compile", "first step")  # errors repeat


# ------------------------------------------------------------------------------------------
# worker: one measurement, in a fresh process (`run.py --worker ...`)
# ------------------------------------------------------------------------------------------
def timed_calls(fn, warmup, least, most, budget):
    """Wall seconds of each timed call of fn(i), after `warmup` untimed calls, and their total
    process CPU seconds (all threads)."""
    for i in range(warmup):
        fn(i)
    times, deadline, cpu = [], time.perf_counter() + budget, 0.0
    while len(times) < most and (len(times) < least or time.perf_counter() < deadline):
        cpu_start, start = time.process_time(), time.perf_counter()
        fn(len(times))
        times.append(time.perf_counter() - start)
        cpu += time.process_time() - cpu_start
    return times, cpu


def step_stats(seconds, cpu_seconds, per_call=1):
    """ms per unit (a call does `per_call` units): median, min, max, mean CPU ms, cores used."""
    ms = [s * 1e3 / per_call for s in seconds]
    return {
        "n": len(ms),
        "median_ms": statistics.median(ms),
        "min_ms": min(ms),
        "max_ms": max(ms),
        "cpu_ms": cpu_seconds * 1e3 / per_call / len(ms),
        "cores_used": cpu_seconds / sum(seconds),
    }


def proc_status_mb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024  # kB -> MB
    return None


def worker(framework, workload, threads, first_step_only):
    """Measure one cell in this process; returns a JSON-able dict (errors included)."""
    out = {
        "framework": framework,
        "workload": workload,
        "threads": threads,
        "status": "error",
        "times": {"python_up": time.time()},
    }
    for var in THREAD_VARS:  # before numpy, torch or numba start a thread pool
        os.environ[var] = str(threads)
    phase = "import"
    try:
        import numpy as np
        import workloads

        batch = workloads.WORKLOADS[workload]["batch"]
        if framework == "minikeras":
            import numba

            import minikeras as keras

            out["versions"] = {"minikeras": keras.__version__, "numba": numba.__version__}
            out["minikeras_file"] = keras.__file__
        else:
            out["versions"] = {}
            if framework in ("torch", "keras-torch"):
                import torch

                torch.set_num_threads(threads)
                out["versions"]["torch"] = torch.__version__
            if framework.startswith("keras-"):
                os.environ["KERAS_BACKEND"] = framework.split("-", 1)[1]
                import keras

                out["versions"]["keras"] = keras.__version__
            if framework == "keras-jax":
                import jax

                out["versions"]["jax"] = jax.__version__
        out["versions"]["numpy"] = np.__version__
        out["times"]["imported"] = time.time()

        phase = "data"
        batches = workloads.make_batches(workload, PREDICT["batches"])
        phase = "build"
        if framework == "torch":
            torch.manual_seed(workloads.SEED)
            model, loss_fn = workloads.build_torch(torch, workload)
            optimizer = torch.optim.Adam(
                model.parameters(), lr=workloads.LEARNING_RATE, eps=workloads.ADAM_EPSILON
            )
            out["params"] = sum(p.numel() for p in model.parameters())
            tbatches = [workloads.to_torch_batch(torch, workload, x, y) for x, y in batches]

            def train_step(i):
                x, y = tbatches[i % len(tbatches)]
                optimizer.zero_grad()
                loss = loss_fn(model(*x), y)
                loss.backward()
                optimizer.step()
                return float(loss.item())

            def predict_all(_):
                model.eval()
                with torch.inference_mode():
                    preds = [model(*x).numpy() for x, _ in tbatches]
                model.train()
                return preds

        else:
            keras.utils.set_random_seed(workloads.SEED)
            model = workloads.build_keras(keras, workload)
            out["params"] = int(model.count_params())
            phase = "compile"
            workloads.compile_keras(keras, model, workload)
            xs = [x for x, _ in batches]
            whole = (
                [np.concatenate(p) for p in zip(*xs)]
                if isinstance(xs[0], list)
                else np.concatenate(xs)
            )

            def train_step(i):
                x, y = batches[i % len(batches)]
                loss = model.train_on_batch(x, y)
                return float(np.ravel(np.asarray(loss, dtype="float64"))[0])

            def predict_all(_):
                return model.predict(whole, batch_size=batch, verbose=0)

        out["times"]["built"] = time.time()
        phase = "first step"
        out["loss_first"] = train_step(0)
        times = out["times"]
        times["first_step_done"] = time.time()
        out["import_s"] = times["imported"] - times["python_up"]
        out["build_s"] = times["built"] - times["imported"]  # data, model, compile
        out["first_step_s"] = times["first_step_done"] - times["built"]
        if not first_step_only:
            phase = "train"
            out["train"] = step_stats(*timed_calls(train_step, **TRAIN))
            out["cores_used"] = out["train"]["cores_used"]
            out["loss_after"] = train_step(0)
            phase = "predict"
            settings = {k: v for k, v in PREDICT.items() if k != "batches"}
            seconds, cpu = timed_calls(predict_all, **settings)
            out["predict"] = step_stats(seconds, cpu, per_call=PREDICT["batches"])
        out["status"] = "ok"
    except BaseException as e:  # noqa: BLE001 (a failed cell is a result, not a crash)
        out.update(
            phase=phase, error=f"{type(e).__name__}: {e}", traceback=traceback.format_exc()[-3000:]
        )
    out["peak_rss_mb"] = proc_status_mb("VmHWM")
    return out


# ------------------------------------------------------------------------------------------
# driver: spawn workers, watch the machine's load
# ------------------------------------------------------------------------------------------
def cpu_busy_seconds():
    """Seconds of CPU time used by all processes on the machine so far (/proc/stat)."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def child_env(framework, threads, numba_cache_dir=None):
    env = dict(os.environ)
    env.pop("KERAS_BACKEND", None)
    env["KERAS_HOME"] = os.path.join(tempfile.gettempdir(), "minikeras-bench-keras-home")
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    for var in THREAD_VARS:
        env[var] = str(threads)
    if framework == "keras-jax" and threads == 1:
        env["XLA_FLAGS"] = (
            env.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false"
        ).strip()
    if framework == "minikeras":
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, env.get("PYTHONPATH")]))
        # the anchors load their site-packages' .pyc files; minikeras's are written by the
        # untimed prewarm, as pip writes them on install (without them every run compiled
        # minikeras's ~360 modules to bytecode: about 0.5 s of each first step, cold or warm)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if numba_cache_dir:
            env["NUMBA_CACHE_DIR"] = numba_cache_dir
    return env


def run_cell(python, framework, workload, threads, timeout, numba_cache_dir=None, cold=False):
    """Spawn one worker; returns its result plus time to first step and foreign CPU load."""
    fd, result_path = tempfile.mkstemp(prefix="minikeras-bench-", suffix=".json")
    os.close(fd)
    cmd = [
        python,
        os.path.abspath(__file__),
        "--worker",
        framework,
        workload,
        str(threads),
        result_path,
    ] + (["--first-step-only"] if cold else [])
    env = child_env(framework, threads, numba_cache_dir)
    busy0, own0 = cpu_busy_seconds(), children_cpu_seconds()
    spawned = time.time()
    try:
        proc = subprocess.run(
            cmd, check=False, env=env, capture_output=True, text=True, timeout=timeout
        )
        returncode, stderr = proc.returncode, proc.stderr
    except subprocess.TimeoutExpired as e:
        returncode, stderr = "timeout", e.stderr or ""
        if isinstance(stderr, bytes):
            stderr = stderr.decode(errors="replace")
    wall = time.time() - spawned
    try:
        with open(result_path) as f:
            result = json.load(f)
    except (OSError, ValueError):
        result = {
            "framework": framework,
            "workload": workload,
            "threads": threads,
            "status": "error",
            "phase": "process",
            "error": f"worker gave no result (exit status {returncode}) after {wall:.1f} s",
        }
    finally:
        os.unlink(result_path)
    result.update(cold_cache=cold, returncode=returncode, wall_s=wall)
    own = children_cpu_seconds() - own0
    result["foreign_load"] = max(0.0, (cpu_busy_seconds() - busy0 - own) / wall)
    done = result.get("times", {}).get("first_step_done")
    if done:
        result["time_to_first_step_s"] = done - spawned
    if result["status"] != "ok":
        result["stderr_tail"] = stderr[-2000:]
    return result


def label(run):
    return "minikeras (cold cache)" if run.get("cold_cache") else run["framework"]


def progress_line(run):
    train = run.get("train", {}).get("median_ms")
    parts = [
        f"thr={run['threads']}",
        f"{run['workload']:8s}",
        f"{label(run):22s}",
        f"{run['status']:5s}",
    ]
    if train is not None:
        parts.append(f"train {train:8.2f} ms")
    if run.get("time_to_first_step_s") is not None:
        parts.append(f"first step at {run['time_to_first_step_s']:6.2f} s")
    parts.append(f"foreign {run['foreign_load']:.2f} cores")
    if run["status"] != "ok":
        parts.append(f"[{run.get('phase')}] {run.get('error', '')[:120]}")
    return "  " + "  ".join(parts)


def schedule(frameworks, rep):
    """Rotate the framework order each repetition so drift in machine load spreads evenly."""
    k = rep % len(frameworks)
    return list(frameworks[k:]) + list(frameworks[:k])


# ------------------------------------------------------------------------------------------
# report: medians across repetitions, ratios, markdown
# ------------------------------------------------------------------------------------------
def spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarize(runs):
    """One cell per (workload, threads, framework label): medians and spread across reps."""
    groups = {}
    for run in runs:
        groups.setdefault((run["workload"], run["threads"], label(run)), []).append(run)
    cells = []
    for (workload, threads, name), group in groups.items():
        ok = [r for r in group if r["status"] == "ok"]
        cell = {
            "workload": workload,
            "threads": threads,
            "framework": name,
            "reps": len(group),
            "ok": len(ok),
            "errors": sorted(
                {f"[{r.get('phase')}] {r.get('error')}" for r in group if r["status"] != "ok"}
            ),
        }
        for key in ("train", "predict"):
            per_rep = [r[key] for r in ok if r.get(key)]
            if per_rep:
                cpu = [p["cpu_ms"] for p in per_rep if "cpu_ms" in p]
                cell[key] = {
                    **spread([p["median_ms"] for p in per_rep]),
                    "step_min": min(p["min_ms"] for p in per_rep),
                    "step_max": max(p["max_ms"] for p in per_rep),
                    "steps": sum(p["n"] for p in per_rep),
                    "cpu_ms": statistics.median(cpu) if cpu else None,
                }
        for key in STARTUP_KEYS + ("peak_rss_mb", "cores_used"):
            values = [r[key] for r in ok if r.get(key) is not None]
            if values:
                cell[key] = spread(values)
        loads = [r["foreign_load"] for r in group if r.get("foreign_load") is not None]
        cell["foreign_load_max"] = max(loads) if loads else None
        if ok:
            cell["params"] = ok[0].get("params")
            cell["loss_first"], cell["loss_after"] = (
                ok[0].get("loss_first"),
                ok[0].get("loss_after"),
            )
        cells.append(cell)
    return cells


def _median_of(cell, key):
    if cell is None or not cell.get(key):
        return None
    return cell[key]["median"]


def ratios(cells):
    """minikeras / fastest anchor and minikeras / keras-torch, per workload and thread count.

    Fastest = lowest median of that metric among the anchors (torch, keras-torch, keras-jax)
    measured in the same run; a ratio below 1 means minikeras is faster.
    """
    metrics = {"train": "train", "predict": "predict", "first_step": "time_to_first_step_s"}
    keys = list(dict.fromkeys((c["workload"], c["threads"]) for c in cells))
    rows = []
    for workload, threads in keys:
        by_name = {
            c["framework"]: c
            for c in cells
            if c["workload"] == workload and c["threads"] == threads
        }
        row = {"workload": workload, "threads": threads}
        for metric, key in metrics.items():
            mine = _median_of(by_name.get("minikeras"), key)
            anchors = [(_median_of(by_name.get(f), key), f) for f in ANCHORS]
            anchors = [(value, f) for value, f in anchors if value is not None]
            fastest = min(anchors) if anchors else (None, None)
            keras_torch = _median_of(by_name.get("keras-torch"), key)
            row[metric] = {
                "minikeras": mine,
                "fastest_anchor": fastest[1],
                "fastest": fastest[0],
                "vs_fastest": mine / fastest[0] if mine and fastest[0] else None,
                "vs_keras_torch": mine / keras_torch if mine and keras_torch else None,
            }
        rows.append(row)
    return rows


def fmt(value, digits=2, suffix=""):
    if value is None:
        return "—"
    return f"{value:.{digits}f}{suffix}"


def fmt_spread(s, digits=2):
    """'median (min–max)' of a spread dict; '—' when missing."""
    if not s:
        return "—"
    return f"{s['median']:.{digits}f} ({s['min']:.{digits}f}–{s['max']:.{digits}f})"


def ratio_table(rows):
    lines = [
        (
            "| workload | thr | minikeras train ms | fastest anchor | × fastest | × keras-torch "
            "| minikeras predict ms | fastest anchor | × fastest | × keras-torch "
            "| minikeras first step s | fastest anchor | × fastest |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cols = [row["workload"], str(row["threads"])]
        for metric in ("train", "predict", "first_step"):
            r = row[metric]
            anchor = f"{r['fastest_anchor']} {fmt(r['fastest'])}" if r["fastest_anchor"] else "—"
            cols += [fmt(r["minikeras"]), anchor, fmt(r["vs_fastest"], suffix="×")]
            if metric != "first_step":
                cols.append(fmt(r["vs_keras_torch"], suffix="×"))
        lines.append("| " + " | ".join(cols) + " |")
    return lines


def cell_table(cells):
    lines = [
        (
            "| framework | ok/reps | train ms/step median (rep min–max) | single steps min–max ms "
            "| train CPU ms/step | predict ms/batch median (rep min–max) | time to first step s "
            "| import / build / first step s "
            "| cores used | peak RSS MB | foreign load max | params |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in cells:
        train = c.get("train")
        steps = f"{train['step_min']:.2f}–{train['step_max']:.2f}" if train else "—"
        rss = c.get("peak_rss_mb")
        cols = [
            c["framework"],
            f"{c['ok']}/{c['reps']}",
            fmt_spread(train),
            steps,
            fmt(train and train["cpu_ms"]),
            fmt_spread(c.get("predict")),
            fmt_spread(c.get("time_to_first_step_s")),
            " / ".join(fmt(_median_of(c, k)) for k in STARTUP_KEYS[1:]),
            fmt(_median_of(c, "cores_used")),
            fmt(rss and rss["median"], 0),
            fmt(c.get("foreign_load_max")),
            str(c.get("params") or "—"),
        ]
        lines.append("| " + " | ".join(cols) + " |")
    for c in cells:
        for error in c["errors"]:
            lines.append(f"\n* {c['framework']} failed: `{error[:300]}`")
    return lines


def render(doc):
    cells, order = doc["summary"], {f: i for i, f in enumerate(FRAMEWORKS)}
    lines = [f"# minikeras CPU benchmark — {doc['started']}", ""]
    lines += [f"* {k}: {v}" for k, v in doc["meta"].items()]
    lines += ["", "## minikeras / anchors (medians; below 1× = minikeras faster)", ""]
    lines += ratio_table(doc["ratios"])
    keys = list(dict.fromkeys((c["workload"], c["threads"]) for c in cells))
    for workload, threads in keys:
        group = [c for c in cells if c["workload"] == workload and c["threads"] == threads]
        group.sort(key=lambda c: (order.get(c["framework"].split()[0], 9), c["framework"]))
        batch = doc["batches"].get(workload, "?")
        lines += ["", f"## {workload} (batch {batch}), {threads} thread(s)", ""]
        lines += cell_table(group)
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------
# main
# ------------------------------------------------------------------------------------------
def pick(text, allowed, what):
    names = list(allowed) if text == "all" else [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise SystemExit(f"Unknown {what} {unknown}. Expected some of {list(allowed)} or 'all'.")
    return names


def machine_meta():
    info = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            info.setdefault(key.strip(), value.strip())
    cpu = f"{info.get('model name', '?')} (family {info.get('cpu family')}, model {info.get('model')})"
    return f"{cpu}, {os.cpu_count()} logical CPUs, {platform.platform()}"


def versions_line(runs):
    """'minikeras: minikeras 0.1.0, numba 0.68.1, numpy 2.4.6; torch: ...' from the workers."""
    seen = {}
    for run in runs:
        if run.get("versions") and run["framework"] not in seen:
            seen[run["framework"]] = ", ".join(f"{k} {v}" for k, v in run["versions"].items())
    return "; ".join(f"{f}: {v}" for f, v in seen.items())


def numba_cache_plan(warm_cache, cache_root, workload, want_cold):
    """[(cold, NUMBA_CACHE_DIR)] for one minikeras repetition.

    A cold run gets a fresh empty cache dir; the first cold run of a workload fills the dir that
    all its warm runs then share, so every warm run finds the kernels compiled by a previous run.
    """
    fresh = tempfile.mkdtemp(dir=cache_root)
    warm = warm_cache.setdefault(workload, fresh)
    plan = [(True, fresh)] if want_cold or warm == fresh else []
    return plan + [(False, warm)]


# minikeras and every kernel module (loaded lazily by `kernels.load`), so that the timed runs find
# their .pyc files written
PREWARM_MINIKERAS = (
    "import importlib, pkgutil, numba, minikeras, minikeras.kernels as k\n"
    "for m in pkgutil.iter_modules(k.__path__):\n"
    "    importlib.import_module('minikeras.kernels.' + m.name)"
)


def prewarm(python, env, code):
    """Import the heavy packages once, untimed, so the first timed process is not a cold disk."""
    subprocess.run([python, "-c", code], check=False, env=env, capture_output=True, timeout=300)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="mlp only, 1 rep (overridable)")
    p.add_argument("--workload", default=None, help=f"comma list of {WORKLOAD_NAMES} or all")
    p.add_argument("--framework", default="all", help=f"comma list of {FRAMEWORKS} or all")
    p.add_argument("--threads", default="1", help="comma list of thread counts, e.g. 1,2")
    p.add_argument("--reps", type=int, default=None, help="repetitions (default 3, --quick 1)")
    p.add_argument(
        "--cold-reps",
        type=int,
        default=None,
        help="minikeras cold-numba-cache runs per cell (default: --reps; min 1)",
    )
    p.add_argument(
        "--anchor-python",
        default=ANCHOR_PYTHON,
        help="interpreter with torch, keras and jax ('' to skip the anchors)",
    )
    p.add_argument("--minikeras-python", default=sys.executable)
    p.add_argument("--timeout", type=float, default=300, help="seconds per worker process")
    p.add_argument(
        "--out",
        default=None,
        help="output path without extension "
        "(default benchmarks/results, --quick benchmarks/results-quick)",
    )
    p.add_argument("--no-prewarm", action="store_true")
    p.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    p.add_argument("--first-step-only", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        framework, workload, threads, result_path = args.worker
        result = worker(framework, workload, int(threads), args.first_step_only)
        with open(result_path, "w") as f:
            json.dump(result, f)
        return 0

    started = time.time()
    workloads = pick(args.workload or ("mlp" if args.quick else "all"), WORKLOAD_NAMES, "workload")
    frameworks = pick(args.framework, FRAMEWORKS, "framework")
    thread_counts = [int(t) for t in args.threads.split(",")]
    reps = args.reps or (1 if args.quick else 3)
    cold_reps = max(1, reps if args.cold_reps is None else args.cold_reps)
    out = args.out or os.path.join(HERE, "results-quick" if args.quick else "results")
    notes = []
    anchor_python = args.anchor_python
    if not anchor_python or not os.access(anchor_python, os.X_OK):
        skipped = [f for f in frameworks if f in ANCHORS]
        frameworks = [f for f in frameworks if f not in ANCHORS]
        if skipped:
            notes.append(
                f"anchors {skipped} skipped: no interpreter at {anchor_python!r} "
                "(pass --anchor-python)"
            )
            print("# " + notes[-1], flush=True)
    if not args.no_prewarm:
        if "minikeras" in frameworks:
            prewarm(args.minikeras_python, child_env("minikeras", 1), PREWARM_MINIKERAS)
        if any(f in ANCHORS for f in frameworks):
            env = {**child_env("keras-jax", 1), "KERAS_BACKEND": "jax"}
            prewarm(anchor_python, env, "import torch, jax, keras")
    print(
        f"# frameworks={frameworks} workloads={workloads} threads={thread_counts} reps={reps}",
        flush=True,
    )

    cache_root = tempfile.mkdtemp(prefix="minikeras-bench-numba-")
    warm_cache = {}  # workload -> NUMBA_CACHE_DIR filled by that workload's first cold run
    runs, failed = [], set()
    try:
        for threads in thread_counts:
            for workload in workloads:
                for rep in range(reps):
                    for framework in schedule(frameworks, rep):
                        python = anchor_python
                        plan = [(False, None)]  # (cold numba cache?, NUMBA_CACHE_DIR)
                        if framework == "minikeras":
                            python = args.minikeras_python
                            plan = numba_cache_plan(
                                warm_cache, cache_root, workload, rep < cold_reps
                            )
                        for cold, cache_dir in plan:
                            key = (framework, workload, threads, cold)
                            if key in failed:  # a build error repeats itself: do not respawn
                                continue
                            run = run_cell(
                                python, framework, workload, threads, args.timeout, cache_dir, cold
                            )
                            run["rep"] = rep
                            runs.append(run)
                            print(progress_line(run), flush=True)
                            if run["status"] != "ok" and run.get("phase") in SETUP_PHASES:
                                failed.add(key)
    finally:
        shutil.rmtree(cache_root, ignore_errors=True)

    from workloads import WORKLOADS  # stdlib-only module

    doc = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started)),
        "meta": {
            "command": "python benchmarks/run.py "
            + " ".join(sys.argv[1:] if argv is None else argv),
            "machine": machine_meta(),
            "versions": versions_line(runs),
            "settings": f"{reps} rep(s), threads {thread_counts}, train {TRAIN}, predict {PREDICT}",
            "total time": f"{time.time() - started:.0f} s",
            **({"notes": " ".join(notes)} if notes else {}),
        },
        "batches": {name: w["batch"] for name, w in WORKLOADS.items()},
        "runs": runs,
    }
    doc["summary"] = summarize(runs)
    doc["ratios"] = ratios(doc["summary"])
    markdown = render(doc)
    with open(out + ".json", "w") as f:
        json.dump(doc, f, indent=1)
    with open(out + ".md", "w") as f:
        f.write(markdown)
    print("\n" + markdown)
    print(f"# wrote {out}.md and {out}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
