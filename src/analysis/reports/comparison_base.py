"""The comparison report's run: parameters, data access and the table's format.

The lowest module of the comparison report; every other ``comparison_*`` module builds on
it and it imports none of them except :mod:`~analysis.reports.comparison_province` (which
needs nothing of the report)::

    comparison_base  <-  comparison_sections, comparison_national  <-  comparison (build_table)
                     <-  comparison_text  <-  comparison_figures

The run definition (which regions, which indicators each section compares, the national
benchmark, the poverty line, the last year of the growth series ...) is the parameters cell
of ``notebooks/comparisons.ipynb``: :func:`notebook_defaults` reads it, so a parameter left
at ``"default"`` here means the notebook's value and nothing is declared twice. Facts about
regions come from the vocabularies: ``regions.csv`` and ``region_overlaps.csv`` (which area
overlaps which), ``indicators.csv`` (labels).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data import vocab
from analysis.data.load import (
    KINDS,
    VINTAGE_CHOICES,
    UnknownChoice,
    check_choice,
    get_series,
    load_observations,
    single_vintage,
)
from analysis.errors import DataError, Problem
from analysis.metrics.compare import ROW_COLUMNS, Comparison, Point, series_points
from analysis.reports import comparison_province as prov
from analysis.reports import figures
from analysis.reports.outputs import Outputs, outputs
from analysis.reports.params import as_bool, as_choice, as_list, as_year

NOTEBOOK = "comparisons.ipynb"
"""The notebook whose parameters cell is the run definition (:func:`notebook_defaults`)."""

SECTIONS = ("poverty", "growth", "assistance", "counties", "national", prov.SECTION)
TABLE_COLUMNS = (*ROW_COLUMNS, "section", "external_used")
"""``external_used``: whether an external (secondary) value entered the row (``kinds`` says which side)."""

GAP_MEASURES = ("level", "rate")
"""``measure`` (indicators.csv) of the indicators a region is compared with a benchmark on (gap and ratio)."""
MEASURES = ("level", "rate", "standard", "count", "share", "flow", "cumulative", "multiple")
"""Every ``measure`` an equivalent series may have."""

OVERLAPS_FILE = "region_overlaps.csv"
OVERLAP_COLUMNS = ("part", "whole", "relation", "source")


@lru_cache(maxsize=2)
def notebook_defaults(notebook: str = NOTEBOOK) -> dict[str, object]:
    """The literal assignments of the notebook's cell tagged ``parameters`` (the run definition).

    Raises
    ------
    ValueError
        When the notebook has no cell tagged ``parameters``.
    """
    path = paths.NOTEBOOKS / notebook
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            out: dict[str, object] = {}
            for node in ast.parse("".join(cell["source"])).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    out[node.targets[0].id] = ast.literal_eval(node.value)
            return out
    raise ValueError(f"{paths.relative(path)} has no cell tagged 'parameters'")


def _curated(file: str, columns: tuple[str, ...], region_cols: tuple[str, ...], raw: Path | None) -> pd.DataFrame:
    """A small curated table of ``data/raw``, validated: its columns, known regions and indicators, no empty text."""
    path = (raw or paths.RAW) / file
    return _read_curated(str(path), path.stat().st_mtime, columns, region_cols, raw).copy()


@lru_cache(maxsize=8)
def _read_curated(
    file: str, mtime: float, columns: tuple[str, ...], region_cols: tuple[str, ...], raw: Path | None
) -> pd.DataFrame:
    path = Path(file)
    name = paths.relative(path)
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in t.columns]
    if missing:
        raise DataError([Problem(name, 1, c, "missing column") for c in missing])
    regions = set(vocab.load_regions(raw).index)
    indicators = set(vocab.load_indicators(raw).index)
    problems = [
        Problem(name, i + 2, col, f"unknown region {r[col]!r}; add it to regions.csv or correct it")
        for i, r in t.iterrows()
        for col in region_cols
        if r[col] and r[col] not in regions
    ]
    if "indicator" in t.columns:
        problems += [
            Problem(name, i + 2, "indicator", f"unknown indicator {r['indicator']!r}; see indicators.csv")
            for i, r in t.iterrows()
            if r["indicator"] not in indicators
        ]
    problems += [Problem(name, i + 2, c, "empty") for i, r in t.iterrows() for c in columns[-2:] if not r[c].strip()]
    if problems:
        raise DataError(problems)
    return t


def load_overlaps(raw: Path | None = None) -> pd.DataFrame:
    """``data/raw/region_overlaps.csv``: pairs (part, whole) of areas that overlap, with the relation and source.

    Raises
    ------
    analysis.errors.DataError
        A missing column, an unknown or empty region or an empty relation (naming file, row and column).
    """
    t = _curated(OVERLAPS_FILE, OVERLAP_COLUMNS, ("part", "whole"), raw)
    empty = [Problem(OVERLAPS_FILE, i + 2, c, "empty") for i, r in t.iterrows() for c in ("part", "whole") if not r[c]]
    if empty:
        raise DataError(empty)
    return t


BASIS_NOTES_FILE = "comparison_basis_notes.csv"
BASIS_NOTE_COLUMNS = ("indicator", "benchmark", "involves", "note", "source")


def load_basis_notes(raw: Path | None = None) -> pd.DataFrame:
    """``data/raw/comparison_basis_notes.csv``: the measurement note of a poverty comparison.

    A row applies to a comparison of ``indicator`` when its ``benchmark`` is empty or the
    benchmark, and its ``involves`` is empty or one of the two regions; the first row that
    applies wins. ``{region}`` and ``{benchmark}`` in ``note`` are filled in.

    Raises
    ------
    analysis.errors.DataError
        A missing column, an unknown region or indicator, an empty note or source.
    """
    return _curated(BASIS_NOTES_FILE, BASIS_NOTE_COLUMNS, ("benchmark", "involves"), raw)


def basis_note(indicator: str, region: str, benchmark: str) -> str:
    """The measurement note of comparing ``region`` with ``benchmark`` on ``indicator`` (empty if none).

    >>> basis_note("poor_population", "Xiangxi", "Wuling")
    'regions of different size: the absolute gap measures size, the share remaining measures the fall'
    """
    for _, r in load_basis_notes().iterrows():
        if (
            r["indicator"] == indicator
            and r["benchmark"] in ("", benchmark)
            and (r["involves"] == "" or r["involves"] in (region, benchmark))
        ):
            return str(r["note"]).format(region=region, benchmark=benchmark)
    return ""


def overlap(region: str, other: str) -> str:
    """The relation of two overlapping areas (either order; ``region_overlaps.csv``), or empty.

    >>> overlap("Hunan", "Xiangxi")
    'Xiangxi is part of Hunan'
    """
    t = load_overlaps()
    hit = t[((t["part"] == region) & (t["whole"] == other)) | ((t["part"] == other) & (t["whole"] == region))]
    return str(hit["relation"].iloc[0]) if len(hit) else ""


def region_label(region: str) -> str:
    """The short English name of a region in figures and text."""
    return figures.REGION_LABELS.get(region, region)


def indicator_label(indicator: str) -> str:
    """The ``label`` of ``indicators.csv`` inside a sentence (``GDP``, ``rural dibao standard``).

    A derived series named ``<indicator> x12`` (a monthly amount annualised) keeps the suffix.

    >>> indicator_label("rural_dibao_monthly_assistance x12")
    'rural dibao monthly assistance x12'
    """
    base, _, suffix = indicator.partition(" ")
    if base not in vocab.load_indicators().index:
        return indicator.replace("_", " ")
    return " ".join(t for t in (prov.label_in_sentence(base), suffix) if t)


@dataclass
class ComparisonRun:
    """A validated comparison run: selection, data access and the rows computed so far.

    The ``indicators`` are the poverty section's (parameter ``indicator``); the other
    sections' indicators are the fields below, each a parameter of the notebook.
    """

    regions: list[str]
    indicators: list[str]
    benchmark: str
    base_year: int | None
    include_external: bool
    kinds: tuple[str, ...]
    out: Outputs
    name: str
    obs: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    rows: dict[str, list[Comparison]] = field(default_factory=dict)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    province: prov.ProvinceSpec | None = None
    vintage: str = "single"
    """``single``: a series with revised-back alternatives (China's GDP) on one vintage
    (:func:`analysis.data.load.single_vintage`); ``published``: the preferred rows (mixed vintages)."""
    growth_indicators: list[str] = field(default_factory=list)
    """Income and output series drawn as indices and compared by CAGR (parameter ``growth_indicators``)."""
    period_end: int = 0
    """Last year of the income and output series (parameter ``period_end``)."""
    national: str = ""
    """The national benchmark of the national section (parameter ``national``)."""
    national_indicators: list[str] = field(default_factory=list)
    """Poverty indicators set against the national figures (parameter ``national_indicators``)."""
    income: str = ""
    """The rural income series (parameter ``income``): convergence, standards over income."""
    poverty_line: tuple[str, str] = ("", "")
    """(region, indicator) of the poverty line (parameter ``poverty_line``)."""
    standard: str = ""
    """The social-assistance standard (parameter ``assistance``, first entry)."""
    higher_standard: str = ""
    """The standard set against ``standard`` (second entry)."""
    monthly_payment: str = ""
    """The monthly payment per recipient, annualised before it meets ``standard`` (third entry)."""
    average_standard: str = ""
    """An average standard across areas set against each region's ``standard`` (fourth entry)."""
    counties: tuple[str, str] = ("", "")
    """(exited, total) counts of poverty counties (parameter ``counties``)."""
    equivalents: dict[tuple[str, str], str] = field(default_factory=dict)
    """(region, indicator) -> the indicator that stands for it there (parameter ``equivalents``)."""

    @property
    def all_regions(self) -> list[str]:
        """The selected regions with the benchmark (first occurrence order)."""
        return list(dict.fromkeys([*self.regions, self.benchmark]))

    @property
    def compared(self) -> list[str]:
        """The selected regions other than the benchmark."""
        return [r for r in self.regions if r != self.benchmark]

    def series_indicator(self, region: str, indicator: str) -> str:
        """The indicator that stands for ``indicator`` in ``region`` (itself unless :attr:`equivalents` applies)."""
        return series_indicator(self.obs, region, indicator, self.equivalents)

    def points(self, region: str, indicator: str, end: int | None = None) -> list[Point]:
        """Observed points of a series with the run's kinds (empty when there are none).

        An equivalent series stands in where the region lacks the indicator (:attr:`equivalents`).
        """
        indicator = self.series_indicator(region, indicator)
        if not ((self.obs["region"] == region) & (self.obs["indicator"] == indicator)).any():
            return []
        if self.vintage == "single":
            return series_points(single_vintage(region, indicator, self.kinds, end=end)[0])
        return series_points(get_series(region, indicator, self.kinds, end=end))

    def single_vintage_note(self, region: str, indicator: str) -> str:
        """The label of a series read on one vintage (empty when the run reads it as published)."""
        if self.vintage != "single":
            return ""
        s, ids = single_vintage(region, indicator, self.kinds, end=self.period_end)
        if not ids:
            return ""
        low = [str(int(y)) for y, c in zip(s["year"], s["confidence"], strict=True) if c == "low"]
        return (
            f"{region}: single-vintage series (revised back after the "
            f"{s['basis'].str.extract(r'after the ([a-z ]+census)', expand=False).dropna().iloc[0]}; "
            f"vintage=published gives the mixed first releases){'; low-confidence values ' + ' '.join(low) if low else ''}"
        )

    def index_series(self) -> list[list[Point]]:
        """Income and output series of the run's regions with at least two years up to :attr:`period_end`."""
        out = []
        for ind in self.growth_indicators:
            for r in self.all_regions:
                pts = self.points(r, ind, end=self.period_end)
                if len(pts) >= 2:
                    out.append(pts)
        return out


def series_indicator(obs: pd.DataFrame, region: str, indicator: str, equivalents: dict[tuple[str, str], str]) -> str:
    """The indicator that stands for ``indicator`` in ``region``: the equivalent where the region lacks it."""
    alt = equivalents.get((region, indicator))
    if alt and not ((obs["region"] == region) & (obs["indicator"] == indicator)).any():
        return alt
    return indicator


def _default(value: object, name: str) -> object:
    """``value``, or the notebook's default of parameter ``name`` for ``"default"`` (or None)."""
    return notebook_defaults()[name] if value is None or value == "default" or value == ["default"] else value


def _indicators(value: object, name: str, valid: list[str], n: int | None = None, label: str = "") -> list[str]:
    """A list parameter of indicators, each one of ``valid`` (``n`` entries when given)."""
    out = [str(i) for i in as_list(_default(value, name), name)]
    if not out or (n is not None and len(out) != n):
        what = f"{n} indicators" if n else "at least one indicator"
        raise UnknownChoice(f"{name} must list {what}; got {value!r}; valid choices: {', '.join(valid)}")
    for i in out:
        check_choice(label or name, i, valid)
    return out


def observed_indicators(obs: pd.DataFrame, *measures: str, region: str | None = None) -> list[str]:
    """Indicators observed in ``obs`` (of ``region`` when given) whose ``measure`` (indicators.csv) is one of ``measures``.

    >>> from analysis.data.load import load_observations
    >>> observed_indicators(load_observations(), "count", region="Wuling")[:2]
    ['neac_liaison_cadres_seconded', 'neac_research_reports']
    """
    t = vocab.load_indicators()
    have = set(obs.loc[obs["region"] == region, "indicator"] if region is not None else obs["indicator"])
    return sorted(i for i in have if i in t.index and t.at[i, "measure"] in measures)


def prepare(
    regions: object = "default",
    indicator: object = "default",
    base_year: object = None,
    benchmark: object = "default",
    include_external: object = True,
    output_dir: object = None,
    run_name: str = "comparisons",
    province: object = None,
    province_regions: object = (),
    province_indicators: object = (),
    province_windows: object = (),
    vintage: object = "single",
    growth_indicators: object = "default",
    period_end: object = "default",
    national: object = "default",
    national_indicators: object = "default",
    income: object = "default",
    poverty_line: object = "default",
    assistance: object = "default",
    counties: object = "default",
    equivalents: object = "default",
) -> ComparisonRun:
    """Validate the notebook parameters.

    Every parameter left at ``"default"`` takes the value of the notebook's parameters cell
    (:func:`notebook_defaults`).

    Parameters
    ----------
    regions : list of str
        Regions to compare (names as in ``regions.csv``).
    indicator : str or list of str
        Indicators of the poverty section, compared with the benchmark at start and end.
    base_year : int or None
        Index base year (= 100); None: each series' first observed year. Must be observed
        in at least one income or output series of the selected regions.
    benchmark : str
        The region every other region is compared with.
    include_external : bool
        Use external (secondary) values, among them the national poverty line.
    output_dir : str or None
        Output root; default: the build's folder under ``make report``, else
        ``build/interactive/<run_name>/`` (see :mod:`analysis.reports.outputs`).
    run_name : str
        Stem of the table and figure files.
    province, province_regions, province_indicators, province_windows
        The provincial benchmark (section ``province``; see
        :func:`analysis.reports.comparison_province.prepare_province`); ``province=None`` leaves it out.
    vintage : str
        One of :data:`analysis.data.load.VINTAGE_CHOICES`.
    growth_indicators : list of str
        Income and output series of the growth section (index and CAGR).
    period_end : int
        Last year of the income and output series.
    national : str
        The national benchmark of the national section.
    national_indicators : list of str
        Poverty indicators set against the national figures.
    income : str
        The rural income series (national convergence; standards over income).
    poverty_line : [region, indicator]
        The poverty line the standards and incomes are set against.
    assistance : [standard, higher standard, monthly payment, average standard]
        The social-assistance series, in these roles.
    counties : [exited, total]
        Counts of poverty counties.
    equivalents : list of [region, indicator, stands-for indicator]
        Where a region has no series of an indicator but one that stands for it.

    Raises
    ------
    analysis.data.load.UnknownChoice
        On any unknown or impossible parameter, listing the valid choices and the closest one.
    """
    ext = as_bool(include_external, "include_external")
    vintage_choice = as_choice(vintage, "vintage", VINTAGE_CHOICES)
    kinds = KINDS if ext else tuple(k for k in KINDS if k != "external")
    obs = load_observations()
    all_regions = sorted(set(obs["region"]))
    regs = [str(r) for r in as_list(_default(regions, "regions"), "regions")]
    if not regs:
        raise UnknownChoice(f"regions is empty; valid choices: {', '.join(all_regions)}")
    for r in regs:
        check_choice("region", r, all_regions)
    regs = list(dict.fromkeys(regs))
    equiv: dict[tuple[str, str], str] = {}
    for e in as_list(_default(equivalents, "equivalents"), "equivalents"):
        triple = [str(x) for x in as_list(e, "equivalents entry")]
        if len(triple) != 3:
            raise UnknownChoice(f"equivalents entry {e!r} must be [region, indicator, stands-for indicator]")
        check_choice("equivalents region", triple[0], all_regions)
        for i in triple[1:]:
            check_choice("equivalents indicator (observed in the data)", i, observed_indicators(obs, *MEASURES))
        equiv[(triple[0], triple[1])] = triple[2]
    bench = str(_default(benchmark, "benchmark"))
    check_choice("benchmark (a region of the data)", bench, all_regions)
    used = obs[obs["kind"].isin(kinds)]
    observed = set(used.loc[used["region"] == bench, "indicator"])
    gaps = observed_indicators(obs, *GAP_MEASURES)
    valid_inds = [i for i in gaps if series_indicator(obs, bench, i, equiv) in observed]
    inds = _indicators(indicator, "indicator", valid_inds, label=f"indicator (observed for the benchmark {bench})")
    if not [r for r in regs if r != bench]:
        raise UnknownChoice(
            f"regions must include a region other than the benchmark {bench}; valid choices: "
            + ", ".join(r for r in all_regions if r != bench)
        )
    nat = str(_default(national, "national"))
    check_choice("national", nat, all_regions)
    line = [str(x) for x in as_list(_default(poverty_line, "poverty_line"), "poverty_line")]
    if len(line) != 2:
        raise UnknownChoice(f"poverty_line must be [region, indicator]; got {poverty_line!r}")
    check_choice("poverty_line region", line[0], all_regions)
    check_choice("poverty_line indicator", line[1], observed_indicators(obs, "standard", region=line[0]))
    end = as_year(_default(period_end, "period_end"), "period_end")
    if end is None:
        raise UnknownChoice("period_end must be a year, e.g. 2019")
    std, higher, monthly, avg = _indicators(assistance, "assistance", observed_indicators(obs, "standard"), 4)
    exited, total = _indicators(counties, "counties", observed_indicators(obs, "count"), 2)
    run = ComparisonRun(
        regs,
        list(dict.fromkeys(inds)),
        bench,
        None,
        ext,
        kinds,
        outputs(output_dir, run_name),
        run_name,
        obs,
        vintage=vintage_choice,
        growth_indicators=list(
            dict.fromkeys(_indicators(growth_indicators, "growth_indicators", observed_indicators(obs, "level")))
        ),
        period_end=end,
        national=nat,
        national_indicators=list(
            dict.fromkeys(
                _indicators(national_indicators, "national_indicators", observed_indicators(obs, *GAP_MEASURES))
            )
        ),
        income=_indicators(income, "income", observed_indicators(obs, "level"), 1)[0],
        poverty_line=(line[0], line[1]),
        standard=std,
        higher_standard=higher,
        monthly_payment=monthly,
        average_standard=avg,
        counties=(exited, total),
        equivalents=equiv,
    )
    run.province = prov.prepare_province(province, province_regions, province_indicators, province_windows, kinds, obs)
    base = as_year(base_year, "base_year")
    if base is not None:
        years = sorted({p.year for s in run.index_series() for p in s})
        check_choice("base_year (observed in an income or output series of the selected regions; or None)", base, years)
        run.base_year = base
    return run


def selection(run: ComparisonRun) -> pd.DataFrame:
    """What the run compares: each region's role and which of the selected series it observes."""
    rows = []
    for r in run.all_regions:
        have = {ind: run.points(r, ind) for ind in (*run.indicators, *run.growth_indicators)}
        rows.append(
            {
                "region": r,
                "role": "benchmark" if r == run.benchmark else "compared",
                **{ind: " ".join(str(p.year) for p in pts) or "-" for ind, pts in have.items()},
            }
        )
    return pd.DataFrame(rows)


def section_rows(
    run: ComparisonRun,
    section: str,
    metric: str | None = None,
    region: str | None = None,
    status: tuple[str, ...] | None = None,
) -> list[Comparison]:
    """The rows of a section computed so far, filtered by metric, region and status."""
    return [
        c
        for c in run.rows.get(section, [])
        if (metric is None or c.metric == metric)
        and (region is None or c.region == region)
        and (status is None or c.status in status)
    ]


# --------------------------------------------------------------------------------------- the table


def rows_frame(rows: list[Comparison], section: str) -> pd.DataFrame:
    """Rows of one section as a frame with the table's columns."""
    t = pd.DataFrame([{**c.row(), "section": section} for c in rows], columns=list(TABLE_COLUMNS))
    t["external_used"] = t["kinds"].fillna("").str.contains("external")
    return t


def _num(v: float | None, unit: str = "") -> str:
    if v is None or pd.isna(v):
        return ""
    v = float(v)
    if unit.startswith("CAGR"):
        return f"{100 * v:.2f}%"
    if unit.startswith("share remaining"):
        return f"{100 * v:.1f}%"
    if unit == "%":
        return f"{v:g}%"
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:,.0f}"


ROW_BOILERPLATE = (
    (
        "(ANNUAL_PER_CAPITA rule)",
        (
            "Per-capita rural income (元) is taken as an amount per person per year, the unit of the standards and "
            "of the poverty line (元/年): the rule `analysis.metrics.compare.ANNUAL_PER_CAPITA`, noted on each row "
            "it applies to in the CSV table."
        ),
    ),
    (
        "the areas overlap and are not independent",
        (
            "Where a region lies inside its benchmark area (data/raw/region_overlaps.csv), the two overlap and are "
            "not independent: a gap compares a part with a whole that contains it (noted on each such row in the "
            "CSV table)."
        ),
    ),
)
"""Row-note clauses that repeat on every row they apply to, with the sentence that states them once.

The CSV table keeps them on every row; the displayed rows drop them (:func:`strip_boilerplate`)
and the caveat section states each once."""


def strip_boilerplate(note: str) -> str:
    """A row note without the clauses of :data:`ROW_BOILERPLATE` (stated once in the caveats).

    >>> strip_boilerplate("Wuling area contains Xiangxi: the areas overlap and are not independent; external")
    'external'
    """
    parts = [p for p in str(note).split("; ") if not any(marker in p for marker, _ in ROW_BOILERPLATE)]
    return "; ".join(parts)


def display_rows(table: pd.DataFrame, section: str) -> pd.DataFrame:
    """The rows of one section of a table, formatted for reading (the CSV keeps full precision)."""
    check_choice("section", section, SECTIONS)
    t = table[table["section"] == section]
    out = pd.DataFrame(
        {
            "metric": t["metric"],
            "region": t["region"],
            "benchmark": t["benchmark"],
            "year_or_period": t["year_or_period"],
            "value": [_num(v, u) for v, u in zip(t["value"], t["unit"], strict=True)],
            "benchmark_value": [_num(v, u) for v, u in zip(t["benchmark_value"], t["benchmark_unit"], strict=True)],
            "ratio": ["" if pd.isna(v) else f"{v:.3f}" for v in t["ratio"]],
            "gap": [
                ""
                if pd.isna(v)
                else (
                    f"{100 * v:+.2f} pp/yr"
                    if u.startswith("CAGR")
                    else f"{v:+,.2f} {u}".replace("percentage points", "pp")
                )
                for v, u in zip(t["gap"], t["gap_unit"], strict=True)
            ],
            "status": t["status"],
            "note": [strip_boilerplate(n) for n in t["note"]],
        }
    )
    return out.reset_index(drop=True)


def write_table(run: ComparisonRun) -> pd.DataFrame:
    """Assemble :attr:`ComparisonRun.rows` (section order), write ``tables/<run_name>.csv`` and its LaTeX."""
    frames = [rows_frame(run.rows[s], s) for s in SECTIONS if run.rows.get(s)]
    run.table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(TABLE_COLUMNS))
    run.table["external_used"] = run.table["kinds"].fillna("").str.contains("external")
    run.out.table(run.table, run.name)
    shown = [display_rows(run.table, s).assign(section=s) for s in SECTIONS if (run.table["section"] == s).any()]
    if shown:
        basis = "document and external values" if run.include_external else "document values only"
        run.out.latex(
            pd.concat(shown, ignore_index=True)[["section", *shown[0].columns[:-1]]],
            run.name,
            f"Regions, benchmarks and standards compared: gaps and ratios at matched years ({basis}).",
        )
    return run.table
