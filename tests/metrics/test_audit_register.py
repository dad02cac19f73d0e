"""The real registers pinned: every claim and every consistency check, verdict and value by hand.

Each expected value is written as the arithmetic on the printed numbers (from the quote
of the claim or check), not taken from the code, so a change of a formula, an input id,
a rounding rule or a curated value makes the matching case fail. Not-checkable claims
are pinned with the words of what is missing. Bad consistency rows are refused by
``make data`` with file, row and column.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from analysis.data.build import build
from analysis.errors import DataError
from analysis.metrics.audit import NOT_CHECKABLE, audit_claims
from analysis.metrics.consistency import AGREE, check_consistency
from analysis.metrics.corroboration import corroborate
from hand_values import CHECKS, CLAIM_MISSING, CLAIM_VALUES, register_hint
from helpers import read_rows, write_rows

N = NOT_CHECKABLE


@pytest.fixture(scope="module")
def claims():
    return audit_claims().set_index("claim_id")


@pytest.fixture(scope="module")
def checks():
    return check_consistency().set_index("check_id")


# ------------------------------------------------------------------------- claims (pinned in tests/hand_values.py)


def test_every_claim_is_pinned(claims):
    pinned = set(CLAIM_VALUES) | set(CLAIM_MISSING)
    added, gone = sorted(set(claims.index) - pinned), sorted(pinned - set(claims.index))
    assert not added and not gone, (
        f"claims added {added}, removed {gone} (data/raw/claims.csv): pin them in CLAIM_VALUES or CLAIM_MISSING "
        "of tests/hand_values.py (or delete the entries of removed claims)"
    )


@pytest.mark.parametrize("claim_id", sorted(CLAIM_VALUES))
def test_claim_verdict_and_value_by_hand(claims, claim_id):
    verdict, value = CLAIM_VALUES[claim_id]
    r = claims.loc[claim_id]
    hint = register_hint("claim", claim_id, r.inputs)
    assert r.verdict == verdict, f"{r.verdict} ({r.reason}); {hint}"
    assert r.recomputed == pytest.approx(value, rel=1e-6, abs=1e-6), hint


@pytest.mark.parametrize("claim_id", sorted(CLAIM_MISSING))
def test_not_checkable_names_what_is_missing(claims, claim_id):
    r = claims.loc[claim_id]
    hint = register_hint("claim", claim_id, r.inputs)
    assert r.verdict == NOT_CHECKABLE and math.isnan(r.recomputed), f"{r.verdict} {r.recomputed}; {hint}"
    assert CLAIM_MISSING[claim_id] in r.reason, f"{r.reason}; {hint}"


def test_not_checkable_share_well_below_before(claims):
    # the not-checkable claims are those pinned so in tests/hand_values.py (CLAIM_MISSING and the N entries of
    # CLAIM_VALUES: doc004.c07, doc004.c17, ext.c35): 27 of 68, well below the 40% of before issue 27
    by_hand = set(CLAIM_MISSING) | {k for k, (verdict, _) in CLAIM_VALUES.items() if verdict == N}
    assert set(claims.index[claims["verdict"] == N]) == by_hand
    assert len(by_hand) / len(claims) < 0.4


def test_real_growth_reasons_name_the_price_index(claims):
    assert "rural CPI" in claims.loc["ext.c06", "reason"]
    r = claims.loc["ext.c10", "reason"]
    assert "deflated with the rural CPI, china.rural_cpi_change.2017.ext" in r  # was the national CPI
    assert "not used in its place" in claims.loc["ext.c14", "reason"]
    # ext.c35 is not checkable now: its 2011 input is of another definition (was "only through the input rounding")
    assert "different definitions" in claims.loc["ext.c35", "reason"]


# ------------------------------------------------------------------------- consistency checks (tests/hand_values.py)


def test_every_check_is_pinned(checks):
    added, gone = sorted(set(checks.index) - set(CHECKS)), sorted(set(CHECKS) - set(checks.index))
    assert not added and not gone, (
        f"checks added {added}, removed {gone} (data/raw/consistency.csv): pin them in CHECKS of tests/hand_values.py"
    )


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_check_verdict_and_values_by_hand(checks, check_id):
    verdict, a, b = CHECKS[check_id]
    r = checks.loc[check_id]
    hint = register_hint("check", check_id, f"{r.left} / {r.right}")
    assert r.verdict == verdict, f"{r.verdict} ({r.reason}); {hint}"
    assert r.value_a == pytest.approx(a, rel=1e-9), hint
    assert r.value_b == pytest.approx(b, rel=1e-9), hint
    assert r.ratio == pytest.approx(a / b, rel=1e-9)
    assert r.difference == pytest.approx(a - b, rel=1e-9, abs=1e-9)
    assert r.low_a <= r.value_a <= r.high_a and r.low_b <= r.value_b <= r.high_b
    assert r.quote_a and r.quote_b and r.note


def test_the_issue_examples_and_their_intervals(checks):
    k01 = checks.loc["doc004.k01"]
    assert k01.low_a == pytest.approx(1725.5 / 0.9195) and k01.high_a == pytest.approx(1726.5 / 0.9185)
    k02 = checks.loc["doc004.k02"]
    assert k02.low_b == pytest.approx(1.555 / 0.00655) and k02.high_b == pytest.approx(1.565 / 0.00645)
    assert k02.high_a == pytest.approx(65.775 / 0.31925)
    # 2.5万多 is [2.5, 2.6) 万, so the two 其中 groups (at least 2.9万) cannot both fit: they overlap
    k08 = checks.loc["doc004.k08"]
    assert k08.high_b == pytest.approx(2.6) and k08.low_a == pytest.approx(2.9)
    # doc004.k06 is a subset now (211 of the 309): its note names the forms, the reason the arithmetic
    assert "厂房式" in checks.loc["doc004.k06", "note"] and "a is within b" in checks.loc["doc004.k06", "reason"]
    assert "about 5" in checks.loc["doc004.k18", "reason"] or "about 5 户" in checks.loc["doc004.k18", "reason"]


def test_corroboration_lists_external_restating_document_values():
    c = corroborate().set_index("external_obs")
    assert (
        c.loc["xiangxi.gdp.2013.ext", "verdict"] == AGREE and c.loc["xiangxi.gdp.2013.ext", "document_value"] == 418.9
    )
    assert c.loc["xiangxi.gdp_per_capita.2013.ext", "verdict"] == AGREE


# ------------------------------------------------------------------------- bad consistency rows


def _problems(raw: Path, edit) -> list[str]:
    rows = read_rows(raw / "consistency.csv")
    edit(rows)
    write_rows(raw / "consistency.csv", rows)
    with pytest.raises(DataError) as exc:
        build(raw, raw.parent / "out_unused")
    return [str(p) for p in exc.value.problems]


@pytest.mark.parametrize(
    ("edit", "column", "needle"),
    [
        (lambda rows: rows[0].update(left="xiangxi.nothing.2019"), "left", "is not a curated observation id"),
        (lambda rows: rows[0].update(right="xiangxi.mutual_aid_villages_covered.2020 * 2"), "right", "'2' is not"),
        (lambda rows: rows[0].update(left="xiangxi.gdp.2019"), "left", "does not occur in quote_a"),
        (lambda rows: rows[0].update(quote_a=rows[0]["quote_a"].replace(",", "，", 1)), "quote_a", "verbatim"),
        (lambda rows: rows[0].update(relation="roughly"), "relation", "unknown relation"),
        (lambda rows: rows[0].update(left="xiangxi.gdp.2019 +"), "left", "well-formed"),
        (lambda rows: rows[1].update(check_id=rows[0]["check_id"]), "check_id", "more than once"),
    ],
)
def test_bad_consistency_rows_are_refused_with_file_row_column(raw_copy, edit, column, needle):
    problems = _problems(raw_copy, edit)
    hits = [p for p in problems if "consistency.csv" in p and column in p and needle in p]
    assert hits, problems
