"""The `timeline` command: a thin adapter over the checking and building pipeline."""

from __future__ import annotations

import sys

import click

from builder.records.check import check_file
from builder.records.report import REPORTERS, summary_line

DEFAULT_FILE = "events.yaml"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sourced-timeline", prog_name="timeline")
def main() -> None:
    """Check sourced timeline records and publish them as a website."""


@main.command()
@click.argument("file", default=DEFAULT_FILE, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text",
              show_default=True, help="How to print the problems.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(file: str, fmt: str, strict: bool) -> None:
    """Check FILE (default: events.yaml) and report every problem at once.

    Exit status: 0 when there is no error, 1 when there are errors (or warnings with
    --strict), 2 when the file cannot be read.
    """
    try:
        result = check_file(file)
    except OSError as error:
        click.echo(f"timeline: cannot read {file}: {error.strerror or error}", err=True)
        sys.exit(2)
    output = REPORTERS[fmt](result.problems)
    if output:
        click.echo(output)
    if fmt == "text":
        click.echo(f"{file}: {summary_line(result.problems)}", err=True)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    sys.exit(1 if failed else 0)


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
              type=click.Path(dir_okay=False), help="The MkDocs configuration.")
@click.option("-d", "--site-dir", default=None, help="Where to put the site (default: site/).")
@click.option("--events", "events_file", default=DEFAULT_FILE, show_default=True,
              type=click.Path(dir_okay=False), help="The records to check first.")
@click.option("-v", "--verbose", is_flag=True, help="Show every step MkDocs takes.")
def build(config_file: str, site_dir: str | None, events_file: str, verbose: bool) -> None:
    """Check the records, then build the site with MkDocs (strict).

    The site is written to a temporary folder and moved into place only when complete, so a
    failed build leaves the previous site as it was.
    """
    from builder.publish.build import BuildFailed, build_site, configure_logging, timed

    click.echo(f"timeline: checking {events_file} ...", err=True)
    try:
        result = check_file(events_file)
    except OSError as error:
        click.echo(f"timeline: cannot read {events_file}: {error.strerror or error}", err=True)
        sys.exit(2)
    if result.problems:
        click.echo(REPORTERS["text"](result.problems))
    if not result.ok:
        click.echo(f"{events_file}: {summary_line(result.problems)}; nothing was built",
                   err=True)
        sys.exit(1)
    timeline = result.timeline
    click.echo(f"timeline: {len(timeline.events)} events, {len(timeline.sources)} sources; "
               "building the site with MkDocs ...", err=True)
    configure_logging(verbose)
    try:
        target, seconds = timed(build_site, config_file, site_dir)
    except BuildFailed as error:
        click.echo(f"timeline: the build failed ({error}); the previous site is unchanged",
                   err=True)
        sys.exit(1)
    click.echo(f"timeline: site written to {target} in {seconds:.1f} s", err=True)


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
              type=click.Path(dir_okay=False), help="The MkDocs configuration.")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True,
              help="Address to serve on.")
def serve(config_file: str, dev_addr: str) -> None:
    """Serve the site locally, rebuilding when events.yaml, a template or a page changes."""
    from builder.publish.build import configure_logging, serve_site

    configure_logging(verbose=True)
    serve_site(config_file, dev_addr)


# Editing by pull request: the change summary, a new event, the pull request checks rehearsed.
from builder.cli.editing import diff, new, rehearse  # noqa: E402

for _command in (diff, new, rehearse):
    main.add_command(_command)
