"""Browser fixtures: one HTTP server and one Chromium for the whole session.

The site comes from the session's `built_project` (a real `mkdocs build --strict` of a copy of
the project) and is served under /marginalia/, as GitHub Pages serves a project site. Chromium
is Debian's (`apt-get install chromium`): `playwright install` cannot download here (GUIDE §3).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browserkit import CHROMIUM_ARGS, OUTSIDE, SLUG, WIDE, chromium_path
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from projectkit import copy_project, mkdocs_build
from searchkit import ARTICLES, add_fixture_articles
from siteserver import serve


@pytest.fixture(scope="session")
def site_dir(built_project: Path) -> Path:
    return built_project / "site"


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """http://127.0.0.1:PORT/marginalia/ serving the built site."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_context(
    browser: Browser, *, viewport: dict[str, int] = WIDE, scheme: str = "light"
) -> BrowserContext:
    """A browser context that reaches only the local server (no fonts, no GitHub API: hermetic)."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme, reduced_motion="reduce")
    context.set_default_timeout(10_000)
    context.route(OUTSIDE, lambda route: route.abort())
    return context


@pytest.fixture
def make_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh contexts (viewport, colour scheme); any JavaScript error fails the test."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def make(*, viewport: dict[str, int] = WIDE, scheme: str = "light") -> Page:
        context = new_context(browser, viewport=viewport, scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def page(make_page: Callable[..., Page]) -> Page:
    """A page with a wide viewport in the light scheme."""
    return make_page()


@pytest.fixture
def article_url(base_url: str) -> str:
    return f"{base_url}articles/{SLUG}/"


@pytest.fixture(scope="session")
def archive_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The search's test archive (tests/searchkit.py: the seed and the six fixture articles, dated),
    built for real and served under /marginalia/."""
    project = copy_project(tmp_path_factory.mktemp("search-archive"))
    add_fixture_articles(project)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    with serve(project / "site") as url:
        yield url


# The new user: the six fixture articles dropped into seeds/ with no sidecar (headlines
# derived, dates from datelines or none), the longest fixture article, and a follow-up that names
# the first one's ambassador, dated a month later, with a curated note on Iran.
NEWCOMER_ARTICLES = (
    "voa-burns-iran",
    "wn-ahmed-clock",
    "wn-crops-ozone",
    "wn-greek-deities-court",
    "wn-indonesia-asylum",
    "wn-shuttle-homes",
    "wn-warhol-polaroids",
)
FOLLOW_UP = (
    "Talks on Iran's nuclear programme resumed in Geneva on Monday.\n\n"
    'Ambassador Nicholas Burns said that "the talks with Iran must continue without delay," and that the '
    "United States would send a delegation, Voice of America reported.\n"
)
NOTE = "---\nmatch: [Iran]\n---\nIran's nuclear programme has been under IAEA inspection since 2003.\n"


@pytest.fixture(scope="session")
def newsroom_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site built for real from what a new newsroom would drop into seeds/ (see above)."""
    project = copy_project(tmp_path_factory.mktemp("newsroom"))
    seeds = project / "seeds"
    for name in NEWCOMER_ARTICLES:
        (seeds / f"{name}.txt").write_bytes((ARTICLES / f"{name}.txt").read_bytes())
    (seeds / "burns-follow-up.txt").write_text(FOLLOW_UP, encoding="utf-8")
    (seeds / "burns-follow-up.yml").write_text("date: 2008-03-03\n", encoding="utf-8")
    (seeds / "_notes").mkdir()
    (seeds / "_notes" / "iran-nuclear.md").write_text(NOTE, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    with serve(project / "site") as url:
        yield url
