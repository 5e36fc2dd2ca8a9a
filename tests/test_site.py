"""Cross-article pages, the identity of people across the archive, and curated notes.

Documents are made by hand here (no NLP), one small case per rule, so a failure names the rule.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from pathlib import Path

import pytest
import yaml

from build_tools import notes, people_registry, publish, render, routes, site
from build_tools.errors import SidecarError
from build_tools.model import (
    Article,
    Corrections,
    Document,
    Entity,
    Extraction,
    Paragraph,
    Person,
    PersonId,
    Provenance,
    Quote,
    Span,
)
from build_tools.state import Published, Snapshot
from build_tools.textutil import slugify


def make_doc(
    slug: str,
    text: str,
    *,
    people: tuple[str, ...] = (),
    quotes: tuple[tuple[str, str], ...] = (),
    places: tuple[str, ...] = (),
    day: str | None = None,
    tags: tuple[str, ...] = (),
) -> Document:
    """An article whose people are `people` (names) and whose quotes are (text, speaker name)."""
    paragraphs = tuple(
        Paragraph(i, p, Span(text.index(p), text.index(p) + len(p)))
        for i, p in enumerate(text.split("\n\n"), 1)
    )
    article = Article(slug, f"seeds/{slug}.txt", text, paragraphs, "0" * 64)
    quote_values = tuple(
        Quote(
            q,
            Span(text.index(q), text.index(q) + len(q)),
            1,
            who,
            PersonId(slugify(who)),
            "person",
            "said",
            0.9,
        )
        for q, who in quotes
    )
    extraction = Extraction(
        quotes=quote_values,
        people=tuple(Person(PersonId(slugify(n)), n, None, (), 1) for n in people),
        organizations=(),
        places=tuple(Entity(p, "place", 1) for p in places),
        background=(),
    )
    when = datetime.date.fromisoformat(day) if day else None
    return Document(
        article,
        f"Title of {slug}",
        when,
        f"Summary of {slug}.",
        extraction,
        Provenance("0" * 64, "test", "model", "1"),
        tags,
    )


def ids(doc: Document) -> set[str]:
    return {p.id for p in doc.extraction.people}


# -- people across the archive --------------------------------------------------------------------
def test_a_lone_surname_is_the_one_person_of_the_archive_with_it() -> None:
    a = make_doc("a", "Zabihullah Mujahid spoke.", people=("Zabihullah Mujahid",))
    b = make_doc(
        "b",
        'Mujahid said "we are ready to talk".',
        people=("Mujahid",),
        quotes=(("we are ready to talk", "Mujahid"),),
    )
    resolved = people_registry.resolve([a, b])
    assert ids(resolved.documents[1]) == {"zabihullah-mujahid"}
    assert resolved.documents[1].extraction.quotes[0].speaker_id == "zabihullah-mujahid"
    assert resolved.names["zabihullah-mujahid"] == "Zabihullah Mujahid"
    pages = site.Archive(list(resolved.documents), resolved.names).pages()
    assert "people/mujahid.md" not in pages
    page = pages["people/zabihullah-mujahid.md"]
    assert "we are ready to talk" in page and "<dt>Also named</dt><dd>Mujahid</dd>" in page


def test_two_people_who_share_a_surname_are_never_merged() -> None:
    a = make_doc("a", "John Cornyn spoke.", people=("John Cornyn",))
    b = make_doc("b", "Jane Cornyn spoke.", people=("Jane Cornyn",))
    c = make_doc("c", "Cornyn spoke.", people=("Cornyn",))
    resolved = people_registry.resolve([a, b, c])
    assert [ids(d) for d in resolved.documents] == [{"john-cornyn"}, {"jane-cornyn"}, {"cornyn"}]
    assert len(resolved.notices) == 1 and "Jane Cornyn or John Cornyn" in resolved.notices[0]


def test_a_middle_initial_is_the_same_person_unless_two_initials_compete() -> None:
    a = make_doc("a", "Charles F. Bolden spoke.", people=("Charles F. Bolden",))
    b = make_doc("b", "Charles Bolden spoke.", people=("Charles Bolden",))
    resolved = people_registry.resolve([a, b])
    assert [ids(d) for d in resolved.documents] == [{"charles-f-bolden"}] * 2
    c = make_doc("c", "Charles G. Bolden spoke.", people=("Charles G. Bolden",))
    resolved = people_registry.resolve([a, b, c])
    assert len({p for d in resolved.documents for p in ids(d)}) == 3


def test_unnamed_sources_stay_with_their_article() -> None:
    a = make_doc("a", "A source spoke.")
    source = Person(PersonId("afghan-source--a"), "Afghan source", None, (), 1, named=False)
    a = Document(a.article, a.title, a.date, a.summary, Extraction((), (source,), (), (), ()), a.provenance)
    assert ids(people_registry.resolve([a]).documents[0]) == {"afghan-source--a"}


def _resolve_with(tmp_path: Path, merge: str, docs: list[Document]) -> people_registry.Resolution:
    """Resolve docs under a _people.yml with this merge line and a split of `Mujahid` in article c."""
    (tmp_path / "_people.yml").write_text(
        f"merge:\n  {merge}\nsplit:\n  - name: Mujahid\n    articles: [c]\n    as: Amir Mujahid\n",
        encoding="utf-8",
    )
    return people_registry.resolve(docs, people_registry.load(tmp_path))


def test_the_editor_merges_and_splits_people(tmp_path: Path) -> None:
    a = make_doc("a", "Zabihullah Mujahid spoke.", people=("Zabihullah Mujahid",))
    b = make_doc("b", "Zabiullah Mujahid spoke.", people=("Zabiullah Mujahid",))
    c = make_doc("c", "Mujahid spoke.", people=("Mujahid",))
    d = make_doc("d", "Mujahid spoke.", people=("Mujahid",))
    resolved = _resolve_with(tmp_path, "Zabihullah Mujahid: [Zabiullah Mujahid]", [a, b, c, d])
    # Two Mujahids are now known, so the lone surname in d is left alone, never guessed.
    assert [ids(x) for x in resolved.documents] == [
        {"zabihullah-mujahid"},
        {"zabihullah-mujahid"},
        {"amir-mujahid"},
        {"mujahid"},
    ]
    assert resolved.names["amir-mujahid"] == "Amir Mujahid" and len(resolved.notices) == 1
    # The editor says who it is everywhere else: a split wins over a merge in its articles.
    resolved = _resolve_with(tmp_path, "Zabihullah Mujahid: [Zabiullah Mujahid, Mujahid]", [a, b, c, d])
    assert [ids(x) for x in resolved.documents] == [
        {"zabihullah-mujahid"},
        {"zabihullah-mujahid"},
        {"amir-mujahid"},
        {"zabihullah-mujahid"},
    ]
    assert resolved.notices == ()


def test_a_bad_people_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "_people.yml").write_text("merge: [oops]\n", encoding="utf-8")
    with pytest.raises(SidecarError, match=r"_people\.yml"):
        people_registry.load(tmp_path)


# -- pages ----------------------------------------------------------------------------------------
@pytest.fixture()
def archive() -> site.Archive:
    docs = [
        make_doc(
            "old",
            'Kabul is calm.\n\nJohn Kerry said "we will talk".',
            people=("John Kerry",),
            quotes=(("we will talk", "John Kerry"),),
            places=("Kabul",),
            day="2014-03-02",
            tags=("Diplomacy",),
        ),
        make_doc(
            "new",
            'Kerry said "we did talk".',
            people=("John Kerry",),
            quotes=(("we did talk", "John Kerry"),),
            day="2015-07-09",
            tags=("Diplomacy", "Iran"),
        ),
        make_doc("undated", "Nothing dated here.", places=("Kabul",)),
    ]
    return site.Archive(docs)


def test_person_page_lists_every_quote_with_article_date_and_paragraph(archive: site.Archive) -> None:
    page = archive.pages()["people/john-kerry.md"]
    assert page.index("we did talk") < page.index("we will talk")  # newest article first
    assert re.search(
        r'href="\.\./\.\./articles/new/#p-1">Title of new</a>, <time class="mg-date" '
        r'datetime="2015-07-09">9 July 2015</time>, paragraph 1',
        page,
    )


def test_every_link_between_generated_pages_resolves(archive: site.Archive) -> None:
    pages = archive.pages()
    urls = {routes.page_url(routes.site_uri(path)) for path in pages if path.endswith(".md")}
    urls |= {routes.article_url(d.article.slug) for d in archive.docs}
    for path, text in pages.items():
        if not path.endswith(".md"):
            continue
        here = routes.page_url(routes.site_uri(path))
        for href in re.findall(r'href="([^"#]*)', text):
            target = Path("/" + here, href).resolve().as_posix().lstrip("/") + "/"
            assert target.replace("//", "/") in urls | {"/"}, (path, href)


def test_archive_by_year_and_month(archive: site.Archive) -> None:
    pages = archive.pages()
    index = pages["articles/index.md"]
    assert index.index(">2015</a>") < index.index(">2014</a>") < index.index(">Undated</a>")
    assert '<h2 id="july">July 2015</h2>' in pages["archive/2015.md"]
    assert "Title of undated" in pages["archive/undated.md"]


def test_topics_index_and_pages(archive: site.Archive) -> None:
    pages = archive.pages()
    assert (
        '<a href="diplomacy/">Diplomacy</a> <span class="mg-count">2 articles</span>'
        in pages["tags/index.md"]
    )
    assert pages["tags/iran.md"].count("mg-article-item") == 1


def test_pages_do_not_depend_on_the_order_of_the_files(archive: site.Archive) -> None:
    assert site.Archive(list(reversed(archive.docs))).pages() == archive.pages()


def test_place_page_counts_its_articles(archive: site.Archive) -> None:
    assert (
        '<a href="kabul/">Kabul</a> <span class="mg-count">2 articles</span>'
        in archive.pages()["places/index.md"]
    )


# -- curated notes --------------------------------------------------------------------------------
def write_note(folder: Path, name: str, text: str) -> Path:
    (folder / notes.FOLDER).mkdir(exist_ok=True)
    path = folder / notes.FOLDER / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_note_applies_to_every_article_that_names_its_topic(tmp_path: Path) -> None:
    write_note(
        tmp_path,
        "abraham-accords.md",
        "---\nmatch: [Abraham Accords]\n---\nThe Abraham Accords were signed\nin 2020.\n",
    )
    loaded = notes.load(tmp_path)
    found = loaded.notes
    assert loaded.errors == () and loaded.warnings == () and len(found) == 1
    yes = make_doc("yes", "Sudan joined the Abraham Accords.").article
    no = make_doc("no", "The accords of Abraham Lincoln.").article
    assert notes.for_article(found, yes)[0].text == "The Abraham Accords were signed in 2020."
    assert notes.for_article(found, yes)[0].span is None
    assert notes.for_article(found, no) == ()


def test_a_note_matches_either_apostrophe(tmp_path: Path) -> None:
    write_note(tmp_path, "doha.md", '---\nmatch: "Doha\'s talks"\n---\nTalks in Qatar.\n')
    found = notes.load(tmp_path).notes
    assert notes.for_article(found, make_doc("x", "After Doha’s talks ended.").article)


def test_a_bad_note_is_reported_and_the_others_still_apply(tmp_path: Path) -> None:
    write_note(tmp_path, "a-good.md", "---\nmatch: Kabul\n---\nThe capital.\n")
    write_note(tmp_path, "b-bad.md", "No front matter at all.\n")
    loaded = notes.load(tmp_path)
    found, errors = loaded.notes, loaded.errors
    assert [n.id for n in found] == ["a-good"]
    assert len(errors) == 1 and "b-bad.md" in str(errors[0]) and "match" in str(errors[0])


def test_corrections_are_untouched_by_the_registry() -> None:
    doc = make_doc("a", "Text.")
    assert people_registry.resolve([doc]).documents[0].article.corrections == Corrections()


@pytest.mark.parametrize(
    "value",
    [
        "Iran",
        "Yes",
        "null",
        "2015",
        "Al-Qaeda: the group",
        "O’Brien",
        "#tag",
        "Kabul ",
        "Café",
        'The "Quote"',
        "- dash",
        "12 Monkeys",
        "a\nb",
        "Ölüdeniz",
        "C++ & co",
    ],
)
def test_front_matter_reads_back_as_written(value: str) -> None:
    page = site._page(value, "<p>x</p>", kind="person")
    meta = yaml.safe_load(page.split("---")[1])
    # The theme prints `title` as HTML, so it is escaped; `headline` keeps the plain text.
    assert meta == {"title": render.meta_text(value), "headline": value, "kind": "person"}


def test_home_order_is_newest_first_then_undated_by_slug() -> None:
    docs = [
        make_doc("b-undated", "B."),
        make_doc("old", "Old.", day="2001-01-01"),
        make_doc("a-undated", "A."),
        make_doc("new", "New.", day="2024-05-05"),
        make_doc("also-new", "Also new.", day="2024-05-05"),
    ]
    assert [d.article.slug for d in site.by_date(docs)] == [
        "also-new",
        "new",
        "old",
        "a-undated",
        "b-undated",
    ]
    latest = site.Archive(docs).pages()["lists/latest.html"]
    assert latest.index("Title of new") < latest.index("Title of old") < latest.index("Title of a-undated")


def test_notices_name_derived_headlines_and_undated_articles() -> None:
    import dataclasses

    dated = make_doc("dated", "Dated.", day="2020-01-01")
    derived = dataclasses.replace(make_doc("derived", "Derived.", day="2020-01-01"), headline_derived=True)
    undated = make_doc("undated", "Undated.")
    notices = site.notices([undated, derived, dated])
    assert len(notices) == 2
    assert notices[0].startswith(
        "seeds/derived.txt: the headline was derived from the lede: “Title of derived”"
    )
    assert "`title:` in seeds/derived.yml" in notices[0]
    assert notices[1].startswith("seeds/undated.txt: has no date") and "left out of the feeds" in notices[1]
    assert "`date: YYYY-MM-DD` to seeds/undated.yml" in notices[1]


def _last_build(archive: site.Archive) -> Snapshot:
    """What publish keeps of a build that decides what the next one renders again."""
    published = {
        doc.article.slug: Published(
            None,  # type: ignore[arg-type]  # the seed's memo plays no part in what is touched
            doc,
            frozenset(archive.contributions[doc.article.slug]),
            (),
            "",
        )
        for doc in archive.docs
    }
    return Snapshot(articles=published, faces=archive.faces(), names=dict(archive.names))


def test_an_edit_renders_the_pages_of_the_company_only_when_what_they_show_changes() -> None:
    """Lee is in both articles; Dale only in the older. Dale's page lists Lee as company, by name
    and latest role: an edit to the newer article that leaves those as they were does not render
    Dale's page again, and one that gives Lee a new latest role does."""
    newer = make_doc("newer", "Ann Lee met Bo Park.", people=("Ann Lee", "Bo Park"), day="2020-02-02")
    older = make_doc("older", "Ann Lee met Cy Dale.", people=("Ann Lee", "Cy Dale"), day="2020-01-01")
    before = site.Archive([newer, older])
    last = _last_build(before)
    edited = dataclasses.replace(newer, summary="Another summary.")
    after = site.Archive([edited, older])
    touched = publish._touched(after, last, {"newer"}, after.faces())
    assert {("person", "ann-lee"), ("person", "bo-park")} <= touched
    assert ("person", "cy-dale") not in touched
    lee = dataclasses.replace(newer.extraction.people[0], role="mayor")
    x = dataclasses.replace(newer.extraction, people=(lee, *newer.extraction.people[1:]))
    after = site.Archive([dataclasses.replace(newer, extraction=x), older])
    assert ("person", "cy-dale") in publish._touched(after, last, {"newer"}, after.faces())
