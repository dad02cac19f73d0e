"""The table of hand values (tests/hand_values.py): a failing pin names its data rows and where to update it."""

from __future__ import annotations

import re

import pytest

import hand_values as hv
from analysis import paths


def test_a_changed_value_names_its_rows_and_where_to_update_it():
    # the case: one legitimate external row more, and the row count no longer matches
    with pytest.raises(AssertionError) as exc:
        hv.pinned(hv.VALUES["external rows"].value + 1, "external rows")
    msg = str(exc.value)
    assert msg.startswith("got 176: external rows = 175 by hand (data lines 2-176 of figures.csv")
    assert "rests on data/raw/external/figures.csv: every row" in msg
    assert "if the data changed on purpose, update tests/hand_values.py (external rows)" in msg


def test_a_rate_is_compared_to_its_arithmetic_and_shown_as_printed():
    hv.pinned(0.0908163182, "xiangxi gdp cagr 2013-2019")  # the code's value to 1e-6 relative
    with pytest.raises(AssertionError, match=r"xiangxi\.gdp\.2013 \(418\.9 亿元\), xiangxi\.gdp\.2019"):
        hv.pinned(0.0951, "xiangxi gdp cagr 2013-2019")
    assert hv.shown("xiangxi gdp cagr 2013-2019", "{:.2%}") == "9.08%"
    with pytest.raises(AssertionError, match=r"update tests/hand_values\.py"):
        hv.assert_mentions("grew 9.51% a year", "9.08% a year", "xiangxi gdp cagr 2013-2019")


def test_every_entry_names_rows_of_existing_files():
    for key, hand in hv.VALUES.items():
        assert hand.how and hand.rows, key
        for row in hand.rows:
            file = row.split(":", 1)[0]
            assert (paths.ROOT / file).is_file(), f"{key}: {file}"


def test_register_failures_name_the_row_and_the_table():
    text = hv.register_hint("claim", "doc004.c03", "xiangxi.gdp.2013 xiangxi.gdp.2019")
    assert text.startswith("claim doc004.c03 of data/raw/claims.csv (inputs: xiangxi.gdp.2013 xiangxi.gdp.2019)")
    assert re.search(r"update tests/hand_values\.py \(CLAIM_VALUES/CLAIM_MISSING\['doc004\.c03'\]\)", text)
    assert "CHECKS['doc004.k01']" in hv.register_hint("check", "doc004.k01")
