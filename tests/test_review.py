from pathlib import Path

from build_tools.review import format_items, review_items

ROOT = Path(__file__).resolve().parent.parent


def test_seed_unattributed_paragraph_is_listed_for_review() -> None:
    items = review_items(ROOT / "content")
    assert [i.article for i in items] == ["taliban-israel.md"]
    assert "quote 2" in items[0].message and items[0].sidecar == "seeds/taliban-israel.yml"
    assert "1 item(s) to review" in format_items(items)


def test_empty_listing_says_so(tmp_path: Path) -> None:
    assert format_items(review_items(tmp_path)).startswith("Nothing to review")


def test_cli_prints_the_listing(capsys) -> None:  # type: ignore[no-untyped-def]  # pytest fixture
    from build_tools.cli import main

    assert main(["review", "--content", str(ROOT / "content")]) == 0
    assert "taliban-israel.md" in capsys.readouterr().out
