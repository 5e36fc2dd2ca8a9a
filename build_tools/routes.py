"""Where each generated page lives in content/ and on the site, in one place.

Articles are content/<slug>.md and appear at articles/<slug>/; every other generated page
keeps its path (content/people/<id>.md -> people/<id>/). Links between generated pages are
written as relative URLs of the built site (MkDocs' use_directory_urls), so they work under
any sub-path, as GitHub Pages serves a project site.

Every name becomes a path here, through filenames.segment: a page name fits any file system,
and a person or a town called `Index` never replaces a section's index page.
"""

from __future__ import annotations

import posixpath

from build_tools.filenames import segment

ARTICLES = "articles"
ARCHIVE = "archive"  # archive/<year>/: the articles of one year, by month
TAGS = "tags"  # tags/<slug>/: the articles of one topic
UNDATED = "undated"  # archive/undated/
SEARCH_DATA = "search-data"  # search-data/: the search index's JSON files, copied as they are
SECTIONS = {"person": "people", "organization": "organizations", "place": "places"}


def article_file(slug: str) -> str:
    return f"{segment(slug)}.md"


def published(content_relpath: str) -> bool:
    """Whether a file of content/ becomes a file of the site: pages, and the search index's files.
    (lists/*.html are snippets that docs/ pages include, not pages.)"""
    if posixpath.basename(content_relpath).startswith("."):  # the manifest, a killed build's temporaries
        return False
    return content_relpath.endswith(".md") or content_relpath.startswith(f"{SEARCH_DATA}/")


def site_uri(content_relpath: str) -> str:
    """content/ relative path -> MkDocs source URI."""
    return content_relpath if "/" in content_relpath else f"{ARTICLES}/{content_relpath}"


def page_url(uri: str) -> str:
    """MkDocs source URI -> directory URL: 'people/x.md' -> 'people/x/', 'index.md' -> ''."""
    stem = uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def article_url(slug: str) -> str:
    return f"{ARTICLES}/{segment(slug)}/"


def entity_file(kind: str, entity_id: str) -> str:
    return f"{SECTIONS[kind]}/{segment(entity_id)}.md"


def entity_url(kind: str, entity_id: str) -> str:
    return f"{SECTIONS[kind]}/{segment(entity_id)}/"


def archive_file(year: str) -> str:
    return f"{ARCHIVE}/{year}.md"


def archive_url(year: str) -> str:
    return f"{ARCHIVE}/{year}/"


def tag_file(slug: str) -> str:
    return f"{TAGS}/{segment(slug)}.md"


def tag_url(slug: str) -> str:
    return f"{TAGS}/{segment(slug)}/"


def to_root(from_url: str) -> str:
    """The relative prefix from a directory URL to the site root: 'people/x/' -> '../../', '' -> ''."""
    return "../" * from_url.count("/")


def relative(from_url: str, to_url: str) -> str:
    """Relative link between two directory URLs: ('articles/a/', 'people/b/') -> '../../people/b/'."""
    target, _, fragment = to_url.partition("#")
    rel = posixpath.relpath("/" + target, "/" + from_url) if target else "."
    rel = rel + "/" if target.endswith("/") and not rel.endswith("/") else rel
    if rel == "./":
        rel = ""
    return rel + ("#" + fragment if fragment else "")
