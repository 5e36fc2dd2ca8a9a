"""RSS 2.0 and JSON Feed 1.1: valid, newest first, absolute links, escaped, and no clock."""

from __future__ import annotations

import dataclasses
import datetime
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from build_tools import feeds
from build_tools.model import (
    Article,
    Corrections,
    Document,
    Extraction,
    Paragraph,
    Person,
    PersonId,
    Provenance,
    Quote,
    Span,
)

SITE = "https://news.example.org/archive/"


def make_doc(
    slug: str, day: str | None, *, title: str = "", byline: str | None = None, tags: tuple[str, ...] = ()
) -> Document:
    text = f"The text of {slug}."
    corrections = Corrections(byline=byline, tags=tags, url="https://wire.example.com/x?a=1&b=2")
    article = Article(
        slug,
        f"seeds/{slug}.txt",
        text,
        (Paragraph(1, text, Span(0, len(text))),),
        "0" * 64,
        corrections=corrections,
    )
    return Document(
        article,
        title or f"Title of {slug}",
        datetime.date.fromisoformat(day) if day else None,
        f"Summary of {slug}.",
        Extraction((), (), (), (), ()),
        Provenance("0" * 64, "t", "m", "1"),
        tags,
    )


DOCS = [
    make_doc("middle", "2020-05-01", tags=("Science",)),
    make_doc("newest", "2024-01-31", title='Cats & <dogs> "agree"', byline="Jo Bo"),
    make_doc("undated", None),
    make_doc("oldest", "2011-04-13"),
]


def rss() -> ET.Element:
    return ET.fromstring(feeds.rss(DOCS, site_url=SITE, title="Marginalia", description="News & notes"))


def test_rss_lists_dated_articles_newest_first_with_absolute_links() -> None:
    items = rss().findall("./channel/item")
    assert [i.findtext("link") for i in items] == [
        f"{SITE}articles/newest/",
        f"{SITE}articles/middle/",
        f"{SITE}articles/oldest/",
    ]
    assert items[0].findtext("guid") == items[0].findtext("link")
    assert items[0].findtext("pubDate") == "Wed, 31 Jan 2024 12:00:00 +0000"


def test_rss_escapes_text_and_keeps_it_whole() -> None:
    channel = rss().find("channel")
    assert channel is not None and channel.findtext("description") == "News & notes"
    newest = channel.findall("item")[0]
    assert newest.findtext("title") == 'Cats & <dogs> "agree"'
    assert newest.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Jo Bo"
    assert [c.text for c in channel.findall("item")[1].findall("category")] == ["Science"]


def test_feeds_carry_no_clock() -> None:
    one = feeds.rss(DOCS, site_url=SITE, title="M", description="d")
    assert one == feeds.rss(list(reversed(DOCS)), site_url=SITE, title="M", description="d")
    assert "<lastBuildDate>Wed, 31 Jan 2024 12:00:00 +0000</lastBuildDate>" in one


def test_json_feed() -> None:
    feed = json.loads(feeds.json_feed(DOCS, site_url=SITE, title="Marginalia", description="d"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == f"{SITE}feed.json" and feed["home_page_url"] == SITE
    first = feed["items"][0]
    assert first["id"] == first["url"] == f"{SITE}articles/newest/"
    assert first["date_published"] == "2024-01-31T12:00:00+00:00"
    assert first["authors"] == [{"name": "Jo Bo"}]
    assert first["external_url"] == "https://wire.example.com/x?a=1&b=2"
    assert [i["url"].split("/")[-2] for i in feed["items"]] == ["newest", "middle", "oldest"]


def test_write_touches_a_file_only_when_its_bytes_change(tmp_path: Path) -> None:
    assert len(feeds.write(tmp_path, DOCS, site_url=SITE, title="M", description="d")) == 2
    assert feeds.write(tmp_path, DOCS, site_url=SITE, title="M", description="d") == []
    ET.parse(tmp_path / feeds.RSS_FILE)
    json.loads((tmp_path / feeds.JSON_FILE).read_text(encoding="utf-8"))


def test_the_built_site_has_both_feeds(built_project: Path) -> None:
    site = built_project / "site"
    channel = ET.parse(site / feeds.RSS_FILE).getroot().find("channel")
    assert channel is not None
    json.loads((site / feeds.JSON_FILE).read_text(encoding="utf-8"))


def quoted_doc() -> Document:
    """An article whose text and quote carry markup, with a speaker who has a role."""
    text = 'Mayor <b>Lee</b> spoke. "We will <script>rebuild</script>," Lee said.'
    start = text.index("We")
    quote = Quote(
        "We will <script>rebuild</script>,",
        Span(start, start + 33),
        1,
        "Ann Lee",
        PersonId("ann-lee"),
        "person",
        "said",
        0.95,
        1,
    )
    person = Person(PersonId("ann-lee"), "Ann Lee", "the mayor of <i>Town</i>", (), 1)
    base = make_doc("quoted", "2024-02-01")
    return dataclasses.replace(
        base,
        article=dataclasses.replace(
            base.article, text=text, paragraphs=(Paragraph(1, text, Span(0, len(text))),)
        ),
        extraction=Extraction((quote,), (person,), (), (), ()),
    )


def test_feed_items_carry_the_whole_article_and_its_quotes_as_escaped_html() -> None:
    doc = quoted_doc()
    channel = ET.fromstring(feeds.rss([doc], site_url=SITE, title="M", description="d")).find("channel")
    assert channel is not None and channel.findtext("language") == "en"
    encoded = channel.find("item/{http://purl.org/rss/1.0/modules/content/}encoded")
    assert encoded is not None and encoded.text is not None
    html = encoded.text
    assert html == feeds.content_html(doc)
    assert html.startswith("<p>Mayor &lt;b&gt;Lee&lt;/b&gt; spoke.")
    assert "<blockquote><p>We will &lt;script&gt;rebuild&lt;/script&gt;,</p></blockquote>" in html
    assert "— Ann Lee, the mayor of &lt;i&gt;Town&lt;/i&gt;" in html
    assert "<script" not in html and "<b>" not in html  # the article's text never becomes markup
    item = json.loads(feeds.json_feed([doc], site_url=SITE, title="M", description="d"))["items"][0]
    assert item["content_html"] == html and "content_text" not in item
