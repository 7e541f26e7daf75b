"""The commands for editing by pull request: `timeline diff`, `timeline new`, `timeline rehearse`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from builder.records.model import STATUSES

DEFAULT_FILE = "events.yaml"


@click.command("diff")
@click.argument("base")
@click.argument("head", required=False)
@click.option("--file", "file", default=DEFAULT_FILE, show_default=True,
              help="The records file inside the repository, for git revisions.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the summary to this file instead of printing it.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True,
              help="The most entries one list of the summary shows.")
def diff(base: str, head: str | None, file: str, output: str | None, limit: int) -> None:
    """Summarise in Markdown what changed in the timeline from BASE to HEAD.

    BASE and HEAD are git revisions (a branch, a tag, a commit) whose FILE is compared, or
    two files. Without HEAD, FILE as it is in the working tree now. The summary lists events
    added, removed and changed field by field; sources, actors, places and narratives added,
    removed or changed; and the problems the change introduces.

    Exit status: 0 when the summary was written, 2 when a version cannot be read.
    """
    from builder.editing.diff import VersionError, diff_versions, render_markdown

    try:
        result, base_label, head_label = diff_versions(base, head, file)
    except (VersionError, OSError) as error:
        click.echo(f"timeline: {error}", err=True)
        sys.exit(2)
    text = render_markdown(result, base_label, head_label, limit=limit)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


def _ask(value, label: str, interactive: bool, missing: list[str], flag: str, **prompt):
    if value is not None:
        return value
    if interactive:
        return click.prompt(label, **prompt)
    missing.append(flag)
    return None


@click.command("new")
@click.option("--file", "file", default=DEFAULT_FILE, show_default=True,
              type=click.Path(dir_okay=False), help="The records file to add the event to.")
@click.option("--date", "when", help="When it happened: YYYY-MM-DD, YYYY-MM, YYYY, a span "
                                     "A/B, with ~ (approximate) or ? (uncertain).")
@click.option("--title", help="A one-line title.")
@click.option("--summary", help="What happened, in a few sentences (inline Markdown).")
@click.option("--status", type=click.Choice(STATUSES), help="How well established it is.")
@click.option("--source", "sources", multiple=True, help="The id of a source already listed "
                                                         "under 'sources' (repeatable).")
@click.option("--quote", help="A quote from the first source that supports the event.")
@click.option("--place", help="The id of a place listed under 'places'.")
@click.option("--actor", "actors", multiple=True, help="The id of an actor (repeatable).")
@click.option("--tag", "tags", multiple=True, help="A tag, like 'military' (repeatable).")
@click.option("--id", "ident", help="The event's id (default: made from the title).")
@click.option("--url", help="A new source: its web address.")
@click.option("--publisher", help="A new source: who published it.")
@click.option("--source-title", help="A new source: its title or headline.")
@click.option("--published", help="A new source: when it was published (YYYY-MM-DD).")
@click.option("--dry-run", is_flag=True, help="Print the new file instead of writing it.")
@click.option("--interactive/--no-interactive", default=None,
              help="Ask for what is missing (default: when run in a terminal).")
def new(file: str, when, title, summary, status, sources, quote, place, actors, tags, ident,
        url, publisher, source_title, published, dry_run: bool, interactive) -> None:
    """Add an event to FILE, in date order, leaving the rest of the file as it was.

    Cite sources already in the file with --source, or describe a new source with --url,
    --publisher, --source-title and --published; a new source gets today's date as its
    access date. In a terminal, whatever is missing is asked for.

    Exit status: 0 when the event was added, 1 when it could not be, 2 on a usage error.
    """
    from builder.editing.scaffold import NewEvent, NewSource, ScaffoldError, add_event
    from builder.records.store import ChangedMeanwhile, read_snapshot, replace_if_unchanged

    if interactive is None:
        interactive = sys.stdin.isatty()
    path = Path(file)
    try:
        snapshot = read_snapshot(path)
        text = snapshot.text
    except (OSError, UnicodeDecodeError) as error:
        click.echo(f"timeline: cannot read {file}: {getattr(error, 'strerror', None) or error}",
                   err=True)
        sys.exit(2)
    missing: list[str] = []
    when = _ask(when, "Date (YYYY-MM-DD, YYYY-MM or YYYY)", interactive, missing, "--date")
    title = _ask(title, "Title", interactive, missing, "--title")
    summary = _ask(summary, "Summary", interactive, missing, "--summary")
    status = _ask(status, "Status", interactive, missing, "--status",
                  type=click.Choice(STATUSES), default="reported")
    new_source = None
    if any((url, publisher, source_title, published)):
        publisher = _ask(publisher, "Publisher of the new source", interactive, missing,
                         "--publisher")
        source_title = _ask(source_title, "Title of the new source", interactive, missing,
                            "--source-title")
        published = _ask(published, "Publication date of the new source (YYYY-MM-DD)",
                         interactive, missing, "--published")
        if not missing:
            new_source = NewSource(source_title, publisher, published, url or None)
    elif not sources:
        if interactive:
            sources = tuple(click.prompt("Source id (an id listed under 'sources')").split())
        else:
            missing.append("--source (or --url, --publisher, --source-title, --published)")
    if missing:
        click.echo(f"timeline: missing {', '.join(missing)}; give them as options, or run "
                   "the command in a terminal to be asked", err=True)
        sys.exit(2)
    event = NewEvent(when.strip(), title.strip(), summary.strip(), status, tuple(sources),
                     place or None, tuple(actors), tuple(tags), quote or None, ident,
                     new_source)
    try:
        added = add_event(text, event, date.today(), path.as_posix())
    except ScaffoldError as error:
        click.echo(f"timeline: cannot add the event: {error}", err=True)
        sys.exit(1)
    if dry_run:
        click.echo(added.text, nl=False)
        return
    try:
        # The prompts may take minutes: an edit saved meanwhile is kept, not overwritten.
        replace_if_unchanged(snapshot, added.text)
    except ChangedMeanwhile as error:
        click.echo(f"timeline: {error}", err=True)
        sys.exit(1)
    made = f" and source '{added.source_id}'" if added.source_id else ""
    click.echo(f"timeline: added event '{added.event_id}'{made} at line {added.line} of {file}",
               err=True)


@click.command("rehearse")
@click.argument("base")
@click.argument("head", required=False)
@click.option("--file", "file", default=DEFAULT_FILE, show_default=True,
              help="The records file inside the repository.")
@click.option("-o", "--out", default=".site-rehearsal", show_default=True,
              type=click.Path(file_okay=False), help="Where to put the site and the summary "
                                                     "(emptied first).")
@click.option("--base-label", help="What to call BASE in the summary (default: BASE).")
@click.option("--head-label", help="What to call HEAD in the summary (default: HEAD).")
def rehearse(base: str, head: str | None, file: str, out: str, base_label: str | None,
             head_label: str | None) -> None:
    """Run the pull request checks locally: the records of HEAD, its site, the summary.

    The same steps as the pull request workflow, for two git revisions: check HEAD's
    records (with GitHub annotations), build its site with `mkdocs build --strict` into
    OUT/site, and write the change summary from BASE to HEAD into OUT/summary.md. Without
    HEAD, the working tree is checked as it is.

    Exit status: 0 when the records check and the site builds, 1 when not, 2 when a
    revision cannot be read.
    """
    from builder.editing.diff import VersionError
    from builder.editing.rehearse import RehearsalError
    from builder.editing.rehearse import rehearse as run

    try:
        result = run(base, head, Path(out), file, echo=click.echo, base_label=base_label,
                     head_label=head_label)
    except (VersionError, RehearsalError) as error:
        click.echo(f"timeline: {error}", err=True)
        sys.exit(2)
    click.echo(f"timeline: change summary in {result.summary}")
    if result.site is not None:
        click.echo(f"timeline: site in {result.site} (open {result.site / 'index.html'})")
    sys.exit(0 if result.ok else 1)
