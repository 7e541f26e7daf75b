"""How much memory a site build will need, known before it starts.

MkDocs holds the whole site until it writes the last page, so a build's memory grows with
the timeline. A build that would not fit is refused at once with a clear message, rather
than failing or thrashing minutes later. The figures were measured with
``benchmarks/bench_large.py`` (see BENCHMARKS.md, "Large files"): the peak resident memory
of ``timeline build`` on generated timelines of 10 to 50 MB and on 50,000 and 100,000 small
events lies between 7 % under ``BASE + PER_1000_EVENTS * events/1000 + PER_MB * megabytes``
and exactly on it.
"""

from __future__ import annotations

from dataclasses import dataclass

BASE_MIB = 77.0  # the interpreter, MkDocs, Material and the templates
PER_1000_EVENTS_MIB = 12.3  # each event's page, its place in the search index and listings
PER_MB_MIB = 20.1  # the text of the records: checked model, pages, data files, search
DEFAULT_LIMIT_MIB = 2048
MARGIN = 0.93  # the estimate must stay this far under the limit: it is a fit, not a bound


@dataclass(frozen=True)
class Estimate:
    events: int
    yaml_bytes: int
    limit_mib: int

    @property
    def needed_mib(self) -> float:
        return (BASE_MIB + PER_1000_EVENTS_MIB * self.events / 1000
                + PER_MB_MIB * self.yaml_bytes / 1e6)

    @property
    def fits(self) -> bool:
        return self.needed_mib <= self.limit_mib * MARGIN

    def room_for_second_process(self, peak_so_far_mib: float) -> bool:
        """Whether a second rendering process still fits. Forked from this one, it starts as
        a copy of it and soon owns all of that copy (reference counting writes to every
        object it reads), and it lives until the last page is rendered."""
        return self.needed_mib + peak_so_far_mib <= self.limit_mib * MARGIN

    def explanation(self, path: str) -> str:
        return (f"{path}: this timeline is too large to build within the memory limit of "
                f"{self.limit_mib:,} MiB. Its {self.events:,} events in "
                f"{self.yaml_bytes / 1e6:.1f} MB would need about {self.needed_mib:,.0f} MiB "
                f"(about {PER_1000_EVENTS_MIB:g} MiB for every 1,000 events and "
                f"{PER_MB_MIB:g} MiB for every MB of records). Nothing was built. Split the "
                "records into smaller timelines, or, on a machine with more memory, raise "
                "`memory_limit` of the timeline plugin in mkdocs.yml.")


def peak_so_far_mib() -> float:
    """The most memory this process has held so far (ru_maxrss counts KiB on Linux)."""
    try:
        import resource
    except ImportError:  # not a Unix: no second process is forked there anyway
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_estimate(events: int, yaml_bytes: int,
                   limit_mib: int = DEFAULT_LIMIT_MIB) -> Estimate:
    return Estimate(events, yaml_bytes, limit_mib)
