"""MkDocs adapter: check the records, then add the rendered pages as generated files.

The records are checked in ``on_config``, before MkDocs cleans or writes anything, so a file
with errors stops the build with every problem listed and leaves ``site/`` untouched.
"""

from __future__ import annotations

import logging
import zlib
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File
from mkdocs.structure.nav import Section
from mkdocs.utils.meta import get_data

from builder.site import budget
from builder.site import eventlinks
from builder.records.check import check_file
from builder.site.rawblocks import RawBlocks
from builder.site.render import RenderedSite, render_site
from builder.site.sanitize import Sanitizer, page_title
from builder.records.report import summary_line, text_report

log = logging.getLogger("mkdocs.plugins.timeline")


class TimelineConfig(Config):
    events = c.Type(str, default="events.yaml")
    templates = c.Type(str, default="templates")
    # MiB a build may need; a bigger timeline is refused before anything is built.
    memory_limit = c.Type(int, default=budget.DEFAULT_LIMIT_MIB)


class TimelinePlugin(BasePlugin[TimelineConfig]):
    def __init__(self):
        self.site: RenderedSite | None = None
        self._generated: set[str] = set()  # source paths of the pages made from the records
        self._unsearchable: set[str] = set()
        self._raw: dict[str, RawBlocks] = {}  # raw HTML set aside while Markdown runs, by page
        self._waiting: dict[str, bytes] = {}  # compressed HTML of pages not yet written
        self.sanitizer: Sanitizer | None = None

    def _path(self, config, value: str) -> Path:
        return (Path(config.config_file_path).parent / value).resolve()

    def on_config(self, config):
        self._waiting = {}  # left over from a build that failed half-way (serve)
        events, templates = (self._path(config, self.config.events),
                             self._path(config, self.config.templates))
        try:
            result = check_file(events, display=self.config.events)
        except OSError as error:
            raise PluginError(f"cannot read {self.config.events}: {error.strerror}") from None
        for warning in result.warnings:
            log.warning(text_report([warning]))
        if not result.ok:
            raise PluginError("the timeline records have problems; nothing was built:\n"
                              + text_report(result.problems) + "\n"
                              + f"{self.config.events}: {summary_line(result.problems)}")
        estimate = budget.build_estimate(len(result.timeline.events), events.stat().st_size,
                                         self.config.memory_limit)
        if not estimate.fits:
            raise PluginError(estimate.explanation(self.config.events))
        # A second process renders a big timeline's pages faster, if there is memory for it.
        second_process = estimate.room_for_second_process(budget.peak_so_far_mib())
        if not second_process:
            log.info("timeline: the pages are rendered in this process, since a second one "
                     "would not fit within memory_limit")
        # serve sets site_url to its own address, so previews cite what they show.
        self.site = render_site(result.timeline, templates, site_url=config.site_url,
                                stream=True, second_process=second_process)
        self.event_ids = result.timeline.events_by_id
        self.describe_event = eventlinks.date_describer(result.timeline, templates)
        self.sanitizer = Sanitizer.for_templates(templates)
        config.watch.extend([str(events), str(templates)])
        return config

    def on_files(self, files, config):
        self._generated = {page.path for page in self.site.pages}
        self._unsearchable = {page.path for page in self.site.pages if not page.searchable}
        # A generated page gets its text only in on_page_markdown, when MkDocs converts it:
        # the whole site's Markdown is never held at once.
        for page in self.site.pages:
            files.append(File.generated(config, page.path, content=""))
        for path, content in self.site.files.items():
            files.append(File.generated(config, path, content=content))
        self.site.pages = []  # MkDocs holds the pages now; a second reference doubles memory
        return files

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.src_uri in self._generated:
            # Rendered now, or meanwhile by a second process: its text, front matter too.
            markdown, meta = get_data(self.site.pending.content(page.file.src_uri))
            page.meta.update(meta)
        # Listing pages repeat what the event pages say; leaving them out of the search index
        # makes every result lead to an event's permanent page.
        if page.file.src_uri in self._unsearchable:
            page.meta["search"] = {"exclude": True}
        if page.file.src_uri not in self._generated:
            markdown = self._link_events(markdown, page, config)
        else:
            self._raw[page.file.src_uri] = raw = RawBlocks()
            markdown = raw.set_aside(markdown)
        return markdown

    def on_post_build(self, config):
        self._stop_helper()

    def on_build_error(self, error):
        self._stop_helper()

    def _stop_helper(self) -> None:
        if self.site is not None and self.site.pending is not None:
            self.site.pending.close()

    def _link_events(self, markdown, page, config) -> str:
        """Hand-written pages link events as [text](event:id); an unknown id stops the build."""
        where = eventlinks.display_path(config.docs_dir, page.file.src_path,
                                        str(Path(config.config_file_path).parent))
        first_line = 1 + eventlinks.front_matter_lines(page.file.content_string, markdown)
        markdown, problems = eventlinks.rewrite_event_links(
            markdown, page.file.src_uri, self.event_ids, self.describe_event, where, first_line)
        if problems:
            raise PluginError(f"{where} has event links that do not work:\n"
                              + text_report(problems))
        return markdown

    @event_priority(-100)  # last: the HTML is put away at the end of this step
    def on_page_content(self, html, page, config, files):
        # Second wall for pages made from the records: whatever the templates let through,
        # nothing active survives; and the title is text that no theme filter can revive.
        if page.file.src_uri not in self._generated:
            return html
        html = self._raw.pop(page.file.src_uri).put_back(html)
        page.meta["title"] = page_title(page.title)
        # MkDocs keeps every page until the last one is written. The Markdown is not needed
        # once it is HTML, and the HTML waits compressed (a sixth of its size) until the page
        # is written: a big timeline's build then needs a fraction of the memory.
        page.markdown = ""
        page.file.content_string = ""
        self._waiting[page.file.src_uri] = zlib.compress(
            self.sanitizer.clean(html).encode("utf-8"), 1)
        return ""

    @event_priority(100)  # before the search plugin and the theme read the page
    def on_page_context(self, context, page, config, nav):
        waiting = self._waiting.pop(page.file.src_uri, None)
        if waiting is not None:
            page.content = zlib.decompress(waiting).decode("utf-8")
        return context

    @event_priority(-100)  # once every plugin has seen the written page
    def on_post_page(self, output, page, config):
        if page.file.src_uri in self._generated:
            page.content = ""
        return output

    def on_nav(self, nav, config, files):
        for title, entries in self.site.nav.items():
            pages = [files.get_file_from_path(path).page for _, path in entries]
            if not pages:
                continue
            section = Section(title, pages)
            for page in pages:
                page.parent = section
            position = next((i + 1 for i, item in enumerate(nav.items)
                             if getattr(item, "file", None) is not None
                             and item.file.src_uri == "timeline/index.md"), len(nav.items))
            nav.items.insert(position, section)
            nav.pages.extend(pages)
        return nav
