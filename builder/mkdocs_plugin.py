"""MkDocs adapter: check the records, then add the rendered pages as generated files.

The records are checked in ``on_config``, before MkDocs cleans or writes anything, so a file
with errors stops the build with every problem listed and leaves ``site/`` untouched.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.structure.nav import Section

from builder.check import check_file
from builder.render import RenderedSite, render_site
from builder.report import summary_line, text_report

log = logging.getLogger("mkdocs.plugins.timeline")


class TimelineConfig(Config):
    events = c.Type(str, default="events.yaml")
    templates = c.Type(str, default="templates")


class TimelinePlugin(BasePlugin[TimelineConfig]):
    def __init__(self):
        self.site: RenderedSite | None = None

    def _path(self, config, value: str) -> Path:
        return (Path(config.config_file_path).parent / value).resolve()

    def on_config(self, config):
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
        self.site = render_site(result.timeline, templates)
        config.watch.extend([str(events), str(templates)])
        return config

    def on_files(self, files, config):
        for page in self.site.pages:
            files.append(File.generated(config, page.path, content=page.content))
        for path, content in self.site.files.items():
            files.append(File.generated(config, path, content=content))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        # Listing pages repeat what the event pages say; leaving them out of the search index
        # makes every result lead to an event's permanent page.
        if page.file.src_uri in self._unsearchable:
            page.meta["search"] = {"exclude": True}
        return markdown

    @property
    def _unsearchable(self) -> set[str]:
        return {p.path for p in self.site.pages if not p.searchable}

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
