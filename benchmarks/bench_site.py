"""How fast is the site build, and how big are its pages? A manual gate, not a test.

    python benchmarks/bench_site.py [--sizes 1000 10000] [--repeat 1] [--seed 0] [--keep DIR]

Measures, in one run, for each size (synthetic timelines from benchmarks/generate.py):

(a) the full build as users run it: ``timeline build`` (check, render, MkDocs + Material)
    in a fresh process, wall time;
(b) the baseline: plain ``mkdocs build`` with the same theme, extensions, stylesheets and
    hand-written pages, of the same event pages written out beforehand as Markdown files
    (what the renderer makes of each event), outside the navigation, and no timeline
    plugin: what MkDocs + Material cost for those pages alone.
    (a) and (b) alternate, best of ``--repeat`` each. Targets: (a) <= 1.5 x (b) at the
    largest size, and (a) at the largest size <= 12 x (a) at the smallest;
(c) the largest HTML page of the largest build; target <= 200 KB;
(d) ``timeline build`` of the repository's own events.yaml, median of ``--seed-runs``;
    target < 3 s.

From 3,000 events on, ``timeline build`` renders the pages' Markdown in a second (forked)
process while MkDocs works through the first ones; the CPU-time column adds up both
processes. At the largest size the benchmark also times one build with
``TIMELINE_RENDER_PROCESSES=1`` (everything in one process), for the record.

Prints a Markdown table and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from benchmarks.generate import generate_timeline  # noqa: E402
from builder.records.check import check_file  # noqa: E402
from builder.site.render import render_site  # noqa: E402

RATIO_TARGET = 1.5  # full build / baseline, at the largest size
SCALING_TARGET = 12.0  # largest size / smallest size, full build
PAGE_TARGET = 200 * 1024  # bytes, largest HTML page
SEED_TARGET = 3.0  # seconds
PROJECT_FILES = ("mkdocs.yml", "content", "templates")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def make_project(folder: Path, events_text: str) -> Path:
    """A copy of the repository's site sources with the given records."""
    folder.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy(source, folder / name)
    (folder / "events.yaml").write_text(events_text, encoding="utf-8")
    return folder


# The home page links events and narratives of the seed timeline by id; a synthetic timeline
# has neither, so those links become their plain text (a strict build would stop on them).
_SEED_LINK = re.compile(r"\[([^\]]*)\]\((?:event:[^)]*|narratives/[^)]*)\)")


def unlink_seed_records(project: Path) -> None:
    for page in (project / "content").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(_SEED_LINK.sub(r"\1", text), encoding="utf-8")


def _without_generated_pages(nav):
    """The configured navigation with only the hand-written pages (they exist in docs/)."""
    kept = []
    for item in nav:
        (title, target), = item.items()
        if isinstance(target, list):
            inner = _without_generated_pages(target)
            if inner:
                kept.append({title: inner})
        elif (ROOT / "content" / target).exists():
            kept.append(item)
    return kept


def make_baseline(folder: Path, project: Path) -> Path:
    """Plain MkDocs + Material, same configuration, the event pages pre-written as Markdown."""
    docs = folder / "docs"
    shutil.copytree(project / "content", docs)
    result = check_file(project / "events.yaml")
    site = render_site(result.timeline, project / "templates")
    for page in site.pages:
        if page.path.startswith("events/"):
            target = docs / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.content, encoding="utf-8")
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"),
                       Loader=yaml.SafeLoader)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["plugins"] = [p for p in config.get("plugins", ["search"])
                         if not (p == "timeline" or (isinstance(p, dict) and "timeline" in p))]
    config["nav"] = _without_generated_pages(config.get("nav", []))
    # Pages link to generated pages that are absent here: MkDocs still resolves every link,
    # but says nothing about the missing ones (thousands of log lines would cost time too).
    config["strict"] = False
    config["validation"] = {"nav": {"omitted_files": "ignore", "not_found": "ignore"},
                            "links": {"not_found": "ignore", "anchors": "ignore",
                                      "unrecognized_links": "ignore"}}
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True,
                                                      sort_keys=False), encoding="utf-8")
    return folder


def _timeline_command() -> list[str]:
    return [sys.executable, "-m", "builder", "build"]


def _mkdocs_command() -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--quiet"]


@dataclass
class Run:
    wall: float  # seconds, what the targets are about
    cpu: float  # user + system seconds of the process: steadier on a busy machine


def timed_run(command: list[str], cwd: Path, site: Path, **env: str) -> Run:
    """One fresh process; the previous site is removed first, as in CI."""
    shutil.rmtree(site, ignore_errors=True)
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=dict(ENV, **env), stdout=log,
                                   stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            raise SystemExit(f"bench_site: {' '.join(command)} failed in {cwd}:\n"
                             + log.read().decode("utf-8", "replace")[-5000:])
    return Run(elapsed, usage.ru_utime + usage.ru_stime)


def page_sizes(site: Path) -> list[tuple[int, str]]:
    return sorted(((p.stat().st_size, str(p.relative_to(site))) for p in site.rglob("*.html")),
                  reverse=True)


def measure_size(events: int, seed: int, repeat: int, workdir: Path,
                 single_process: bool = False) -> dict:
    text = generate_timeline(events, seed)
    project = make_project(workdir / f"timeline-{events}", text)
    unlink_seed_records(project)
    baseline = make_baseline(workdir / f"baseline-{events}", project)
    ours, plain = [], []
    for _ in range(repeat):  # alternated, so drift in the machine's load hits both alike
        ours.append(timed_run(_timeline_command(), project, project / "site"))
        plain.append(timed_run(_mkdocs_command(), baseline, baseline / "site"))
    sizes = page_sizes(project / "site")
    # For the record: the same build with the rendering kept in one process.
    single = timed_run(_timeline_command(), project, project / "site",
                       TIMELINE_RENDER_PROCESSES="1") if single_process else None
    return {
        "single": single,
        "events": events, "yaml_bytes": len(text.encode("utf-8")),
        "build": min(r.wall for r in ours), "baseline": min(r.wall for r in plain),
        "build_cpu": min(r.cpu for r in ours), "baseline_cpu": min(r.cpu for r in plain),
        "builds": [round(r.wall, 1) for r in ours],
        "baselines": [round(r.wall, 1) for r in plain],
        "pages": len(sizes), "largest": sizes[0],
        "total_bytes": sum(size for size, _ in sizes),
        "baseline_pages": len(page_sizes(baseline / "site")),
    }


def measure_seed(runs: int, workdir: Path) -> list[float]:
    project = make_project(workdir / "seed", (ROOT / "events.yaml").read_text(encoding="utf-8"))
    return [timed_run(_timeline_command(), project, project / "site").wall for _ in range(runs)]


def _kb(size: int) -> str:
    return f"{size / 1024:.0f} KB"


def report(results: list[dict], seed_times: list[float]) -> tuple[str, bool]:
    small, large = results[0], results[-1]
    ratio = large["build"] / large["baseline"]
    scaling = large["build"] / small["build"]
    seed = statistics.median(seed_times)
    lines = [
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end.",
        "",
        "| events | YAML | `timeline build` | plain MkDocs, event pages only | ratio | "
        "CPU time, build / plain (ratio) | HTML pages (plain) | largest HTML page | all HTML |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in results:
        size, path = r["largest"]
        lines.append(
            f"| {r['events']:,} | {r['yaml_bytes'] / 1e6:.1f} MB | {r['build']:.1f} s | "
            f"{r['baseline']:.1f} s | {r['build'] / r['baseline']:.2f} | "
            f"{r['build_cpu']:.1f} s / {r['baseline_cpu']:.1f} s "
            f"({r['build_cpu'] / r['baseline_cpu']:.2f}) | {r['pages']:,} "
            f"({r['baseline_pages']:,}) | {_kb(size)} (`{path}`) | "
            f"{r['total_bytes'] / 1e6:.0f} MB |")
    checks = [
        (f"full build / plain MkDocs at {large['events']:,} events", f"{ratio:.2f}",
         f"<= {RATIO_TARGET}", ratio <= RATIO_TARGET),
        (f"{large['events']:,} events / {small['events']:,} events (full build)",
         f"{scaling:.1f}", f"<= {SCALING_TARGET:g}", scaling <= SCALING_TARGET),
        (f"largest HTML page at {large['events']:,} events", _kb(large["largest"][0]),
         f"<= {_kb(PAGE_TARGET)}", large["largest"][0] <= PAGE_TARGET),
        ("seed site, `timeline build` (median of "
         f"{len(seed_times)})", f"{seed:.2f} s", f"< {SEED_TARGET:g} s", seed < SEED_TARGET),
    ]
    if large["single"]:
        single = large["single"]
        lines += ["", f"At {large['events']:,} events with `TIMELINE_RENDER_PROCESSES=1` "
                  f"(rendering in one process), one run: {single.wall:.1f} s wall, "
                  f"{single.cpu:.1f} s CPU, {single.wall / large['baseline']:.2f} x the "
                  "plain build's best wall time."]
    lines += ["", "| target | measured | limit | met |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {name} | {value} | {limit} | {'yes' if ok else '**no**'} |"
              for name, value, limit, ok in checks]
    return "\n".join(lines), all(ok for *_, ok in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--seed", type=int, default=0, help="of the synthetic timelines")
    parser.add_argument("--repeat", type=int, default=1, help="timed builds of each kind")
    parser.add_argument("--seed-runs", type=int, default=5, help="timed builds of the seed")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)
    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="timeline-bench-site-"))
    try:
        seed_times = measure_seed(args.seed_runs, workdir)
        results = []
        for events in sizes:
            results.append(measure_size(events, args.seed, args.repeat, workdir,
                                        single_process=events == sizes[-1]))
            print(f"bench_site: {events:,} events: build {results[-1]['builds']}, "
                  f"baseline {results[-1]['baselines']}", file=sys.stderr)
        table, ok = report(results, seed_times)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
