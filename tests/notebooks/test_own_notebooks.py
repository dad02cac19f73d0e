"""Room for the economist's own work, and parameter messages that name the fix."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis import paths
from analysis.build.runs import BY_NAME
from analysis.data.load import UnknownChoice, check_choice
from analysis.reports import growth as gr
from analysis.reports import start_here as sh

sys.path.insert(0, str(paths.ROOT / "tools"))
import own_notebook


def test_make_own_copies_the_template_with_its_own_run_name(tmp_path):
    nb_path = own_notebook.create("my_analysis", own=tmp_path)
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    params = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    assert 'run_name = "my_analysis"' in "".join(params["source"])
    assert all(c["outputs"] == [] for c in nb["cells"] if c["cell_type"] == "code")
    with pytest.raises(ValueError, match="exists"):
        own_notebook.create("my_analysis", own=tmp_path)
    with pytest.raises(ValueError, match="letters, digits and _"):
        own_notebook.create("../escape", own=tmp_path)


def test_the_test_suite_and_nbval_leave_own_notebooks_alone():
    planted = paths.NOTEBOOKS / "own" / "zz_planted_by_test.ipynb"
    planted.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), "utf-8")
    try:
        r = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "notebooks", "--nbval"],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
        )
        assert "notebooks/00_start_here.ipynb" in r.stdout and "own/" not in r.stdout
    finally:
        planted.unlink()


def test_a_misspelt_choice_gets_the_closest_valid_one(tmp_path):
    with pytest.raises(UnknownChoice, match=r"did you mean 'gdp'\?"):
        gr.prepare(indicator="gpd", output_dir=tmp_path, run_name="t")
    with pytest.raises(UnknownChoice, match=r"did you mean 'Wuling'\?"):
        check_choice("region", "Wulin", ["China", "Hunan", "Wuling", "Xiangxi"])


def test_break_years_default_is_the_sentinel_and_a_bad_year_is_named(tmp_path):
    run = gr.prepare(break_years="default", output_dir=tmp_path, run_name="t")
    gdp = next(sp for sp in run.specs if sp.series_id == "xiangxi.gdp")
    assert gdp.breaks == (2019,)  # the census revision, as with "auto"
    with pytest.raises(UnknownChoice, match="'twenty' is not a year"):
        gr.prepare(break_years=["twenty"], output_dir=tmp_path, run_name="t")


def test_a_document_id_with_ext_names_the_document_id(tmp_path):
    defaults = BY_NAME["start_here"].defaults()  # the template notebook's parameters cell
    with pytest.raises(UnknownChoice, match=r"that year's value is a document one, 'xiangxi\.gdp\.2019'"):
        sh.prepare(**{**defaults, "obs_id": "xiangxi.gdp.2019.ext", "output_dir": tmp_path, "run_name": "t"})
