"""Large files: do `timeline check` and `timeline build` cost time and memory in proportion
to the size of the records? A manual measurement, not part of the test suite.

    python benchmarks/bench_large.py [--check-mb 5 12 25 50] [--small 25000 50000 100000]
                                     [--build 500 1000 2000] [--build-small 2000]

For each size it writes an events file, then runs, each as a new process started from a
small launcher (so that the figures are the command's own, not those of this process):

* ``timeline check FILE``: wall time, peak resident memory of its largest process (maxrss),
  and the peak of the memory of all its processes together (the proportional set size,
  sampled every 0.2 s: a build of 3,000 events or more forks a second process);
* ``timeline build`` in a copy of the project with that file: the same, plus the pages
  written.

Two kinds of file: ``generated`` (benchmarks/generate.py, realistic events of about 1 KB
with sources, actors, claims, quotes and narratives) sized in megabytes, and ``small``
(the least a valid event holds: id, date, title, a one-line summary, status, one source),
sized in events. The last columns divide by the size, so a row that costs more per MB or
per event than the row above shows where growth stops being linear. Every run is limited
to 2 GiB of address space: a run that needs more fails, and the table says so. The
per-MB column divides maxrss.

Prints a Markdown table. Run on an idle machine (the load average is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate_timeline  # noqa: E402

MEMORY_LIMIT = 2 << 30  # 2 GiB of address space for every measured command
GENERATED_BYTES_PER_EVENT = 1070  # measured on generate_timeline(10_000): 10.7 MB

# Runs one command with an address-space limit and reports its wall time, its maxrss (the
# largest of its processes) and, sampled every 0.2 s, the peak of the proportional set size
# summed over the command and every process it started (a build may fork a second one).
_LAUNCHER = r"""
import json, os, resource, subprocess, sys, time
limit = int(sys.argv[1])
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
def tree(root):
    children = {}
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
        except (ValueError, OSError, IndexError):
            pass
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found
def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0
start = time.perf_counter()
process = subprocess.Popen(sys.argv[3:], cwd=sys.argv[2], preexec_fn=cap,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
peak = 0
import threading
output = []
reader = threading.Thread(target=lambda: output.append(process.stdout.read()))
reader.start()
while process.poll() is None:
    peak = max(peak, sum(pss_kb(pid) for pid in tree(process.pid)))
    time.sleep(0.2)
reader.join()
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "maxrss_kb": resource.getrusage(
    resource.RUSAGE_CHILDREN).ru_maxrss, "pss_kb": peak, "returncode": process.returncode,
    "tail": "".join(output)[-400:]}))
"""
_RECORD_LINK = re.compile(
    r"\[([^\]]*)\]\((?:event:[^)\s]*|(?:\.\./)*(?:events|narratives|actors|places|sources|tags)"
    r"/(?!index\.md)[^)\s]*)\)")


def small_timeline(events: int) -> str:
    """The smallest valid events: one source, one line each field."""
    out = ["timeline:", "  title: Small events", "sources:", "  s:", "    title: A source",
           "    publisher: A publisher", '    published: "2016-09-25"', "events:"]
    for n in range(events):
        day = 1 + n % 28
        out += [f"  - id: event-{n}", f'    date: "2016-09-{day:02d}"',
                f"    title: Event number {n}", f"    summary: Something happened ({n}).",
                "    status: reported", "    sources: [s]"]
    return "\n".join(out) + "\n"


def measure(cwd: Path, *command: str) -> dict:
    launched = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, str(MEMORY_LIMIT), str(cwd), *command],
        capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    return json.loads(launched.stdout)


def project_with(events_text: str, folder: Path) -> Path:
    """A copy of the project's site sources with these records. Links from the hand-written
    pages to records of the seed file become plain text, so any records build."""
    project = folder / "project"
    project.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, project / name)
    for page in (project / "content").rglob("*.md"):
        page.write_text(_RECORD_LINK.sub(r"\1", page.read_text("utf-8")), "utf-8")
    (project / "events.yaml").write_text(events_text, encoding="utf-8")
    return project


def row(kind: str, size: str, events: int, megabytes: float, what: str, result: dict,
        pages: int | None = None) -> str:
    ok = "yes" if result["returncode"] == 0 else f"**exit {result['returncode']}**"
    mib = result["maxrss_kb"] / 1024
    total = result["pss_kb"] / 1024
    per_mb = f"{result['seconds'] / megabytes:.2f} s, {mib / megabytes:.0f} MiB"
    per_k = f"{result['seconds'] / events * 1000:.2f} s"
    return (f"| {what} | {kind} | {size} | {events:,} | {megabytes:.1f} | "
            f"{result['seconds']:.1f} | {mib:,.0f} | {total:,.0f} | {ok} | "
            f"{pages if pages is not None else '—'} | {per_mb} | {per_k} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check-mb", type=float, nargs="*", default=[5, 12.5, 25, 50],
                        help="sizes of generated files to check, in MB")
    parser.add_argument("--small", type=int, nargs="*", default=[25_000, 50_000, 100_000],
                        help="numbers of small events to check")
    parser.add_argument("--build", type=int, nargs="*", default=[500, 1000, 2000],
                        help="numbers of generated events to build")
    parser.add_argument("--build-small", type=int, nargs="*", default=[2000],
                        help="numbers of small events to build")
    args = parser.parse_args(argv)

    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}; load average before: "
          f"{os.getloadavg()[0]:.2f}\n")
    print("| command | file | size | events | MB | seconds | maxrss MiB | all processes MiB "
          "| ok | pages | per MB | per 1,000 events |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    work = Path(tempfile.mkdtemp(prefix="bench-large-"))
    try:
        cases = [("generated", f"{mb:g} MB", max(1, int(mb * 1e6 / GENERATED_BYTES_PER_EVENT)))
                 for mb in args.check_mb]
        cases += [("small", f"{n:,} events", n) for n in args.small]
        for kind, size, events in cases:
            text = generate_timeline(events, seed=0) if kind == "generated" \
                else small_timeline(events)
            path = work / "events.yaml"
            path.write_text(text, encoding="utf-8")
            result = measure(work, sys.executable, "-m", "builder", "check", str(path))
            print(row(kind, size, events, len(text.encode()) / 1e6, "check", result),
                  flush=True)
        builds = [("generated", n) for n in args.build] + [("small", n) for n in args.build_small]
        for kind, n in builds:
            text = generate_timeline(n, seed=0) if kind == "generated" else small_timeline(n)
            folder = work / f"build-{kind}-{n}"
            project = project_with(text, folder)
            result = measure(project, sys.executable, "-m", "builder", "build")
            pages = sum(1 for _ in (project / "site").rglob("index.html")) \
                if (project / "site").exists() else None
            print(row(kind, f"{n:,} events", n, len(text.encode()) / 1e6, "build", result,
                      pages), flush=True)
            if result["returncode"]:
                print(f"\n    {result['tail']!r}\n")
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nLoad average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
