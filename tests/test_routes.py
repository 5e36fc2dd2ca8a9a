from build_tools import routes


def test_article_files_map_under_articles() -> None:
    assert routes.site_uri("taliban-israel.md") == "articles/taliban-israel.md"
    assert routes.site_uri("people/x.md") == "people/x.md"


def test_relative_links_between_directory_urls() -> None:
    assert routes.relative("articles/a/", "people/b/") == "../../people/b/"
    assert routes.relative("", "articles/a/") == "articles/a/"
    assert routes.relative("articles/a/", "articles/a/#p-3") == "#p-3"
    assert routes.relative("people/", "people/b/") == "b/"


def test_page_url() -> None:
    assert routes.page_url("index.md") == ""
    assert routes.page_url("people/index.md") == "people/"
    assert routes.page_url("people/x.md") == "people/x/"


def test_published_files_are_pages_and_the_search_index() -> None:
    assert routes.published("taliban-israel.md") and routes.published("people/x.md")
    assert routes.published("search-data/meta.json") and routes.published("search-data/t/mu.json")
    assert not routes.published("lists/latest.html")  # a snippet docs/index.md includes
    assert not routes.published(".manifest.json")
    assert not routes.published("search-data/t/.mu.json.x1y2.tmp")  # a killed build's temporary file


def test_long_names_become_short_distinct_stable_page_names() -> None:
    from build_tools.filenames import MAX_SEGMENT_BYTES, segment

    a, b = "ж" * 200 + "-a", "ж" * 200 + "-b"  # alike for far more than the bytes kept
    assert segment(a) != segment(b) and segment(a) == segment("ж" * 200 + "-a")
    assert all(len(segment(n).encode()) <= MAX_SEGMENT_BYTES for n in (a, b, "x" * 1000, "東" * 99))
    assert segment("kabul-market") == "kabul-market" and segment("index") == "index_"
    assert routes.entity_url("person", "index") == "people/index_/"
