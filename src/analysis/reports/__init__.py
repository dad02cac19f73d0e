"""Reports layer: what the notebooks call.

One module per report selects the run's data and builds its table (``growth``,
``elasticity``, ``comparison``, ``audit``); its figures are in ``<report>_figures`` and,
where the report writes prose, its display tables and generated text in
``<report>_text``. Shared helpers: ``figures`` (style and deterministic saving),
``params`` (parameter validation), ``outputs`` (where a run writes).

May import: ``analysis.data``, ``analysis.metrics``, ``analysis.paths``,
``analysis.errors`` and itself; never ``build``.
"""
