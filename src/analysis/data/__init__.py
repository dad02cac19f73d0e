"""Data layer: read, validate and derive the curated tables; the loading API.

``csvio``       strict CSV reading (encoding, BOM, empty files) and atomic writes
``fileio``      atomic writes with the umask's modes (standard library only)
``numbers``     printed numbers (full-width digits, decimals of the last printed digit)
``units``       the unit vocabulary and exact conversion to base units
``schema``      pandera schemas of the raw tables
``provenance``  checks that every value is printed in a verbatim quote of its source
``plausibility`` each value against its neighbours in the series (unit slips), rate and share ranges
``raw``         reading every raw table with its row checks
``derive``      derived values (computed, labelled, never typed)
``build``       ``make data`` (``python -m analysis.data.build``): write ``data/processed/``
``load``        the loading API: :func:`load_observations`, :func:`get_series`, :func:`observation`
``exports``     Stata, Excel and panel exports of ``data/processed`` (``in_series``, ``panel.dta``)

May import: ``analysis.paths``, ``analysis.errors`` and itself; never ``metrics``,
``reports`` or ``build``.
"""
