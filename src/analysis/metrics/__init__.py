"""Metrics layer: the pure computations the reports rest on.

``growth``      CAGR, log-linear trend, doubling time, index, changes of rates and counts
``elasticity``  arc, midpoint, semi, window and OLS elasticities; the lognormal benchmark
``compare``     gaps and ratios to a benchmark, standards against lines, refusals
``audit``       recomputation of the documents' derived claims with rounding intervals

May import: ``analysis.data`` (the loading API and number helpers), ``analysis.paths``,
``analysis.errors`` and itself; never ``reports`` or ``build``.
"""
