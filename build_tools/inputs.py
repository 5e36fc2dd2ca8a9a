"""seeds/ listed once: which files are articles, which are their sidecars, and what is not read.

Nothing in seeds/ is passed over without a word:

- an article is `<name>.txt`, in any case (`Story.TXT` too); its sidecar is `<name>.yml` beside it,
  also in any case;
- a sidecar whose article was renamed or deleted corrects nothing: a warning names it (so
  `--strict` stops on it), and points to the article it was probably meant for;
- any other file (`x.yaml`, `notes.md`, a folder) is not read: a warning names it;
- a file name that is not UTF-8 or holds a control character (a newline would forge a line of
  the build's log) is an error: rename the file;
- two articles giving the same page name are an error naming both.

`_people.yml` and `_notes/` are the editors' files (people_registry, notes); hidden files are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from build_tools import ingest, notes, patterns, people_registry, reader
from build_tools.errors import MarginaliaError, SeedError, SidecarError, printable
from build_tools.textutil import slugify

SEED_SUFFIX = ".txt"
SIDECAR_SUFFIX = ".yml"
EDITORS = {people_registry.FILE, notes.FOLDER}


@dataclass(frozen=True)
class SeedFile:
    path: Path
    slug: str
    sidecar: Path | None  # seeds/<name>.yml, when there is one


@dataclass(frozen=True)
class Listing:
    seeds: tuple[SeedFile, ...]
    errors: tuple[MarginaliaError, ...]  # articles that cannot be built at all
    warnings: tuple[str, ...]  # files that are not read


def name_problem(name: str) -> str | None:
    """Why a file name cannot be used, or None."""
    if patterns.SURROGATES.search(name):
        return "the file name is not valid UTF-8"
    found = patterns.UNPRINTABLE_IN_MESSAGES.search(name)
    if found:
        return (
            f"the file name contains U+{ord(found[0]):04X}, a control, line-break or text-direction character"
        )
    return None


def list_seeds(folder: Path) -> Listing:
    """Every article of `folder`, in name order, with what cannot be built and what is not read."""
    try:
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except FileNotFoundError:
        return Listing((), (), ())
    except OSError as error:
        problem = SeedError(str(folder), f"cannot be read as a folder ({error.strerror})", "make it a folder")
        return Listing((), (problem,), ())
    texts = [p for p in entries if p.suffix.lower() == SEED_SUFFIX]
    sidecars = [p for p in entries if p.suffix.lower() == SIDECAR_SUFFIX and p.name not in EDITORS]
    seeds, errors = _seeds(texts, _by_stem(sidecars))
    warnings = _orphans(sidecars, texts) + _unread(entries, texts, sidecars)
    return Listing(tuple(seeds), tuple(errors), tuple(warnings))


def _by_stem(sidecars: list[Path]) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in sidecars:
        found.setdefault(path.stem, []).append(path)
    return found


def _seeds(
    texts: list[Path], sidecars: dict[str, list[Path]]
) -> tuple[list[SeedFile], list[MarginaliaError]]:
    seeds: list[SeedFile] = []
    errors: list[MarginaliaError] = []
    slugs: dict[str, str] = {}
    for path in texts:
        try:
            seed = _seed(path, sidecars.get(path.stem, []))
        except MarginaliaError as error:
            errors.append(error)
            continue
        if seed.slug in slugs:
            errors.append(
                SeedError(
                    str(path),
                    f"gives the page name `{seed.slug}`, the same as {slugs[seed.slug]}",
                    "rename one of the files",
                )
            )
            continue
        slugs[seed.slug] = str(path)
        seeds.append(seed)
    return seeds, errors


def _seed(path: Path, sidecars: list[Path]) -> SeedFile:
    problem = name_problem(path.name)
    if problem:
        raise SeedError(str(path), problem, "rename the file with letters, digits and spaces only")
    reader.check_inside(path, path.parent, SeedError)  # reported now, whether or not it is read
    if len(sidecars) > 1:
        raise SidecarError(
            str(sidecars[0]),
            f"is one of {len(sidecars)} sidecars of {path.name} ({', '.join(p.name for p in sidecars)})",
            "keep one of them",
        )
    return SeedFile(path, ingest.slug_for(path), sidecars[0] if sidecars else None)


def _orphans(sidecars: list[Path], texts: list[Path]) -> list[str]:
    """A sidecar without its article: renamed or deleted. The article with the same page name is a hint."""
    stems = {p.stem for p in texts}
    by_slug = {slugify(p.stem): p for p in texts}
    warnings = []
    for path in sidecars:
        if path.stem in stems:
            continue
        near = by_slug.get(slugify(path.stem))
        hint = (
            f"rename it `{near.stem}{SIDECAR_SUFFIX}` to correct {near.name}"
            if near
            else f"rename it after its article (`<name>{SEED_SUFFIX}` takes `<name>{SIDECAR_SUFFIX}`), "
            "or delete it"
        )
        warnings.append(
            f"{printable(str(path))}: has no article `{printable(path.stem)}{SEED_SUFFIX}` beside it, "
            f"so it corrects nothing. Fix: {printable(hint)}"
        )
    return warnings


def _unread(entries: list[Path], texts: list[Path], sidecars: list[Path]) -> list[str]:
    used = {*texts, *sidecars}
    warnings = []
    for path in entries:
        if path in used or path.name in EDITORS:
            continue
        hint = (
            f"a sidecar ends in `{SIDECAR_SUFFIX}`: rename it `{path.stem}{SIDECAR_SUFFIX}`"
            if path.suffix.lower() == ".yaml"
            else f"an article ends in `{SEED_SUFFIX}` and its sidecar in `{SIDECAR_SUFFIX}`: rename it, "
            "or move it out of the folder"
        )
        warnings.append(f"{printable(str(path))}: is not read. Fix: {printable(hint)}")
    return warnings
