"""The comparison report's run definition is the notebook's parameters.

Adding a region or an indicator to a section is a parameter; an unknown one is refused with
the valid choices and the closest suggestion; the report's modules import in one direction;
the facts that were Python dictionaries are curated CSV files, validated.
"""

from __future__ import annotations

import ast
import json
import shutil

import pandas as pd
import pytest

from analysis import paths
from analysis.data.load import UnknownChoice
from analysis.errors import DataError
from analysis.reports import comparison as cr
from analysis.reports import comparison_data as cd


def _row(table: pd.DataFrame, metric: str, region: str) -> pd.Series:
    hit = table[(table["metric"] == metric) & (table["region"] == region)]
    assert len(hit) == 1, (metric, region, len(hit))
    return hit.iloc[0]


def test_parameters_default_to_the_notebook_cell(tmp_path):
    """Nothing is declared twice: prepare's "default" is the notebook's literal."""
    nb = json.loads((paths.NOTEBOOKS / "comparisons.ipynb").read_text(encoding="utf-8"))
    src = "".join(next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))["source"])
    assert 'growth_indicators = ["rural_disposable_income", "gdp_per_capita", "gdp"]' in src
    run = cr.prepare(output_dir=str(tmp_path))
    assert run.growth_indicators == ["rural_disposable_income", "gdp_per_capita", "gdp"]
    assert run.national == "China" and run.period_end == 2019
    assert run.equivalents == {("China", "poor_population"): "rural_poor_population"}


def test_an_indicator_added_by_parameter_gets_its_growth_rows(tmp_path):
    base = cr.prepare(regions=["Xiangxi", "Wuling"], output_dir=str(tmp_path / "a"))
    assert not cr.build_table(base)["metric"].str.startswith("urban_disposable_income").any()
    run = cr.prepare(
        regions=["Xiangxi", "Wuling"],
        growth_indicators=["rural_disposable_income", "urban_disposable_income"],
        output_dir=str(tmp_path / "b"),
    )
    t = cr.build_table(run)
    row = _row(t, "urban_disposable_income: CAGR", "Xiangxi")
    # observations_xiangxi.csv urban_disposable_income 2015 19267, 2017 22790 (external; 2020 is after period_end
    # 2019): (22790/19267)**(1/2) - 1 = 8.759%; Wuling has none, so the CAGR stands alone
    assert float(row["value"]) == pytest.approx(0.0875898, abs=1e-6)
    assert row["status"] == "not observed" and "Wuling has no urban_disposable_income" in row["note"]
    assert (tmp_path / "b" / "tables" / "comparisons.csv").exists()
    # period_end is a parameter too: up to 2020, (27900/19267)**(1/5) - 1 = 7.686%
    later = cr.prepare(
        regions=["Xiangxi", "Wuling"],
        growth_indicators=["urban_disposable_income"],
        period_end=2020,
        output_dir=str(tmp_path / "c"),
    )
    row = _row(cr.build_table(later), "urban_disposable_income: CAGR", "Xiangxi")
    assert float(row["value"]) == pytest.approx(0.0768570, abs=1e-6) and row["year_or_period"] == "2015-2020"


def test_a_region_added_by_parameter_gets_its_poverty_rows(tmp_path):
    """Hunan added to a run benchmarked on Xiangxi: both registered poverty, so gaps are computed."""
    run = cr.prepare(
        regions=["Xiangxi", "Hunan"], benchmark="Xiangxi", indicator=["poverty_incidence"], output_dir=str(tmp_path)
    )
    t = cr.build_table(run)
    poverty = t[t["section"] == "poverty"]
    assert set(poverty["region"]) == {"Hunan"}
    start = _row(poverty, "poverty_incidence: gap at start of period", "Hunan")
    end = _row(poverty, "poverty_incidence: gap at end of period", "Hunan")
    # observations_hunan.csv 2015 8.2% (document) vs observations_xiangxi.csv 2013 31.93%: 8.2 - 31.93 = -23.73 pp,
    # labelled as different years
    assert start["status"] == "different years" and float(start["gap"]) == pytest.approx(-23.73, abs=1e-9)
    # 2019: Hunan 0.36% (external) vs Xiangxi 0.65% (document): gap 0.36 - 0.65 = -0.29 pp, ratio 0.36/0.65 = 0.5538
    assert end["status"] == "matched" and float(end["gap"]) == pytest.approx(-0.29, abs=1e-9)
    assert float(end["ratio"]) == pytest.approx(0.553846, abs=1e-6)
    # the overlap comes from data/raw/region_overlaps.csv (Xiangxi, Hunan)
    assert "Xiangxi is part of Hunan: the areas overlap and are not independent" in end["note"]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        (
            {"growth_indicators": ["urban_disposable_incom"]},
            (
                r"unknown growth_indicators 'urban_disposable_incom'; valid choices: .*gdp.*"
                r"did you mean 'urban_disposable_income'"
            ),
        ),
        ({"regions": ["Xiangxy", "Wuling"]}, r"unknown region 'Xiangxy'; valid choices: .*did you mean 'Xiangxi'"),
        ({"national": "Chna"}, r"unknown national 'Chna'; valid choices: .*did you mean 'China'"),
        (
            {"counties": ["poverty_counties_exited"]},
            r"counties must list 2 indicators; .*valid choices: .*poverty_counties_total",
        ),
        (
            {
                "assistance": [
                    "rural_dibao_standard",
                    "tekun",
                    "rural_dibao_monthly_assistance",
                    "rural_dibao_standard_avg",
                ]
            },
            r"unknown assistance 'tekun'; valid choices: .*extreme_poverty_support_standard",
        ),
    ],
)
def test_a_bad_parameter_names_the_valid_choices_and_the_closest(tmp_path, kw, message):
    with pytest.raises(UnknownChoice, match=message):
        cr.prepare(output_dir=str(tmp_path), **kw)


def _raw_copy(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("regions.csv", "indicators.csv", "units.csv", cd.OVERLAPS_FILE, cd.BASIS_NOTES_FILE):
        shutil.copy(paths.RAW / name, raw / name)
    return raw


def test_overlaps_and_basis_notes_are_validated_csv(tmp_path):
    raw = _raw_copy(tmp_path)
    assert len(cd.load_overlaps(raw)) == len(pd.read_csv(paths.RAW / cd.OVERLAPS_FILE))
    with open(raw / cd.OVERLAPS_FILE, "a", encoding="utf-8") as f:
        f.write("Xiangxi,Wulin,Xiangxi is in a typo,test\n")
    with pytest.raises(DataError, match=r"region_overlaps.csv, row 6, column 'whole': unknown region 'Wulin'"):
        cd.load_overlaps(raw)
    with open(raw / cd.BASIS_NOTES_FILE, "a", encoding="utf-8") as f:
        f.write("poverty_incidense,,,a note,test\n")
    with pytest.raises(DataError, match=r"comparison_basis_notes.csv, row 7, column 'indicator'"):
        cd.load_basis_notes(raw)


def test_basis_note_first_matching_row_wins():
    # comparison_basis_notes.csv: the China rows come first, then the Xiangxi row, then the generic one
    assert cd.basis_note("poverty_incidence", "Xiangxi", "China").startswith("two measurement systems")
    assert cd.basis_note("poverty_incidence", "Wuling", "Xiangxi").startswith("Xiangxi's incidence is on the")
    assert cd.basis_note("poverty_incidence", "Hunan", "Wuling").startswith(
        "the measurement basis of Hunan's and Wuling's incidence"
    )
    assert cd.basis_note("gdp", "Hunan", "Wuling") == ""


def _imports(path) -> list[tuple[str, list[str]]]:
    """Every ``analysis.reports`` import of a module (also inside functions): (module, names)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "analysis.reports":
                out += [(f"analysis.reports.{a.name}", []) for a in node.names]
            elif node.module.startswith("analysis.reports."):
                out.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.startswith("analysis.reports.")]
    return out


def test_comparison_modules_import_in_one_direction_and_no_private_names():
    folder = paths.ROOT / "src" / "analysis" / "reports"
    mods = {p.stem: p for p in folder.glob("comparison*.py")}
    graph = {m: {i.rsplit(".", 1)[1] for i, _ in _imports(p) if i.rsplit(".", 1)[1] in mods} for m, p in mods.items()}
    assert graph["comparison_base"] <= {"comparison_province", "comparison_data"}
    assert graph["comparison_data"] == set()
    assert not any("comparison" in deps for deps in graph.values())  # the report's top: nobody imports it
    seen: set[str] = set()

    def visit(m: str, stack: tuple[str, ...]) -> None:
        assert m not in stack, f"import cycle: {' -> '.join((*stack, m))}"
        if m in seen:
            return
        seen.add(m)
        for d in graph[m]:
            visit(d, (*stack, m))

    for m in graph:
        visit(m, ())
    private = [(m, n) for m, p in mods.items() for _, names in _imports(p) for n in names if n.startswith("_")]
    assert private == []
