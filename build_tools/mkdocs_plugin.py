"""The MkDocs adapter: runs the pipeline before each build and routes content/ into the site.

It only routes: every decision lives in build_tools.pipeline, which never imports MkDocs.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from build_tools import feeds, pipeline, routes
from build_tools.errors import MarginaliaError, printable

log = logging.getLogger("mkdocs.plugins.marginalia")
NOTICES = 20  # notices printed by a build; an archive can have thousands


class MarginaliaConfig(Config):
    seeds = c.Type(str, default="seeds")
    """Folder of raw articles (`<slug>.txt`) and editors' sidecars (`<slug>.yml`), relative to mkdocs.yml."""
    content = c.Type(str, default="content")
    """Folder the pipeline writes; its pages are added to the site."""
    discard_edits = c.Type(bool, default=False)
    """Overwrite hand edits in `content/` instead of stopping the build."""


class MarginaliaPlugin(BasePlugin[MarginaliaConfig]):
    report: pipeline.BuildReport | None = None
    published: tuple[str, ...] = ()  # the content/ files this build wrote or kept

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return Path(config.config_file_path).parent / value

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        try:
            report = pipeline.build(
                self._path(config, self.config.seeds),
                self._path(config, self.config.content),
                discard_edits=self.config.discard_edits,
                waiting=log.info,
            )
        except MarginaliaError as error:
            raise PluginError(str(error)) from error
        # Every line is printable(): a newline in a file name must not forge a line of the log.
        for warning in report.warnings:
            log.warning(printable(warning))  # `mkdocs build --strict` fails on these
        for failure in report.failures:
            log.error(str(failure))  # reported and skipped; --strict fails the build
        if report.cache_problem:
            log.info(printable(report.cache_problem))  # costs speed only: never a warning
        for notice in report.notices[:NOTICES]:  # derived headlines, undated articles: never a failure
            log.info(printable(notice))
        if len(report.notices) > NOTICES:
            log.info(f"marginalia: and {len(report.notices) - NOTICES} more notices like these")
        self.published = report.changes.files
        # Only what the feeds need: holding every Document through MkDocs' build makes each of
        # Python's full collections walk them all again (measured: about 1 s at 1,000 articles).
        latest = tuple(doc for _, doc in feeds.latest(report.documents))
        self.report = dataclasses.replace(report, documents=latest)
        changes = report.changes
        log.info(f"marginalia: {len(report.documents)} articles, {len(changes.written)} files written")

    @event_priority(100)  # before other plugins, so search, tags and feeds see our pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """The files this build made, never whatever else lies in content/ (an old page of a removed
        article stays unpublished even when no manifest remembers it)."""
        content = self._path(config, self.config.content)
        for rel in sorted(self.published):
            if routes.published(rel):
                path = content / rel
                files.append(File.generated(config, routes.site_uri(rel), abs_src_path=str(path)))
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Feeds (RSS and JSON Feed) of the articles just built."""
        if self.report is None:
            return
        site = Path(config.site_dir)
        feeds.write(
            site,
            self.report.documents,
            site_url=config.site_url or "",
            title=config.site_name,
            description=config.site_description or "",
        )
