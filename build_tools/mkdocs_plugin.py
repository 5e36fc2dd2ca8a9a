"""The MkDocs adapter: runs the pipeline before each build and routes content/ into the site.

It only routes: every decision lives in build_tools.pipeline, which never imports MkDocs. Which
pages a dirty build renders again is build_tools.mkdocs_incremental's part (the session below,
kept across the rebuilds of one `mkdocs serve` because the plugin has on_startup).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from build_tools import (
    feeds,
    mkdocs_incremental,
    mkdocs_preview,
    nlp,
    pipeline,
    routes,
    servenotice,
    siterecord,
    state,
    workers,
)
from build_tools.errors import MarginaliaError, printable
from build_tools.progress import ProgressBar

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
    session: mkdocs_incremental.Session | None = None
    snapshot: state.Snapshot | None = None  # the pipeline's last build, for the next one (pipeline.build)
    serving = False  # under `mkdocs serve`: problems are shown in the pages and never stop the server
    problems: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # this build's errors and warnings
    newest: tuple[dict[str, str], ...] = ()  # the latest articles the 404 page lists (feeds.newest)
    nav: Navigation | None = None  # this build's navigation and files, kept by a preview (mkdocs_preview)
    files: Files | None = None
    kept: mkdocs_preview.Kept | None = None  # the last build of a preview, for its next rebuild
    observer: Any = None  # the preview's watch of seeds/

    def __init__(self) -> None:
        super().__init__()
        self.raw: dict[str, str] = {}  # the body of each of our pages being read, by src URI
        self.later: list[Callable[[], None]] = []  # a preview's saves, run once the pages are written
        self.saving: threading.Thread | None = None

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return Path(config.config_file_path).parent / value

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """MkDocs keeps a plugin that has this method, and so its session and the pipeline's snapshot,
        across the rebuilds of `mkdocs serve`; a preview also loads the model at once, in the
        background, and keeps it for every seed it extracts."""
        self.serving = command == "serve"
        if command == "serve":
            workers.preload(
                nlp.model_name(), lambda s: log.info(f"marginalia: spaCy model loaded ({s:.1f} s)")
            )

    def _session(self, config: MkDocsConfig) -> mkdocs_incremental.Session:
        if self.session is None:
            cache = self._path(config, self.config.seeds).parent / pipeline.CACHE_DIR
            self.session = mkdocs_incremental.Session(siterecord.Records(cache), cache)
        return self.session

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._build_content(config)
        self._session(config).begin(config, self._digests())

    def _digests(self) -> dict[str, str]:
        """sha256 of each published file of content/, as the pipeline wrote it, by its site URI."""
        assert self.report is not None
        digests = self.report.changes.digests
        return {routes.site_uri(rel): digests[rel] for rel in self.published if routes.published(rel)}

    def _build_content(self, config: MkDocsConfig) -> None:
        self._saved()
        try:
            report = pipeline.build(
                self._path(config, self.config.seeds),
                self._path(config, self.config.content),
                discard_edits=self.config.discard_edits,
                progress=ProgressBar(write=log.info),  # the CLI's bar, a line at every tenth
                waiting=log.info,
                previous=self.snapshot,
                later=self.later if self.serving else None,  # a preview saves after the page is shown
            )
        except MarginaliaError as error:
            self._build_failed(error)
            return
        self._log_problems(report)
        self.published = report.changes.files
        # The snapshot (the whole archive, and the search index's shards) is for the next build of
        # this process: a preview's. A one-shot build lets it go before MkDocs renders every page.
        self.snapshot = report.snapshot if self.serving else None
        # Only what the feeds need: holding every Document through MkDocs' build makes each of
        # Python's full collections walk them all again (measured: about 1 s at 1,000 articles).
        self.newest = tuple(
            feeds.newest(report.documents)
        )  # the 404 page's: a dirty build reads no page for it
        latest = tuple(doc for _, doc in feeds.latest(report.documents))
        self.report = dataclasses.replace(report, documents=latest, snapshot=None)
        changes = report.changes
        log.info(f"marginalia: {len(report.documents)} articles, {len(changes.written)} files written")

    # -- problems: logged (and under `mkdocs serve`, shown in every page) ------------------------------
    def _log_problems(self, report: pipeline.BuildReport) -> None:
        # Every line is printable(): a newline in a file name must not forge a line of the log.
        warnings = tuple(printable(warning) for warning in report.warnings)
        errors = tuple(str(failure) for failure in report.failures)
        for warning in warnings:
            self._say(logging.WARNING, warning)  # `mkdocs build --strict` fails on these
        for error in errors:
            self._say(logging.ERROR, error)  # reported and skipped; --strict fails the build
        if report.cache_problem:
            log.info(printable(report.cache_problem))  # costs speed only: never a warning
        for notice in report.notices[:NOTICES]:  # derived headlines, undated articles: never a failure
            log.info(printable(notice))
        if len(report.notices) > NOTICES:
            log.info(f"marginalia: and {len(report.notices) - NOTICES} more notices like these")
        self.problems = (errors, warnings)

    def _build_failed(self, error: MarginaliaError) -> None:
        """The pipeline stopped before writing (a hand edit in content/): `mkdocs build` fails; a
        preview that has pages goes on showing them, with the error."""
        if not (self.serving and self.published):
            raise PluginError(str(error)) from error
        message = f"{error} (the preview shows the pages of the last build until this is fixed)"
        self._say(logging.ERROR, message)
        self.problems = ((message,), ())

    def _say(self, level: int, message: str) -> None:
        """Log through MkDocs. Under `mkdocs serve`, past strict mode's counter: strict mode counts
        every warning and aborts the rebuild, and after a failed rebuild MkDocs' server holds every
        request until a build succeeds, so the browser hangs. The page shows the problem instead."""
        if not self.serving:
            log.log(level, message)
            return
        if not log.isEnabledFor(level):
            return
        record = log.makeRecord(log.name, level, __file__, 0, message, (), None)
        for handler in logging.getLogger("mkdocs").handlers:
            if not isinstance(handler, CountHandler) and level >= handler.level:
                handler.handle(record)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The pipeline's pages are HTML already (render and site escape every text they hold), so
        Python-Markdown is not run on them: it would parse each HTML block twice (md_in_html, and
        MkDocs' anchor collection) to give it back as it was. Measured at 1,000 articles: every
        page of site/ byte-identical, the full build 29 s -> 18.5 s, and a preview rebuild that
        renders 150 profile pages three times faster. The hand-written pages of docs/ are Markdown."""
        if page.file.src_dir is None:  # generated (File.generated): ours; docs/' pages have their folder
            self.raw[page.file.src_uri] = markdown
            return ""
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Under `mkdocs serve`, every page opens with the build's problems; a built site never does."""
        raw = self.raw.pop(page.file.src_uri, None)
        if raw is not None:
            html = raw.strip("\n")
        return servenotice.banner(*self.problems) + html if self.serving else html

    @event_priority(100)  # before other plugins, so search, tags and feeds see our pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """The files this build made, never whatever else lies in content/ (an old page of a removed
        article stays unpublished even when no manifest remembers it)."""
        for file in self._files(config):
            files.append(file)
        self._session(config).track_docs(files, config)
        return files

    def _files(self, config: MkDocsConfig) -> list[File]:
        session = self._session(config)
        return [session.file(config, uri, path) for uri, path in self._sources(config).items()]

    def _sources(self, config: MkDocsConfig) -> dict[str, Path]:
        """The site's source URI of each published file of content/ this build made, and the file."""
        content = self._path(config, self.config.content)
        return {
            routes.site_uri(rel): content / rel for rel in sorted(self.published) if routes.published(rel)
        }

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        env = self._session(config).keep_env(env, files)
        self.files = files
        env.globals["marginalia_newest"] = self.newest
        return env

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
        self._session(config).finish(config)
        if self.serving and self.nav and self.files and self.session and self.session.env:
            ours = set(self._sources(config))
            self.kept = mkdocs_preview.kept(config, self.files, self.nav, self.session.env, ours)
            mkdocs_preview.settle()
        self._save()

    def _save(self) -> None:
        """What the pipeline left for later (the snapshot on disk, for the next process), in the
        background: the preview's page is written already."""
        todo, self.later[:] = list(self.later), []
        if todo:
            self.saving = threading.Thread(target=lambda: [run() for run in todo], daemon=False)
            self.saving.start()

    def _saved(self) -> None:
        """Every save of the last build done (in order: each writes what differs from the one
        before), before the next build: the one running, and any left by a build that failed."""
        if self.saving is not None:
            self.saving.join()
            self.saving = None
        todo, self.later[:] = list(self.later), []
        for run in todo:
            run()

    # -- the preview (mkdocs serve) -------------------------------------------------------------------
    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Rebuilds after a change in seeds/ go through mkdocs_preview, which redoes only what changed,
        and seeds/ is watched by notification rather than polled."""
        server.builder = mkdocs_preview.builder(self._preview, builder)
        self.observer = mkdocs_preview.watch(server, config, self._path(config, self.config.seeds))
        return server

    def on_shutdown(self) -> None:
        if self.observer is not None:
            self.observer.stop()
        self._save()
        self._saved()
        if self.serving and self.session is not None and self.kept is not None:
            # `mkdocs serve` builds into a temporary folder it removes as it exits: its record goes too
            self.session.records.forget(Path(self.kept.config.site_dir))
        pipeline.exiting()

    def _preview(self) -> bool:
        """The pipeline, then MkDocs' part for the files it changed; False when MkDocs' own rebuild
        is needed (anything but seeds/ changed, or the problems every page shows)."""
        kept, session = self.kept, self.session
        if kept is None or session is None:
            return False
        now = mkdocs_incremental.fingerprint(kept.config)  # once: it reads docs/, the theme and the code
        if not kept.usable(now, session.fingerprint):
            return False
        config, problems = kept.config, self.problems
        self._build_content(config)
        if self.problems != problems or self.report is None:
            return False
        if session.begin(config, self._digests(), now).everything:  # site/ emptied: every page to render
            return False
        kept.update(self._sources(config), session)
        rendered = kept.render(self.on_env(kept.env, config=config, files=kept.files))
        self.on_post_build(config=config)
        log.info(f"marginalia: preview: {rendered} pages rendered again")
        return True
