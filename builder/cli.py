"""The `timeline` command: a thin adapter over the checking and building pipeline."""

from __future__ import annotations

import sys

import click

from builder.check import check_file
from builder.report import REPORTERS, summary_line

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
