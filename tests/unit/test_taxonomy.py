from pathlib import Path

import pytest
import yaml

from frontdoor.paths import ROOT
from frontdoor.taxonomy import TaxonomyError, load_taxonomy, parse_taxonomy


def test_demo_taxonomy_matches_the_shared_source_names():
    taxonomy = load_taxonomy()
    source = yaml.safe_load((ROOT / "demo" / "contact-reasons.yml").read_text())["reasons"]
    assert set(taxonomy.reasons) == set(source)
    assert taxonomy.get("fraud_report").kind == "handoff"
    assert taxonomy.get("fees").title == "Fees"
    assert not taxonomy.is_topic("greet")
    assert taxonomy.is_topic("cancel_transfer")
    assert taxonomy.get(None) is None


def test_malformed_taxonomy_names_the_file(tmp_path: Path):
    bad = tmp_path / "reasons.yml"
    bad.write_text("reasons:\n  fees: {kind: nonsense}\n")
    titles = tmp_path / "titles.yml"
    titles.write_text("titles: {}\n")
    with pytest.raises(TaxonomyError, match="reasons.yml.*fees"):
        parse_taxonomy(bad, titles)
    bad.write_text(": : :\n")
    with pytest.raises(TaxonomyError, match="reasons.yml"):
        parse_taxonomy(bad, titles)


def test_missing_title_falls_back_to_a_readable_name(tmp_path: Path):
    reasons = tmp_path / "r.yml"
    reasons.write_text("reasons:\n  refund_status: {kind: verified, description: x}\n")
    titles = tmp_path / "t.yml"
    titles.write_text("titles: {}\n")
    assert parse_taxonomy(reasons, titles).get("refund_status").title == "Refund status"
