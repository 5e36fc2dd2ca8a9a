"""RSS 2.0 and JSON Feed 1.1 of the latest articles, written into the built site.

Our own, not mkdocs-rss-plugin: that plugin dates pages from git history or a `date` it
parses per page, runs git once per page (minutes at 10,000 articles, and nothing for
content/ pages never committed, as in a fresh build or CI), and needs every page backed by a
file. Here the Documents already carry the editor's date, title, summary, byline and tags,
so a feed is a pure function of them: deterministic, no clock, no git. Undated articles are
left out of the feeds (a feed item without a date sorts wrongly in every reader); the build's
notices name each one (site.notices). Every item carries the whole article and its quotes as
HTML (RSS `content:encoded`, JSON Feed `content_html`), built from escaped text only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from html import escape as html_escape
from pathlib import Path
from xml.sax.saxutils import escape

from build_tools import render, routes
from build_tools.model import Document

RSS_FILE = "feed.xml"
JSON_FILE = "feed.json"
ITEMS = 50


def latest(docs: Sequence[Document], count: int = ITEMS) -> list[tuple[date, Document]]:
    """The newest dated articles with their dates, newest first (then by slug: no ties left to the disk)."""
    dated = [(d.date, d) for d in docs if d.date is not None]
    return sorted(dated, key=lambda t: (t[0], t[1].article.slug), reverse=True)[:count]


def newest(docs: Sequence[Document], count: int = 10) -> list[dict[str, str]]:
    """The newest dated articles as the 404 page lists them (newest first, a day's by slug): url,
    headline, date and summary, plain text for the template to escape."""
    dated = [(d.date, d) for d in docs if d.date is not None]
    dated.sort(key=lambda t: (-t[0].toordinal(), t[1].article.slug))
    return [
        {
            "url": routes.article_url(d.article.slug),
            "headline": d.title,
            "date": day.isoformat(),
            "summary": d.summary,
        }
        for day, d in dated[:count]
    ]


def _noon(day: date) -> datetime:
    # An article has a day, not a time: noon UTC keeps the day the same in every time zone a reader uses.
    return datetime.combine(day, time(12), tzinfo=UTC)


def content_html(doc: Document) -> str:
    """The article's paragraphs, then its quotes with who said them: what a feed reader shows."""

    def text(value: str) -> str:
        return html_escape(value, quote=False)

    parts = [f"<p>{text(p.text)}</p>" for p in doc.article.paragraphs]
    quotes = doc.extraction.quotes
    if quotes:
        roles: dict[str, str] = {p.id: p.role for p in doc.extraction.people if p.role}
        parts.append("<h2>Quotes</h2><ol>")
        for q in quotes:
            role = render.short_role(roles.get(q.speaker_id or ""))
            who = text(q.speaker or "Speaker not identified") + (f", {text(role)}" if role else "")
            parts.append(f"<li><blockquote><p>{text(q.text)}</p></blockquote><p>— {who}</p></li>")
        parts.append("</ol>")
    return "".join(parts)


def _url(site_url: str, doc: Document) -> str:
    return site_url.rstrip("/") + "/" + routes.article_url(doc.article.slug)


def rss(
    docs: Sequence[Document], *, site_url: str, title: str, description: str, language: str = "en"
) -> str:
    items = latest(docs)
    home = site_url.rstrip("/") + "/"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        "<channel>",
        f"<title>{escape(title)}</title>",
        f"<link>{escape(home)}</link>",
        f"<description>{escape(description)}</description>",
        f"<language>{escape(language)}</language>",
        f'<atom:link href="{escape(home + RSS_FILE)}" rel="self" type="application/rss+xml"/>',
    ]
    if items:
        lines.append(f"<lastBuildDate>{format_datetime(_noon(items[0][0]))}</lastBuildDate>")
    for day, doc in items:
        url = _url(site_url, doc)
        lines += [
            "<item>",
            f"<title>{escape(doc.title)}</title>",
            f"<link>{escape(url)}</link>",
            f'<guid isPermaLink="true">{escape(url)}</guid>',
            f"<pubDate>{format_datetime(_noon(day))}</pubDate>",
            f"<description>{escape(doc.summary)}</description>",
            f"<content:encoded>{escape(content_html(doc))}</content:encoded>",
        ]
        if doc.article.corrections.byline:
            lines.append(f"<dc:creator>{escape(doc.article.corrections.byline)}</dc:creator>")
        lines += [f"<category>{escape(tag)}</category>" for tag in doc.tags]
        lines.append("</item>")
    lines += ["</channel>", "</rss>"]
    return "\n".join(lines) + "\n"


def json_feed(
    docs: Sequence[Document], *, site_url: str, title: str, description: str, language: str = "en"
) -> str:
    home = site_url.rstrip("/") + "/"
    items = []
    for day, doc in latest(docs):
        item: dict[str, object] = {
            "id": _url(site_url, doc),
            "url": _url(site_url, doc),
            "title": doc.title,
            "summary": doc.summary,
            "content_html": content_html(doc),
            "date_published": _noon(day).isoformat(),
        }
        if doc.article.corrections.byline:
            item["authors"] = [{"name": doc.article.corrections.byline}]
        if doc.tags:
            item["tags"] = list(doc.tags)
        if doc.article.corrections.url:
            item["external_url"] = doc.article.corrections.url
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home,
        "feed_url": home + JSON_FILE,
        "description": description,
        "language": language,
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


def write(
    site_dir: Path, docs: Sequence[Document], *, site_url: str, title: str, description: str
) -> list[Path]:
    """Write both feeds into the built site; a file is rewritten only when its bytes change."""
    written = []
    for name, text in (
        (RSS_FILE, rss(docs, site_url=site_url, title=title, description=description)),
        (JSON_FILE, json_feed(docs, site_url=site_url, title=title, description=description)),
    ):
        path = site_dir / name
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            written.append(path)
    return written
