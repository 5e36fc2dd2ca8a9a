"""The off-the-shelf baseline: textacy's `direct_quotations` and spaCy's own entities, scored
on the same gold with the same matching rules as `python -m build_tools eval`.

Speakers are textacy's speaker tokens widened to the PERSON entity that holds them; people are
spaCy's PERSON entities (no roles), organisations its ORG, places its GPE, LOC and FAC. An
article is read paragraph by paragraph (a whole article with one odd quotation mark makes
textacy raise); a paragraph it refuses gives no quotes and is counted in the output.
textacy is not a dependency of the project: install it into a throwaway folder first.

    pip install --target /tmp/txl textacy scikit-learn scipy cloudpickle ...
    PYTHONPATH=/tmp/txl python bench/textacy_baseline.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import spacy
from textacy.extract.triples import direct_quotations

from build_tools import evaluate, nlp

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PLACE_LABELS = {"GPE", "LOC", "FAC"}
QUOTE_MARKS = "\"'“”‘’ "


def _speaker(tokens: list[Any]) -> str | None:
    if not tokens:
        return None
    token = tokens[0]
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    return ent.text if ent is not None else " ".join(t.text for t in tokens)


def _quotes(doc: Any) -> list[dict[str, Any]]:
    return [
        {"text": q.content.text.strip(QUOTE_MARKS), "speaker": _speaker(list(q.speaker))}
        for q in direct_quotations(doc)
    ]


def predict(model: Any, text: str) -> tuple[dict[str, Any], int]:
    """The prediction for one article, and how many paragraphs textacy refused."""
    quotes, people, orgs, places, refused = [], [], [], [], 0
    for doc in model.pipe(p for p in text.split("\n\n") if p.strip()):
        try:
            quotes += _quotes(doc)
        except ValueError:  # "unclosed quotation": textacy bails out of the paragraph
            refused += 1
        people += [e.text for e in doc.ents if e.label_ == "PERSON"]
        orgs += [e.text for e in doc.ents if e.label_ == "ORG"]
        places += [e.text for e in doc.ents if e.label_ in PLACE_LABELS]
    predicted = {
        "quotes": quotes,
        "people": [{"name": n, "role": None, "aliases": []} for n in evaluate.unique(people)],
        "organizations": evaluate.unique(orgs),
        "places": evaluate.unique(places),
    }
    return predicted, refused


def main() -> None:
    model = spacy.load(nlp.model_name())  # the same model, without our entity ruler
    entries = [
        *evaluate.load_gold_dir(FIXTURES / "articles"),
        evaluate.load_gold_file(FIXTURES / "seed-gold.json", ROOT / "seeds" / "taliban-israel.txt"),
    ]
    scores, refused = [], {}
    for article_id, text_path, gold in entries:
        predicted, refused[article_id] = predict(model, text_path.read_text(encoding="utf-8"))
        scores.append(evaluate.score_article(article_id, gold, predicted))
    print(evaluate.format_report(scores).splitlines()[-1].replace("TOTAL", "textacy"))
    paragraphs = {k: v for k, v in refused.items() if v}
    print(json.dumps({"articles": len(entries), "paragraphs refused": paragraphs}, indent=2))


if __name__ == "__main__":
    main()
