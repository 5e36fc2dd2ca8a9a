"""A real `mkdocs build --strict` of a small archive: people across articles, curated notes,
the archive by date, topics, and the news metadata in every article's head."""

from __future__ import annotations

import html
import json
import re
import shutil
from datetime import date
from pathlib import Path

import extruct
import pytest
from projectkit import copy_project, mkdocs_build

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "articles"
# Written for this test: only the surname, so the archive must find the person it names.
FOLLOW_UP = (
    "Talks on Iran's nuclear programme resumed in Geneva on Monday.\n\n"
    'Ambassador Burns said that "the talks with Iran must continue without delay," and that the '
    "United States would send a delegation.\n"
)
NOTE = "---\nmatch: [Iran]\n---\nIran's nuclear programme has been under IAEA inspection since 2003.\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("archive"))
    seeds = root / "seeds"
    shutil.rmtree(seeds)
    seeds.mkdir()
    for name in ("voa-burns-iran", "wn-indonesia-asylum", "wn-greek-deities-court"):
        shutil.copy(FIXTURES / f"{name}.txt", seeds / f"{name}.txt")
    (seeds / "burns-follow-up.txt").write_text(FOLLOW_UP, encoding="utf-8")
    (seeds / "voa-burns-iran.yml").write_text(
        "date: 2008-02-12\nbyline: VOA </script><script>alert(1)</script>\ntags: [Diplomacy, Iran]\n"
        "url: https://www.insidevoa.com/a/178027.html\n",
        encoding="utf-8",
    )
    (seeds / "burns-follow-up.yml").write_text("date: 2008-03-03\ntags: [Iran]\n", encoding="utf-8")
    (seeds / "wn-indonesia-asylum.yml").write_text(
        "date: 2015-05-18\nupdated: 2015-05-20\nbyline: Wikinews staff\n", encoding="utf-8"
    )
    (seeds / "_notes").mkdir()
    (seeds / "_notes" / "iran-nuclear.md").write_text(NOTE, encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    return root


def page(project: Path, url: str) -> str:
    return (project / "site" / url / "index.html").read_text(encoding="utf-8")


def test_a_person_has_one_page_across_articles(project: Path) -> None:
    burns = page(project, "people/nicholas-burns")
    assert "the talks with Iran must continue without delay," in burns
    assert 'href="../../articles/burns-follow-up/#p-2"' in burns
    assert 'href="../../articles/voa-burns-iran/' in burns
    assert not (project / "site" / "people" / "burns").exists()
    article = page(project, "articles/burns-follow-up")
    assert 'href="../../people/nicholas-burns/"' in article


def test_a_curated_note_is_in_every_article_that_mentions_it(project: Path) -> None:
    text = "nuclear programme has been under IAEA inspection since 2003."
    for slug in ("voa-burns-iran", "burns-follow-up"):
        background = page(project, f"articles/{slug}").split('class="mg-sidebar mg-background"')[1]
        assert text in html.unescape(background.split("</aside>")[0]), slug
    assert text not in html.unescape(page(project, "articles/wn-greek-deities-court"))


def test_the_archive_by_date_and_topics(project: Path) -> None:
    index = page(project, "articles")
    assert index.index(">2015</a>") < index.index(">2008</a>") < index.index(">Undated</a>")
    year = page(project, "archive/2008")
    assert year.index("burns-follow-up") < year.index("voa-burns-iran")  # March before February: newest first
    iran = page(project, "tags/iran")
    assert "burns-follow-up" in iran and "voa-burns-iran" in iran and "indonesia" not in iran
    assert (project / "site" / "organizations" / "index.html").is_file()
    assert (project / "site" / "places" / "iran" / "index.html").is_file()


def test_an_article_head_has_news_metadata(project: Path) -> None:
    head = page(project, "articles/voa-burns-iran").split("</head>")[0]
    canonical = "https://marginalia-news.github.io/marginalia/articles/voa-burns-iran/"
    assert f'<link rel="canonical" href="{canonical}">' in head
    assert f'<meta property="og:url" content="{canonical}">' in head
    assert '<meta property="og:type" content="article">' in head
    assert '<meta name="twitter:card" content="summary_large_image">' in head
    assert '<meta property="article:published_time" content="2008-02-12">' in head
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    assert len(blocks) == 1
    ld = json.loads(blocks[0])
    assert ld["@type"] == "NewsArticle" and ld["datePublished"] == "2008-02-12" and ld["url"] == canonical
    assert ld["author"] == [{"@type": "Person", "name": "VOA </script><script>alert(1)</script>"}]
    assert {"@type": "Person", "name": "Nicholas Burns"} in ld["mentions"]
    assert "<script>alert(1)" not in head  # escaped in the JSON-LD and in the attributes


SITE_URL = "https://marginalia-news.github.io/marginalia/"
# Google's Article structured data (developers.google.com/search/docs/appearance/structured-data/article):
# no property is required; these are the recommended ones, and a publisher with its logo.
GOOGLE_RECOMMENDED = ("headline", "image", "datePublished", "dateModified", "author")
AUTHORS = {  # slug -> the author's type and name
    "voa-burns-iran": ("Person", "VOA </script><script>alert(1)</script>"),  # a byline with no publisher word
    "wn-indonesia-asylum": ("Organization", "Wikinews staff"),  # a publisher's byline
    "burns-follow-up": ("Organization", "Marginalia"),  # no byline, no source: the site
}


def site_file(url: str) -> Path:
    assert url.startswith(SITE_URL), url
    return Path(url.removeprefix(SITE_URL))


@pytest.mark.parametrize("slug", AUTHORS)
def test_an_article_is_a_news_article_a_real_parser_reads(project: Path, slug: str) -> None:
    """The head parsed by extruct (JSON-LD and Open Graph), as a search engine's crawler reads it."""
    text = page(project, f"articles/{slug}")
    found = extruct.extract(text, base_url=f"{SITE_URL}articles/{slug}/", syntaxes=["json-ld", "opengraph"])
    [ld] = [item for item in found["json-ld"] if item.get("@type") == "NewsArticle"]
    assert [k for k in GOOGLE_RECOMMENDED if not ld.get(k)] == [], ld
    assert len(ld["headline"]) <= 110
    assert date.fromisoformat(ld["datePublished"]) <= date.fromisoformat(ld["dateModified"])
    assert [(a["@type"], a["name"]) for a in ld["author"]] == [AUTHORS[slug]]
    publisher = ld["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "Marginalia"
    assert (project / "site" / site_file(publisher["logo"]["url"])).is_file()
    assert all((project / "site" / site_file(url)).is_file() for url in ld["image"])
    og = dict(found["opengraph"][0]["properties"])
    assert og["og:type"] == "article" and og["og:image"] == ld["image"][0]
    assert og["article:modified_time"] == ld["dateModified"]
    assert '<meta name="twitter:card" content="summary_large_image">' in text


def test_the_sidecar_gives_the_date_modified(project: Path) -> None:
    text = page(project, "articles/wn-indonesia-asylum")
    [ld] = [i for i in extruct.extract(text, syntaxes=["json-ld"])["json-ld"] if i["@type"] == "NewsArticle"]
    assert (ld["datePublished"], ld["dateModified"]) == ("2015-05-18", "2015-05-20")


def test_other_pages_have_open_graph_but_no_news_article(project: Path) -> None:
    head = page(project, "people/nicholas-burns").split("</head>")[0]
    assert '<meta property="og:type" content="website">' in head
    assert "application/ld+json" not in head


def test_sitemap_and_search_index_cover_the_articles(project: Path) -> None:
    sitemap = (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://marginalia-news.github.io/marginalia/articles/burns-follow-up/" in sitemap
    meta = json.loads((project / "site" / "search-data" / "meta.json").read_text(encoding="utf-8"))
    data = project / "site" / "search-data"
    urls = [
        url
        for n in range(-(-meta["docs"] // meta["chunk"]))
        for url in json.loads((data / "d" / f"{n}.json").read_text("utf-8"))
    ]
    assert len(urls) == meta["docs"]
    assert "articles/burns-follow-up/" in urls
    page = json.loads((data / "p" / "articles" / "burns-follow-up.json").read_text("utf-8"))
    assert page["kind"] == "article"
    assert not (project / "site" / "search" / "search_index.json").exists()  # Material's whole-archive index


def test_a_rebuild_with_nothing_changed_extracts_nothing_and_writes_nothing(project: Path) -> None:
    content = project / "content"
    before = {p: p.stat().st_mtime_ns for p in content.rglob("*") if p.is_file()}
    entries = sorted((project / ".cache" / "marginalia" / "extractions").rglob("*.json"))
    assert len(entries) == 4
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert {p: p.stat().st_mtime_ns for p in content.rglob("*") if p.is_file()} == before
    assert sorted((project / ".cache" / "marginalia" / "extractions").rglob("*.json")) == entries
