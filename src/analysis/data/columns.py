"""What each exported column means: the one source of the Stata labels, the Excel ``columns``
sheet and the codebook (``datapackage.json``, :mod:`analysis.data.codebook`)."""

from __future__ import annotations

OBSERVATION_COLUMNS: dict[str, tuple[str, str]] = {
    "series_id": ("Series id (region.indicator)", "Identifier of the series: region.indicator in lower case."),
    "obs_id": (
        "Observation id (region.indicator.year[.ext])",
        "Identifier of the observation, cited in the reports and the data catalog; external rows end in .ext.",
    ),
    "region": ("Region", "Region the value refers to (controlled vocabulary, data/raw/regions.csv)."),
    "indicator": ("Indicator", "What is measured (controlled vocabulary, data/raw/indicators.csv)."),
    "label": ("Indicator label (English)", "Readable English name of the indicator."),
    "year": ("Reference year", "The year the value refers to (for cumulative totals: the last year)."),
    "period_start": (
        "First year of a cumulative period",
        "First year of the period a cumulative total covers; empty for values of a single year.",
    ),
    "value": ("Value in the unit as printed", "The number in the unit as printed in the source (column unit)."),
    "unit": ("Unit as printed (Chinese)", "The unit exactly as the source prints it, e.g. 亿元, 万人, 元/年, %."),
    "value_base": (
        "Value in base unit (yuan, persons, fraction)",
        "The value converted exactly to the base unit: yuan, persons, or a fraction for percentages.",
    ),
    "base_unit": ("Base unit of value_base", "Unit of value_base (yuan, persons, fraction, ...)."),
    "value_low": (
        "Derived: lower end of rounding range",
        "For derived values only: the lowest value the rounding of their inputs allows.",
    ),
    "value_high": (
        "Derived: upper end of rounding range",
        "For derived values only: the highest value the rounding of their inputs allows.",
    ),
    "kind": (
        "Kind: document, external or derived",
        (
            "document: printed in one of the five documents (verbatim quote); external: a secondary source "
            "(publisher and address); derived: computed from other observations (formula in note)."
        ),
    ),
    "qualifier": (
        "Qualifier of the printed number",
        "exact, more_than (多/余/以上/超过), at_least, nearly (近), about (约) or less_than.",
    ),
    "value_printed": ("Number exactly as printed", "The number exactly as printed in the source, without unit."),
    "source_id": ("Source id (see sources sheet)", "The document (doc000-doc004) or external; see the sources."),
    "quote": ("Verbatim quote from the source", "The sentence the value comes from, copied verbatim."),
    "publisher": ("External: publisher", "For external values: who published the figure."),
    "url": ("External: address of the source", "For external values: the address the figure was read from."),
    "basis": ("External: basis of the figure", "For external values: what the figure is based on."),
    "confidence": (
        "External: confidence (high ... low)",
        "For external values: how far the secondary figure can be trusted (high, medium-high, medium, low).",
    ),
    "unit_printed": (
        "External: unit as printed in the source",
        "For external values: the unit as the source prints it when it differs from unit (e.g. 亿人, billion yuan).",
    ),
    "vintage": (
        "External: vintage (preliminary, revised, final)",
        "For external values: preliminary, revised, final or as published.",
    ),
    "preferred": (
        "Preferred among its kind (no: an alternative)",
        (
            "yes: the chosen row of its kind for the region, indicator and year (documents and derived rows are "
            "always yes); no: an external alternative of another vintage or basis, for sensitivity checks only. "
            "A year can have a preferred document row and a preferred external row: in_series says which one "
            "the reports use."
        ),
    ),
    "in_series": (
        "In the series the reports use (yes/no)",
        (
            "yes: the one row per series (region.indicator) and year that the reports and get_series use by "
            "default: a document value before an external one before a derived one, never an alternative "
            "(preferred = no). Keep in_series == yes for one row per series and year (the panel sheet/file)."
        ),
    ),
    "note": ("Note (derived: formula)", "Curator's note; for derived values the formula and inputs."),
    "source_file": ("Curated table the row comes from", "The file in data/raw the row was curated in."),
    "source_row": ("Row in that curated table", "The row number in that file (header = row 1)."),
}
"""Observation columns: (Stata variable label, at most 80 characters; description)."""

PANEL_COLUMNS = (
    "series_id",
    "region",
    "indicator",
    "label",
    "year",
    "period_start",
    "value",
    "unit",
    "value_base",
    "base_unit",
    "kind",
    "qualifier",
    "confidence",
    "vintage",
    "source_id",
    "obs_id",
)
"""Columns of the panel (labels and descriptions as in :data:`OBSERVATION_COLUMNS`): one row
per series and year, the ``in_series`` rows only, so (series_id, year) is unique."""

PANEL_SERIES_LABEL = (
    "Series id (region.indicator); xtset series_id year",
    "Identifier of the series: region.indicator in lower case; in panel.dta a labelled integer (xtset series_id year).",
)

CLAIM_COLUMNS: dict[str, str] = {
    "claim_id": "Identifier of the claim (document.cNN).",
    "source_id": "The document that states the claim.",
    "quote": "The sentence that states the claim, verbatim.",
    "stated_printed": "The stated number exactly as printed.",
    "stated": "The stated number as a plain number.",
    "unit": "Unit of the stated number as printed.",
    "qualifier": "exact, more_than, at_least, nearly, about or less_than.",
    "rounding": "The rounding step of the printed number (the audit's tolerance).",
    "claim_type": "What kind of statement it is (growth, multiple, difference, share, threshold, ...).",
    "inputs": "The observations (obs_id) the claim is recomputed from.",
    "params": "Parameters of the recomputation (e.g. direction=decrease).",
    "note": "Curator's note: what the claim says and what the documents lack.",
}

SOURCE_COLUMNS: dict[str, str] = {
    "source_id": "Identifier of the source.",
    "file": "The project's copy of the document (under data/raw).",
    "slug": "Short readable name.",
    "issuer": "Issuing body (Chinese).",
    "issuer_en": "Issuing body (English).",
    "date": "Date of the document.",
    "title": "Title (Chinese).",
    "title_en": "Title (English).",
    "covers": "What figures the source covers.",
}

VALUE_LABELS: dict[str, tuple[str, ...]] = {
    "kind": ("document", "external", "derived"),
    "qualifier": ("exact", "more_than", "at_least", "nearly", "about", "less_than"),
    "confidence": ("high", "medium-high", "medium", "low"),
    "in_series": ("no", "yes"),
}
"""Closed vocabularies stored as labelled integers (codes in this order, from 0); region
and source_id are labelled too, with the values present (sorted)."""

LABELLED_FROM_DATA = ("region", "source_id")
