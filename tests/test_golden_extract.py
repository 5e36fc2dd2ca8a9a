"""Golden cases: one short article per rule of news writing, its extraction reviewed like code.

Each tests/golden/extract/<case>.txt has <case>.json beside it with the expected quotes,
speakers, cues, people, organisations, places, background and warnings. Rewrite them with
`pytest --update-goldens` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from build_tools import contract, pipeline

GOLDEN = Path(__file__).parent / "golden" / "extract"
CASES = sorted(p.stem for p in GOLDEN.glob("*.txt"))


def extraction(path: Path, nlp: Any) -> dict[str, Any]:
    doc, _ = pipeline.read_one(path, nlp)
    data = contract.to_json(doc)
    data["warnings"] = [w.replace(str(path), "<file>") for w in data["warnings"]]
    for key in ("id", "title", "source"):
        data.pop(key)
    return data


@pytest.mark.parametrize("case", CASES)
def test_golden_case(case: str, nlp: Any, update_goldens: bool) -> None:
    got = extraction(GOLDEN / f"{case}.txt", nlp)
    expected_path = GOLDEN / f"{case}.json"
    if update_goldens:
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))


def test_every_case_has_a_golden_file() -> None:
    assert len(CASES) >= 20
    assert all((GOLDEN / f"{case}.json").is_file() for case in CASES)
