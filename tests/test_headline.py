from build_tools.headline import derive_title, summary


def test_title_drops_aside_and_attribution() -> None:
    lede = (
        "Afghanistan's Taliban –one of the world's most austere Islamist regimes– may be reconsidering "
        "its stance toward the State of Israel, i24NEWS reported Tuesday, citing an Afghan source."
    )
    assert (
        derive_title(lede)
        == "Afghanistan's Taliban may be reconsidering its stance toward the State of Israel"
    )


def test_title_drops_dateline_and_leading_time_phrase() -> None:
    assert derive_title("On Friday, fishermen rescued over 700 asylum seekers whose boat sank.") == (
        "Fishermen rescued over 700 asylum seekers whose boat sank"
    )
    assert derive_title("LONDON, March 3 - Prices rose again in the capital.").startswith("Prices rose")


def test_long_title_is_cut_before_a_preposition_not_mid_phrase() -> None:
    lede = (
        "NASA celebrated the launch of the first space shuttle Tuesday at an event at the Kennedy Space "
        "Center in Cape Canaveral, Florida."
    )
    title = derive_title(lede)
    assert len(title.split()) <= 14 and not title.endswith(("at", "the", "…"))


def test_lower_case_lede_keeps_words_and_capitalises_title_only() -> None:
    assert derive_title("former official spoke to reporters about the plan.") == (
        "Former official spoke to reporters about the plan"
    )


def test_summary_is_first_sentence() -> None:
    assert summary("One thing happened. Then another.") == "One thing happened."
