"""Headless Chromium for the page tests: start it, and measure a page the way a reader sees it."""

from __future__ import annotations

import shutil
from pathlib import Path

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

# Width of the page, widest table against the box it sits in, images that did not load.
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


def chromium_paths() -> tuple[str, str] | None:
    """Chromium and chromedriver (Debian packages chromium, chromium-driver), or None."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return (chromium, driver) if Path(chromium).exists() and Path(driver).exists() else None


def start(profile: Path, width: int = 1280, height: int = 800, browser: tuple[str, str] | None = None):
    """A headless Chromium whose viewport is ``width`` x ``height``.

    ``browser`` is (chromium, chromedriver), e.g. from the ``chromium`` fixture of conftest.py
    (which skips the test, or fails it under CI, when they are missing).
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = browser or chromium_paths()
    assert found, "install Debian's chromium and chromium-driver (.ci/run does)"
    opts = webdriver.ChromeOptions()
    opts.binary_location = found[0]
    for f in CHROME_FLAGS:
        opts.add_argument(f)
    opts.add_argument(f"--window-size={width},{height}")
    opts.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(found[1]), options=opts)
    # --window-size sets the outer window; make the viewport exactly width x height.
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight];")
    if inner != [width, height]:
        driver.set_window_size(width + (width - inner[0]), height + (height - inner[1]))
    return driver


def load(driver, page: Path) -> dict:
    """Open ``page``, wait for its images, and measure it (:data:`MEASURE_JS`)."""
    driver.get(Path(page).resolve().as_uri())
    driver.execute_script("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager');")
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null))).then(() => done(true));"
    )
    return driver.execute_script(MEASURE_JS)


def problems(m: dict) -> list[str]:
    """What is wrong with a measured page: too wide, a table wider than its box, an image not loaded."""
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


def screenshot(driver, path: Path, max_height: int = 4000) -> None:
    """A screenshot of the top of the page at the window's width (at most ``max_height`` px tall)."""
    import base64

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
    path.write_bytes(base64.b64decode(shot["data"]))
