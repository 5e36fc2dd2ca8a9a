"""The preview's rebuild (`mkdocs serve`): after a change in seeds/, MkDocs' part redone only for the
files the pipeline changed.

On every change MkDocs builds a served site from the start: it reads the configuration again, walks
the theme's files, makes a File and a Page of each of the archive's pages and the navigation, and
only then renders the pages its dirty build finds changed. At 1,000 articles that walk is about a
second of every rebuild, at 10,000 several, and a change in seeds/ changes none of it except the
plugin's own files. So the preview keeps what the last build made (configuration, files,
navigation, the theme's environment) and, after the pipeline, brings the files up to date (a page
added, one removed, which changed) and renders with MkDocs' own functions exactly what its dirty
build would (mkdocs_incremental decides which; the hand-written pages of docs/ every time, as a
dirty build does). Whenever anything else may have changed — mkdocs.yml, docs/, the theme, the
code, the problems every page shows — `usable()` says no and MkDocs' own rebuild runs, as before.

Seeds are watched by the system's notification of a change (inotify, through watchdog) instead of
MkDocs' polling every half second, which would be part of every wait.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import watchdog.events
import watchdog.observers
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from build_tools import mkdocs_incremental, pipeline

log = logging.getLogger("mkdocs.plugins.marginalia")


def _stat(path: str | None) -> tuple[int, int] | None:
    try:
        found = os.stat(path) if path else None
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns) if found else None


@dataclass
class Kept:
    """What the last build of this preview made, for the next to reuse."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    ours: frozenset[str]  # the src URIs of the plugin's files in `files`
    config_file: tuple[int, int] | None  # mkdocs.yml's size and time when it was read

    def usable(self, now: str, last: str) -> bool:
        """Nothing but the plugin's files can have changed: the same mkdocs.yml, the same fingerprint
        now as the last build's (docs/, the theme, the code, the versions) and only the plugin among
        the plugins."""
        return (
            _stat(self.config.config_file_path) == self.config_file
            and now == last
            and set(self.config.plugins) <= mkdocs_incremental.KNOWN_PLUGINS
        )

    def update(self, wanted: dict[str, Path], session: mkdocs_incremental.Session) -> None:
        """The plugin's files (src URI -> file of content/, in the order on_files adds them) as this
        build makes them: new ones added (with their Page), those no longer made gone, and each kept
        File (and its Page) told whether to render it again. Kept Files are not made again:
        thousands, and nothing of one changes but that. The order is a full build's (the theme's
        and docs/' other files, the plugin's, then the pages of docs/): the sitemap lists the pages
        in it."""
        ours: list[File] = []
        added: list[File] = []
        for uri, path in wanted.items():
            old = self.files.get_file_from_path(uri) if uri in self.ours else None
            if isinstance(old, mkdocs_incremental.Tracked):
                old.modified = session.modified(old)
                ours.append(old)
            else:
                added.append(session.file(self.config, uri, path))
                ours.append(added[-1])
        set_exclusions(added, self.config)
        for file in added:
            if file.is_documentation_page():
                Page(None, file, self.config)  # not in the navigation: the nav names only docs/ and sections
        rest = [f for f in self.files if f.src_uri not in self.ours]
        docs = [f for f in rest if isinstance(f, mkdocs_incremental.Tracked)]  # track_docs's, put last
        others = [f for f in rest if not isinstance(f, mkdocs_incremental.Tracked)]
        self.files = Files([*others, *ours, *docs])
        self.ours = frozenset(wanted)

    def render(self, env: jinja2.Environment) -> int:
        """MkDocs' build from reading the pages on, for the pages it would render again; how many."""
        config, files, nav = self.config, self.files, self.nav
        inclusion = InclusionLevel.is_in_serve
        pages = [f for f in files.documentation_pages(inclusion=inclusion) if f.is_modified()]
        for file in pages:
            assert file.page is not None
            mkdocs_build._populate_page(file.page, config, files, dirty=True)
        files.copy_static_files(dirty=True, inclusion=inclusion)
        for template in config.theme.static_templates:
            mkdocs_build._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            mkdocs_build._build_extra_template(template, files, config, nav)
        doc_files = files.documentation_pages(inclusion=inclusion)
        for file in pages:
            assert file.page is not None
            excluded = file.inclusion.is_excluded()
            mkdocs_build._build_page(file.page, config, doc_files, nav, env, dirty=True, excluded=excluded)
        return len(pages)


def kept(
    config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment, ours: set[str]
) -> Kept:
    for file in files.documentation_pages():
        if file.page is not None:  # rendered and written: what is kept is its place, title and address
            file.page.markdown = file.page.content = None
    return Kept(config, files, nav, env, frozenset(ours), _stat(config.config_file_path))


CHANGES = frozenset(
    {
        watchdog.events.EVENT_TYPE_CREATED,
        watchdog.events.EVENT_TYPE_DELETED,
        watchdog.events.EVENT_TYPE_MODIFIED,
        watchdog.events.EVENT_TYPE_MOVED,
        watchdog.events.EVENT_TYPE_CLOSED,  # closed after writing
    }
)


# -- watching seeds/ ------------------------------------------------------------------------------------
def watch(server: Any, config: MkDocsConfig, folder: Path) -> watchdog.observers.api.BaseObserver | None:
    """Watch `folder` by notification and ask the server for a rebuild on any change, as MkDocs' own
    watch does; MkDocs' polling of it is dropped. None (MkDocs polls it, as before) when this
    version of MkDocs' server is not the one this was written against."""
    condition = getattr(server, "_rebuild_cond", None)
    if not isinstance(condition, threading.Condition) or not hasattr(server, "_want_rebuild"):
        return None

    def changed(event: watchdog.events.FileSystemEvent) -> None:
        # Notification also reports a file opened or read (the pipeline reading a seed), which
        # MkDocs' polling never sees: only what changes a file asks for a rebuild.
        if event.is_directory or event.event_type not in CHANGES:
            return
        with condition:
            server._want_rebuild = True
            condition.notify_all()

    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = changed  # type: ignore[method-assign]
    observer = watchdog.observers.Observer()
    try:
        observer.schedule(handler, str(folder), recursive=True)
        observer.start()
    except OSError:  # no inotify watch left (the system's limit): MkDocs' polling, as before
        return None
    config.watch[:] = [w for w in config.watch if Path(w).resolve() != folder.resolve()]
    return observer


def builder(quick: Callable[[], bool], full: Callable[[], None]) -> Callable[[], None]:
    """The server's builder: the preview's rebuild, or MkDocs' own when it says it cannot."""

    def rebuild() -> None:
        try:
            with pipeline.without_gc():  # the rebuild makes many objects and no cycles (pipeline.build)
                done = quick()
        except Exception as error:  # a bug here must cost speed, not the preview: MkDocs rebuilds it all
            log.error(
                f"marginalia: the preview's rebuild failed ({type(error).__name__}: {error}); rebuilding all"
            )
            done = False
        if not done:
            gc.unfreeze()  # the last build's files and pages become garbage here, cycles included
            full()

    return rebuild


def settle() -> None:
    """After each build of the preview: what the server keeps (the archive, MkDocs' files and pages,
    the model) is moved out of the cyclic collector's reach until MkDocs' own rebuild replaces
    it. Each collection would otherwise walk all of it again, a pause of up to half a second at
    1,000 articles at any moment of a rebuild. The preview's own rebuilds make almost no cycles."""
    gc.freeze()
