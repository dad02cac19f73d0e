"""Build layer: turning notebooks into the published reports.

``runs``           the report runs (each notebook with each default parameter set)
``report``         the build driver (``python -m analysis.build.report``): papermill,
                   normalised notebooks, nbconvert HTML, ``reports/index.html``
``kernels``        the kernels of the build: start, reset between runs, a pool of workers
``deps``           the Make dependencies of each run (which modules its notebook imports)
``browser``        ``make screenshots``: every built page checked in headless Chromium, screenshots
``pytest_plugin``  loaded first by pytest (skips an import-time cost of jsonschema)

May import every other layer.
"""
