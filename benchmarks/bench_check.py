"""How fast is `timeline check`? A manual gate, not part of the test suite.

    python benchmarks/bench_check.py [--events 10000] [--repeat 5] [--cold-runs 9]

Measures, in one run:

(a) ``yaml.load(text, Loader=yaml.CSafeLoader)`` of a generated 10,000-event file: the
    floor, what any YAML-reading tool pays;
(b) the full check as the CLI does it (``builder.records.check.check_file``) of the same file;
    (a) and (b) are interleaved, best of ``--repeat`` each; target (b) <= 1.3 x (a);
(c) a cold ``timeline check events.yaml`` of the repository's seed file, as a new process,
    wall time, median of ``--cold-runs``; target < 0.5 s (if there is no events.yaml, a
    generated 20-event file is used instead, and the report says so);
(d) the peak memory (maxrss) of ``timeline check`` on the 10,000-event file, as a new
    process.

For diagnosis it also times the two halves of the check -- reading the file into the node
tree (``builder.records.yamltree.load_bytes``) and checking the tree (``builder.records.validate.check_tree``)
-- libyaml's bare event stream (``yaml.parse``), the floor for the first half, and (a) and
(b) again with the cyclic garbage collector off.

Every time is given as wall time and as CPU time (user + system). The targets are judged on
wall time; on a shared machine the CPU times are the steadier figures, and the load average
printed with the results says whether the wall times can be trusted.

Prints a Markdown table and exits 1 when a target is missed (2 when it cannot measure).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

import builder.records.check  # noqa: E402
from benchmarks.generate import generate_timeline  # noqa: E402
from builder.records.check import check_file  # noqa: E402
from builder.records.validate import check_tree  # noqa: E402
from builder.records.yamltree import load_bytes  # noqa: E402

RATIO_TARGET = 1.3
COLD_TARGET = 0.5  # seconds


def _forget_cached_checks() -> None:
    """`check_file` keeps its last result (so `timeline build` checks once); a CLI run starts
    with nothing kept, so every timed call must too. Done outside the timed region, since
    freeing the previous result is itself work."""
    cache = getattr(builder.records.check, "_last", None)
    if cache is not None:
        cache.clear()
    if hasattr(check_file, "cache_clear"):
        check_file.cache_clear()


def _timed(function) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one call."""
    _forget_cached_checks()
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    del result
    return wall, cpu


def _timeline_command() -> list[str]:
    """The installed `timeline` script next to this Python, else `python -m builder`."""
    script = Path(sys.executable).with_name("timeline")
    if script.exists():
        return [str(script)]
    found = shutil.which("timeline")
    return [found] if found else [sys.executable, "-m", "builder"]


# Runs one command and reports its wall time, CPU time and peak memory. It is a separate,
# small process because on Linux a child's ru_maxrss includes the memory of the process it
# was forked from, and this benchmark's own process holds hundreds of MB.
_LAUNCHER = """
import resource, subprocess, sys, time
start = time.perf_counter()
quiet = subprocess.DEVNULL
status = subprocess.run(sys.argv[1:], stdout=quiet, stderr=quiet).returncode
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, usage.ru_utime + usage.ru_stime, status, usage.ru_maxrss)
"""


def _run_child(command: list[str], cwd: Path) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, exit status, maxrss in KiB) of a fresh ``command``."""
    output = subprocess.run([sys.executable, "-c", _LAUNCHER, *command], cwd=cwd, check=True,
                            capture_output=True, text=True).stdout.split()
    return float(output[0]), float(output[1]), int(output[2]), int(output[3])


def _code_version() -> str:
    """The commit measured, and whether builder/ differs from it (read-only git calls)."""
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                                "builder"], capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {commit}" + (" with uncommitted changes in builder/" if dirty else "")


def _libyaml_version() -> str:
    try:
        from yaml import _yaml  # type: ignore[attr-defined]
        return _yaml.get_version_string()
    except Exception:  # pragma: no cover - depends on how PyYAML was built
        return "absent"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5, help="timings of (a) and (b) each")
    parser.add_argument("--cold-runs", type=int, default=9, help="timed cold starts")
    parser.add_argument("--seed-file", type=Path, default=ROOT / "events.yaml",
                        help="file for the cold-start measurement (default: events.yaml)")
    args = parser.parse_args(argv)

    if not getattr(yaml, "__with_libyaml__", False):
        print("bench_check: PyYAML is built without libyaml; CSafeLoader is unavailable",
              file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="timeline-bench-"))
    try:
        return _run(args, _timeline_command(), workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(args, command: list[str], workdir: Path) -> int:
    load_before = os.getloadavg()[0]
    big = workdir / f"events-{args.events}.yaml"
    started = time.perf_counter()
    big.write_text(generate_timeline(args.events, args.seed), encoding="utf-8")
    generated = time.perf_counter() - started
    size = big.stat().st_size
    data = big.read_bytes()
    text = data.decode("utf-8")
    path = str(big)
    today = date.today()

    # The check must succeed, or the timings mean nothing.
    first = check_file(big)
    if not first.ok or first.problems:
        print(f"bench_check: the generated file has {len(first.problems)} problem(s); "
              f"first: {first.problems[0]}", file=sys.stderr)
        return 2
    del first

    def csafe_load():
        return yaml.load(text, Loader=yaml.CSafeLoader)

    def full_check():
        return check_file(big)

    def event_stream():
        for _ in yaml.parse(text, Loader=yaml.CSafeLoader):
            pass

    def tree_only():
        return load_bytes(data, path)

    tree = load_bytes(data, path).root

    def validate_only():
        return check_tree(tree, path, today)

    names = ("load", "check", "parse", "tree", "validate", "load-nogc", "check-nogc")
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for _ in range(args.repeat):  # interleaved, so drift hits both alike
        samples["load"].append(_timed(csafe_load))
        samples["check"].append(_timed(full_check))
    for _ in range(args.repeat):
        samples["parse"].append(_timed(event_stream))
        samples["tree"].append(_timed(tree_only))
        samples["validate"].append(_timed(validate_only))
    del tree
    # The same pair with the cyclic garbage collector off: both build about a million
    # objects, and the collector's passes over them are a large share of either time.
    gc.collect()
    gc.disable()
    try:
        for _ in range(args.repeat):
            samples["load-nogc"].append(_timed(csafe_load))
            samples["check-nogc"].append(_timed(full_check))
    finally:
        gc.enable()
    wall = {name: min(w for w, _ in values) for name, values in samples.items()}
    cpu = {name: min(c for _, c in values) for name, values in samples.items()}
    if wall["check"] < wall["parse"] or wall["check-nogc"] < wall["parse"]:
        print("bench_check: check_file took less time than libyaml needs to read the file; "
              "it must be returning a kept result, which this script does not know how to "
              "clear (see _forget_cached_checks)", file=sys.stderr)
        return 2

    # (c) cold start on the seed file
    seed_file = args.seed_file
    seed_note = ""
    if not seed_file.exists():
        seed_file = workdir / "events-20.yaml"
        seed_file.write_text(generate_timeline(20, args.seed), encoding="utf-8")
        seed_note = f" ({args.seed_file.name} does not exist: a generated 20-event file)"
    seed_events = sum(1 for line in seed_file.read_text(encoding="utf-8").splitlines()
                      if line.startswith("  - id:"))
    cold_command = command + ["check", str(seed_file)]
    status = _run_child(cold_command, ROOT)[2]  # warms the page cache; not counted
    if status != 0:
        print(f"bench_check: `{' '.join(cold_command)}` exits {status}", file=sys.stderr)
        return 2
    cold = [_run_child(cold_command, ROOT)[:2] for _ in range(args.cold_runs)]
    bare = [_run_child([sys.executable, "-c", "pass"], ROOT)[:2] for _ in range(args.cold_runs)]
    cold_wall = statistics.median(w for w, _ in cold)

    # (d) peak memory of the CLI on the big file, and of a bare CSafeLoader load for scale
    cli_wall, cli_cpu, status, cli_rss = _run_child(command + ["check", str(big)], ROOT)
    if status != 0:
        print(f"bench_check: `timeline check` of the generated file exits {status}",
              file=sys.stderr)
        return 2
    load_script = ("import yaml, sys; yaml.load(open(sys.argv[1], encoding='utf-8').read(), "
                   "Loader=yaml.CSafeLoader)")
    load_rss = _run_child([sys.executable, "-c", load_script, str(big)], ROOT)[3]
    load_after = os.getloadavg()[0]

    ratio = wall["check"] / wall["load"]
    ok_ratio = ratio <= RATIO_TARGET
    ok_cold = cold_wall < COLD_TARGET
    n = f"{args.events:,} events"

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:,.0f} ms"

    def row(label: str, wall_s: str, cpu_s: str = "", target: str = "", verdict: str = ""):
        print(f"| {label} | {wall_s} | {cpu_s} | {target} | {verdict} |")

    print(f"Generated file: {n}, {size / 1e6:.1f} MB (generated in {generated:.1f} s, "
          f"seed {args.seed}); (a) and (b): best of {args.repeat}, interleaved.")
    print(f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"PyYAML {yaml.__version__}, libyaml {_libyaml_version()}, {platform.system()} "
          f"{platform.machine()}; {date.today().isoformat()}; {_code_version()}; "
          f"load average {load_before:.2f} before, {load_after:.2f} after (above ~0.5, "
          "other work shares the CPUs and wall times are unreliable).")
    print()
    row("Measurement", "Wall", "CPU", "Target", "")
    print("|---|---:|---:|---:|---|")
    row(f"(a) `yaml.load(text, Loader=CSafeLoader)`, {n}", ms(wall["load"]), ms(cpu["load"]))
    row(f"(b) `check_file` (read + tree + check), {n}", ms(wall["check"]), ms(cpu["check"]))
    row("(b) / (a)", f"{ratio:.2f} x", f"{cpu['check'] / cpu['load']:.2f} x",
        f"<= {RATIO_TARGET} x", "ok" if ok_ratio else "MISSED")
    row("&nbsp;&nbsp; of which `yamltree.load_bytes` (node tree)", ms(wall["tree"]),
        ms(cpu["tree"]))
    row("&nbsp;&nbsp; of which `validate.check_tree`", ms(wall["validate"]),
        ms(cpu["validate"]))
    row("&nbsp;&nbsp; libyaml event stream alone (`yaml.parse`)", ms(wall["parse"]),
        ms(cpu["parse"]))
    row("(a) with the garbage collector off", ms(wall["load-nogc"]), ms(cpu["load-nogc"]))
    row("(b) with the garbage collector off", ms(wall["check-nogc"]), ms(cpu["check-nogc"]))
    row("(b) / (a), both with the collector off (information only)",
        f"{wall['check-nogc'] / wall['load-nogc']:.2f} x",
        f"{cpu['check-nogc'] / cpu['load-nogc']:.2f} x")
    row(f"(c) cold `timeline check` of {seed_file.name}, {seed_events} events{seed_note}, "
        f"median of {args.cold_runs}", ms(cold_wall),
        ms(statistics.median(c for _, c in cold)), f"< {ms(COLD_TARGET)}",
        "ok" if ok_cold else "MISSED")
    row(f"&nbsp;&nbsp; for scale: `python -c pass`, median of {args.cold_runs}",
        ms(statistics.median(w for w, _ in bare)), ms(statistics.median(c for _, c in bare)))
    row(f"(d) peak memory (maxrss) of `timeline check`, {n}", f"{cli_rss / 1024:,.0f} MiB")
    row("&nbsp;&nbsp; for scale: maxrss of a bare CSafeLoader load of the same file",
        f"{load_rss / 1024:,.0f} MiB")
    row(f"that `timeline check` of {n}, one run", ms(cli_wall), ms(cli_cpu))
    print()
    print("All samples, wall/CPU ms: " + "; ".join(
        f"{name} " + " ".join(f"{w * 1000:.0f}/{c * 1000:.0f}" for w, c in values)
        for name, values in list(samples.items()) + [("cold", cold)]))
    missed = [what for what, ok in (("check/load ratio", ok_ratio), ("cold start", ok_cold))
              if not ok]
    if missed:
        print(f"\nMISSED: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
