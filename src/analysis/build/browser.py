"""Check the built pages the way a reader sees them, in headless Chromium, and screenshot them.

``make screenshots`` (``python -m analysis.build.browser``) loads every page of ``reports/`` (the
index, the data catalog, every report and every table page) at a 1280 x 800 viewport, checks that
no page is wider than the window, no table wider than the box it sits in and every image loaded,
and saves a screenshot of each page to ``reports/screenshots/`` for review. The browser test of
``tests/build/test_build.py`` runs the same checks on its own build.

Needs Debian's ``chromium`` and ``chromium-driver`` (``apt-get install chromium chromium-driver``)
and selenium (locked in requirements-dev.lock). Nothing here runs during ``make report``.
"""

from __future__ import annotations

import argparse
import base64
import shutil
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.data.fileio import atomic_write_bytes

#: How to get the browser on Debian (the machines this project runs on).
INSTALL = "apt-get install chromium chromium-driver"

#: Chromium's command line: headless, no network chatter, no sandbox (root in containers).
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)

#: Width of the page, each table against the box it sits in, images that did not load.
MEASURE_JS = """
const de = document.documentElement;
const tables = Array.from(document.querySelectorAll('table')).map((t, i) => {
  const box = t.parentElement;
  return {i: i, id: t.id || (t.closest('[id]') || {}).id || '', width: Math.ceil(t.getBoundingClientRect().width),
          box: Math.floor(box.clientWidth), scroll: box.scrollWidth, boxTag: box.tagName + '.' + box.className};
});
const images = Array.from(document.images).map(i => ({src: (i.getAttribute('src') || '').slice(0, 80),
  complete: i.complete, w: i.naturalWidth}));
return {scrollWidth: de.scrollWidth, innerWidth: window.innerWidth, title: document.title,
        tables: tables, images: images};
"""

#: Screenshot heights (px from the top): a report's first screens, less of the long catalog and
#: of a table page.
TALL = {"report": 4000, "catalog": 2000, "table": 1600}


def chromium_paths() -> tuple[str, str] | None:
    """Chromium and chromedriver on ``PATH`` (Debian packages chromium, chromium-driver), or None.

    Returns
    -------
    tuple of str or None
        ``(chromium, chromedriver)`` when both are found.
    """
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def start(profile: Path, width: int = 1280, height: int = 800, browser: tuple[str, str] | None = None) -> Any:
    """A headless Chromium (selenium WebDriver) whose viewport is ``width`` x ``height``.

    Parameters
    ----------
    profile
        An empty folder for Chromium's user data (a fresh profile per session).
    width, height
        The viewport in CSS pixels (the window is resized until the viewport has this size).
    browser
        ``(chromium, chromedriver)``; found on ``PATH`` when omitted.

    Raises
    ------
    RuntimeError
        When Chromium or chromedriver is missing (with the install command).
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = browser or chromium_paths()
    if not found:
        raise RuntimeError(f"headless Chromium needs chromium and chromedriver on PATH; install with: {INSTALL}")
    opts = webdriver.ChromeOptions()
    opts.binary_location = found[0]
    for flag in CHROME_FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--window-size={width},{height}")
    opts.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(found[1]), options=opts)
    set_viewport(driver, width, height)
    return driver


def set_viewport(driver: Any, width: int, height: int) -> None:
    """Make the page's viewport exactly ``width`` x ``height`` (the window's frame is added)."""
    driver.set_window_size(width, height)
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight];")
    if inner != [width, height]:
        driver.set_window_size(width + (width - inner[0]), height + (height - inner[1]))


def load(driver: Any, page: Path) -> dict[str, Any]:
    """Open ``page``, wait until its images are decoded, and measure it (:data:`MEASURE_JS`)."""
    driver.get(Path(page).resolve().as_uri())
    driver.execute_script("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager');")
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null))).then(() => done(true));"
    )
    return dict(driver.execute_script(MEASURE_JS))


def problems(m: dict[str, Any]) -> list[str]:
    """What is wrong with a measured page (:func:`load`).

    Returns
    -------
    list of str
        The page wider than the window, each table wider than its box (or making it scroll),
        each image that did not load; empty when the page is fine.

    Examples
    --------
    >>> problems({"scrollWidth": 2251, "innerWidth": 1280, "tables": [], "images": []})
    ['page is 2251 px wide in a 1280 px window']
    """
    out = []
    if m["scrollWidth"] > m["innerWidth"]:
        out.append(f"page is {m['scrollWidth']} px wide in a {m['innerWidth']} px window")
    for t in m["tables"]:
        if t["width"] > t["box"] + 1 or t["scroll"] > t["box"] + 1:
            out.append(f"table {t['i']} ({t['id']}) is {t['width']} px wide in a {t['box']} px box ({t['boxTag']})")
    for i in m["images"]:
        if not i["complete"] or i["w"] == 0:
            out.append(f"image did not load: {i['src']}")
    return out


def screenshot(driver: Any, path: Path, max_height: int = 4000) -> None:
    """Save a PNG of the top of the page at the window's width (at most ``max_height`` px tall)."""
    width = driver.execute_script("return window.innerWidth;")
    height = min(max_height, driver.execute_script("return document.documentElement.scrollHeight;"))
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "optimizeForSpeed": True,  # faster zlib setting: a third less time, files a fifth larger
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        },
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, base64.b64decode(shot["data"]))


def site_pages(root: Path) -> list[Path]:
    """Every page of a build: the index, the data catalog, each report, each table page.

    Raises
    ------
    FileNotFoundError
        When ``root`` holds no ``index.html`` (nothing built there yet).
    """
    if not (root / "index.html").is_file():
        raise FileNotFoundError(f"{root}: no index.html; build the reports first (make report)")
    first = [root / "index.html", root / "data_catalog.html"]
    reports = sorted(p for p in root.glob("*.html") if p not in first)
    return [p for p in first if p.exists()] + reports + sorted((root / "tables").glob("*.html"))


def shot_name(page: Path) -> tuple[str, int]:
    """The screenshot's file name for ``page`` and how much of the page it shows (:data:`TALL`).

    Examples
    --------
    >>> shot_name(Path("reports/tables/growth_rates.html"))
    ('table_growth_rates.png', 1600)
    >>> shot_name(Path("reports/elasticities.html"))
    ('elasticities.png', 4000)
    """
    if page.parent.name == "tables":
        return f"table_{page.stem}.png", TALL["table"]
    return f"{page.stem}.png", TALL["catalog" if page.stem == "data_catalog" else "report"]


def check_pages(driver: Any, pages: Iterable[Path], shots: Path | None = None) -> dict[str, list[str]]:
    """Load each page, collect its problems (:func:`problems`) and screenshot it into ``shots``.

    Returns
    -------
    dict
        Page file name (``tables/...`` for a table page) -> its problems, for the pages that have any.
    """
    failures: dict[str, list[str]] = {}
    for page in pages:
        m = load(driver, page)
        if bad := problems(m):
            failures[("tables/" if page.parent.name == "tables" else "") + page.name] = bad
        if shots is not None:
            name, tall = shot_name(page)
            screenshot(driver, shots / name, max_height=tall)
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    """``make screenshots``: check every page of a build and save a screenshot of each.

    Exit status 0 when every page fits, 1 when one does not (each problem printed), 2 when
    there is no build, no browser, or the browser fails (its message printed).
    """
    ap = argparse.ArgumentParser(prog="python -m analysis.build.browser", description=main.__doc__)
    ap.add_argument("reports", nargs="?", type=Path, default=paths.REPORTS, help="the built folder (reports/)")
    ap.add_argument("--screenshots", type=Path, help="where the PNGs go (default: REPORTS/screenshots)")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=800)
    args = ap.parse_args(argv)
    shots = args.screenshots or args.reports / "screenshots"
    from selenium.common.exceptions import WebDriverException

    try:
        pages = site_pages(args.reports)
        with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
            driver = start(Path(profile), args.width, args.height)
            try:
                failures = check_pages(driver, pages, shots)
            finally:
                driver.quit()
    except (FileNotFoundError, RuntimeError, WebDriverException) as exc:
        print(f"screenshots: {str(exc).strip()}", file=sys.stderr)
        return 2
    # Screenshots of pages this build no longer has would pass for current ones: remove them.
    current = {shot_name(p)[0] for p in pages}
    for old in shots.glob("*.png"):
        if old.name not in current:
            old.unlink()
    for page, bad in failures.items():
        for b in bad:
            print(f"{args.reports / page}: {b}", file=sys.stderr)
    print(
        f"screenshots: {len(pages)} pages at {args.width} x {args.height}, {len(failures)} with problems; PNGs in {shots}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
