"""The plugin's half that makes MkDocs' dirty builds exact (`mkdocs serve --dirty`, `mkdocs build --dirty`).

MkDocs renders every page of the archive on every build; with `--dirty` it renders only pages whose
source is newer than their output, and gets the rest wrong (build_tools/siterecord.py says how).
Here the plugin tells MkDocs which pages to render: each file it adds is a `Tracked` file whose
`is_modified()` (what a dirty build asks) answers from the site record, the hand-written pages of
docs/ are always rendered, and what the last build made and this one does not is removed. With
that, a dirty build leaves site/ byte-identical to a full build (tests/test_incremental_site.py
builds random sequences of edits both ways), so MkDocs' warning that dirty builds are inaccurate
is dropped while this plugin is the only one: any other plugin may read pages a dirty build does not
render, and then every build renders everything.

Between the rebuilds of one `mkdocs serve` the theme's compiled templates are kept (when nothing
the fingerprint covers changed), and every process keeps them compiled on disk (Jinja's bytecode
cache), so a rebuild does not compile Material's templates again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils import clean_directory

from build_tools import siterecord
from build_tools.cache import package_fingerprint, tree_digest

KNOWN_PLUGINS = frozenset({"marginalia"})  # plugins whose pages depend on nothing a dirty build skips
# Whose versions change what a page looks like: a new one renders every page again.
VERSIONED = (
    "mkdocs",
    "mkdocs-material",
    "pymdown-extensions",
    "markdown",
    "jinja2",
    "markupsafe",
    "pygments",
)
FORMAT = 1  # bump when what the fingerprint covers changes
# Keys of the configuration no page depends on: the preview takes seeds/ out of `watch` to watch it
# itself (mkdocs_preview.watch), which must not make its next rebuild a full one.
UNSEEN = frozenset({"watch"})
DIRTY_WARNINGS = (
    "A 'dirty' build is being performed",  # mkdocs.commands.build: true of MkDocs alone, not with this plugin
    "The directory contains stale files",  # it is told to clean them; here, stale files are removed
)


class Tracked(File):
    """A file whose `is_modified()`, what MkDocs' dirty build asks before rendering or copying it,
    the site record answers."""

    modified: bool = True

    def is_modified(self) -> bool:
        return self.modified


class ExactDirty(logging.Filter):
    """Drops MkDocs' warning that a dirty build is inaccurate, which `strict: true` turns into a failure."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNINGS)


@dataclass
class Session:
    """What one MkDocs process keeps between its builds (the rebuilds of `mkdocs serve`)."""

    records: siterecord.Records
    cache_dir: Path | None
    fingerprint: str = ""
    last: siterecord.Record | None = None
    plan: siterecord.Plan = siterecord.EVERYTHING
    sources: dict[str, str] = field(default_factory=dict)
    outputs: set[str] = field(default_factory=set)
    env: jinja2.Environment | None = None
    env_fingerprint: str = ""
    filter: ExactDirty = field(default_factory=ExactDirty)

    # -- on_pre_build ---------------------------------------------------------------------------------
    def begin(
        self, config: MkDocsConfig, sources: dict[str, str], known: str | None = None
    ) -> siterecord.Plan:
        """The pages to render, from the record of the last build into this site folder; with no usable
        record, the folder is emptied as a clean build empties it, and every page is rendered.
        `known`: the configuration's fingerprint, when the caller has just worked it out."""
        site_dir = Path(config.site_dir)
        self.fingerprint = known or fingerprint(config)
        self.sources = sources
        self.last = self.records.load(site_dir)
        exact = set(config.plugins) <= KNOWN_PLUGINS
        self.plan = (
            siterecord.plan(self.last, self.fingerprint, sources, site_dir)
            if exact
            else siterecord.EVERYTHING
        )
        if self.plan.everything:
            clean_directory(str(site_dir))
        self.records.save(site_dir, siterecord.pending(self.last, self.fingerprint, self.plan))
        logger = logging.getLogger("mkdocs.commands.build")
        if exact:
            logger.addFilter(self.filter)
        else:
            logger.removeFilter(self.filter)
        return self.plan

    # -- on_files -------------------------------------------------------------------------------------
    def file(self, config: MkDocsConfig, uri: str, path: Path) -> File:
        """One of the plugin's files, rendered (or copied) again only when its source changed."""
        found = Tracked.generated(config, uri, abs_src_path=str(path))
        assert isinstance(found, Tracked)  # File.generated makes an instance of the class it is called on
        found.modified = self.modified(found)
        return found

    def modified(self, file: File) -> bool:
        """Whether this build renders (or copies) the file again: by the plan, or its output is gone."""
        plan = self.plan
        return plan.everything or file.src_uri in plan.render or not os.path.isfile(file.abs_dest_path)

    def track_docs(self, files: Files, config: MkDocsConfig) -> None:
        """The pages of docs/ rendered on every build: their titles name the navigation of every page
        rendered, and one includes a generated snippet."""
        for page in [f for f in files.documentation_pages() if f.src_dir == config.docs_dir]:
            files.remove(page)
            files.append(
                Tracked(
                    page.src_uri,
                    page.src_dir,
                    page.dest_dir,
                    page.use_directory_urls,
                    dest_uri=page.dest_uri,
                    inclusion=page.inclusion,
                )
            )

    # -- on_env ---------------------------------------------------------------------------------------
    def keep_env(self, env: jinja2.Environment, files: Files) -> jinja2.Environment:
        """The theme's environment of the last build when nothing it reads changed: its templates
        are compiled already. Also where the final list of files is known: what this build makes."""
        self.outputs = {f.dest_uri for f in files}
        if self.env is not None and self.env_fingerprint == self.fingerprint:
            return self.env
        folder = _writable(self.cache_dir / "jinja") if self.cache_dir is not None else None
        if folder is not None:
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        self.env, self.env_fingerprint = env, self.fingerprint
        return env

    # -- on_post_build --------------------------------------------------------------------------------
    def finish(self, config: MkDocsConfig) -> None:
        """Remove what the last build made and this one does not; record what this one was made from."""
        site_dir = Path(config.site_dir)
        siterecord.remove(site_dir, siterecord.stale(self.last, self.outputs))
        self.records.save(site_dir, siterecord.Record(self.fingerprint, self.sources, tuple(self.outputs)))


def _writable(path: Path) -> Path | None:
    """The folder, made if need be; None when it cannot be written (a read-only cache costs the
    compiled templates, never the build: Jinja raises when it cannot save one)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK | os.X_OK) else None


# -- the fingerprint ----------------------------------------------------------------------------------
def fingerprint(config: MkDocsConfig) -> str:
    """Everything outside content/ that a built page depends on."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}".encode())
    for name in VERSIONED:
        digest.update(f"{name}={_version(name)}\0".encode())
    for key in sorted(config.keys() - UNSEEN):
        digest.update(f"{key}={_canonical(key, config[key])}\0".encode("utf-8", "surrogatepass"))
    digest.update(package_fingerprint().encode())  # the plugin, and all it calls (feeds, routes)
    folders = [Path(config.docs_dir)]
    if config.theme.custom_dir:
        folders.append(Path(config.theme.custom_dir))
    for folder in folders:
        digest.update(tree_digest(folder).encode())
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def _canonical(key: str, value: Any) -> str:
    """A value of the configuration as text that is the same in every process: plugins by their
    names and options (their objects' repr names an address), hooks by their source."""
    if key == "plugins":
        return repr([(name, dict(plugin.config)) for name, plugin in value.items()])
    if key == "hooks":
        return repr([(name, Path(module.__file__).read_bytes()) for name, module in value.items()])
    if key == "theme":  # its repr holds a set (static_templates), whose order changes with the hash seed
        value = {"name": value.name, "dirs": value.dirs, "static": value.static_templates, **dict(value)}
    return repr(_ordered(value))


def _ordered(value: Any) -> Any:
    """The value with every set sorted (by repr): the same in every process, whatever PYTHONHASHSEED."""
    if isinstance(value, set | frozenset):
        return sorted((_ordered(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {k: _ordered(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_ordered(v) for v in value) if type(value) in (list, tuple) else value
    return value
