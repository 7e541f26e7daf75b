"""How fast is `timeline check`? A manual gate, not part of the test suite.

    python benchmarks/bench_check.py [--events 10000] [--repeat 5] [--cold-runs 9]

Measures, in one run:

(a) ``yaml.load(text, Loader=yaml.CSafeLoader)`` of a generated 10,000-event file: the
    floor, what any YAML-reading tool pays;
(b) the full check as the CLI does it (``builder.check.check_file``) of the same file;
    (a) and (b) are interleaved, best of ``--repeat`` each; target (b) <= 1.3 x (a);
(c) a cold ``timeline check events.yaml`` of the repository's seed file, as a new process,
    wall time, median of ``--cold-runs``; target < 0.5 s (if there is no events.yaml, a
    generated 20-event file is used instead, and the report says so);
(d) the peak memory (maxrss) of ``timeline check`` on the 10,000-event file, as a new
    process.

For diagnosis it also times the two halves of the check -- reading the file into the node
tree (``builder.yamltree.load_bytes``) and checking the tree (``builder.validate.check_tree``)
-- and libyaml's bare event stream (``yaml.parse``), the floor for the first half.

Prints a Markdown table and exits 1 when a target is missed.
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

from benchmarks.generate import generate_timeline  # noqa: E402
from builder.check import check_file  # noqa: E402
from builder.validate import check_tree  # noqa: E402
from builder.yamltree import load_bytes  # noqa: E402

RATIO_TARGET = 1.3
COLD_TARGET = 0.5  # seconds


def _timed(function) -> float:
    gc.collect()
    start = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def _timeline_command() -> list[str]:
    """The installed `timeline` script next to this Python, else `python -m builder`."""
    script = Path(sys.executable).with_name("timeline")
    if script.exists():
        return [str(script)]
    found = shutil.which("timeline")
    return [found] if found else [sys.executable, "-m", "builder"]


# Runs one command and reports its wall time and peak memory. It is a separate, small
# process because on Linux a child's ru_maxrss includes the memory of the process it was
# forked from, and this benchmark's own process holds hundreds of MB.
_LAUNCHER = """
import resource, subprocess, sys, time
start = time.perf_counter()
status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - start
print(elapsed, status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _run_child(command: list[str], cwd: Path) -> tuple[float, int, int]:
    """(wall seconds, exit status, maxrss in KiB) of one fresh process running ``command``."""
    output = subprocess.run([sys.executable, "-c", _LAUNCHER, *command], cwd=cwd, check=True,
                            capture_output=True, text=True).stdout.split()
    return float(output[0]), int(output[1]), int(output[2])


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
    command = _timeline_command()
    workdir = Path(tempfile.mkdtemp(prefix="timeline-bench-"))
    try:
        return _run(args, command, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(args, command: list[str], workdir: Path) -> int:
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

    timings: dict[str, list[float]] = {name: [] for name in (
        "load", "check", "parse", "tree", "validate", "load-nogc", "check-nogc")}
    for _ in range(args.repeat):  # interleaved, so drift hits both alike
        timings["load"].append(_timed(csafe_load))
        timings["check"].append(_timed(full_check))
    for _ in range(args.repeat):
        timings["parse"].append(_timed(event_stream))
        timings["tree"].append(_timed(tree_only))
        timings["validate"].append(_timed(validate_only))
    del tree
    # The same pair with the cyclic garbage collector off: both build about a million
    # objects, and the collector's passes over them are a large share of either time.
    gc.collect()
    gc.disable()
    try:
        for _ in range(args.repeat):
            timings["load-nogc"].append(_timed(csafe_load))
            timings["check-nogc"].append(_timed(full_check))
    finally:
        gc.enable()
    best = {name: min(values) for name, values in timings.items()}
    ratio = best["check"] / best["load"]
    ratio_nogc = best["check-nogc"] / best["load-nogc"]

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
    _, status, _ = _run_child(cold_command, ROOT)  # warm the page cache; not timed
    if status != 0:
        print(f"bench_check: `{' '.join(cold_command)}` exits {status}", file=sys.stderr)
        return 2
    cold = [_run_child(cold_command, ROOT)[0] for _ in range(args.cold_runs)]
    bare = [_run_child([sys.executable, "-c", "pass"], ROOT)[0] for _ in range(args.cold_runs)]
    cold_median = statistics.median(cold)

    # (d) peak memory of the CLI on the big file, and of a bare CSafeLoader load for scale
    cli_wall, status, cli_rss = _run_child(command + ["check", str(big)], ROOT)
    if status != 0:
        print(f"bench_check: `timeline check` of the generated file exits {status}",
              file=sys.stderr)
        return 2
    load_script = ("import yaml, sys; yaml.load(open(sys.argv[1], encoding='utf-8').read(), "
                   "Loader=yaml.CSafeLoader)")
    _, _, load_rss = _run_child([sys.executable, "-c", load_script, str(big)], ROOT)

    ms = lambda seconds: f"{seconds * 1000:,.0f} ms"  # noqa: E731
    mib = lambda kib: f"{kib / 1024:,.0f} MiB"  # noqa: E731
    ok_ratio = ratio <= RATIO_TARGET
    ok_cold = cold_median < COLD_TARGET
    print(f"Generated file: {args.events:,} events, {size / 1e6:.1f} MB "
          f"(generated in {generated:.1f} s, seed {args.seed}); "
          f"best of {args.repeat}, interleaved.")
    print(f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"PyYAML {yaml.__version__}, libyaml {_libyaml_version()}, {platform.system()} "
          f"{platform.machine()}; {date.today().isoformat()}; {_code_version()}.")
    print()
    print("| Measurement | Result | Target | |")
    print("|---|---:|---:|---|")
    print(f"| (a) `yaml.load(text, Loader=CSafeLoader)`, {args.events:,} events "
          f"| {ms(best['load'])} | | |")
    print(f"| (b) `check_file` (read + tree + check), {args.events:,} events "
          f"| {ms(best['check'])} | | |")
    print(f"| (b) / (a) | {ratio:.2f} x | <= {RATIO_TARGET} x | {'ok' if ok_ratio else 'MISSED'} |")
    print(f"| &nbsp;&nbsp; of which `yamltree.load_bytes` (node tree) | {ms(best['tree'])} | | |")
    print(f"| &nbsp;&nbsp; of which `validate.check_tree` | {ms(best['validate'])} | | |")
    print(f"| &nbsp;&nbsp; libyaml event stream alone (`yaml.parse`) | {ms(best['parse'])} | | |")
    print(f"| (a) with the garbage collector off (`gc.disable()`) | {ms(best['load-nogc'])} | | |")
    print(f"| (b) with the garbage collector off | {ms(best['check-nogc'])} | | |")
    print(f"| (b) / (a), both with the collector off (for information) | {ratio_nogc:.2f} x "
          f"| | |")
    print(f"| (c) cold `timeline check` of {seed_file.name}, {seed_events} events{seed_note}, "
          f"median of {args.cold_runs} | {ms(cold_median)} | < {ms(COLD_TARGET)} "
          f"| {'ok' if ok_cold else 'MISSED'} |")
    print(f"| &nbsp;&nbsp; bare `python -c pass`, median of {args.cold_runs} "
          f"| {ms(statistics.median(bare))} | | |")
    print(f"| (d) peak memory (maxrss), `timeline check` of {args.events:,} events "
          f"| {mib(cli_rss)} | | |")
    print(f"| &nbsp;&nbsp; for scale: maxrss of a bare CSafeLoader load of the same file "
          f"| {mib(load_rss)} | | |")
    print(f"| wall time of that `timeline check`, {args.events:,} events (one run) "
          f"| {ms(cli_wall)} | | |")
    print()
    print("all samples (ms): " + "; ".join(
        f"{name} " + " ".join(f"{v * 1000:.0f}" for v in values)
        for name, values in list(timings.items()) + [("cold", cold)]))
    missed = [what for what, ok in (("check/load ratio", ok_ratio), ("cold start", ok_cold))
              if not ok]
    if missed:
        print(f"\nMISSED: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
