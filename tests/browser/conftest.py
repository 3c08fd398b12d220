"""A real browser (Debian's chromium, driven by selenium) over a locally served build.

The suite needs the ``chromium`` and ``chromium-driver`` packages; nothing here
downloads a browser or a driver. Without them the suite is skipped with a one-line
note on how to install them, except in CI (``CI=true``), where a missing browser
fails. The book it reads is ``$BOOK_HTML`` if set (a built ``_build/html``), or
else one clean build of both editions made for this session.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import urllib.parse
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
INSTALL = "apt-get install chromium chromium-driver"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _browser_missing() -> str | None:
    missing = [name for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)) if not os.access(path, os.X_OK)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[test]')")
    return ", ".join(missing) or None


@pytest.fixture(scope="session")
def browser_available():
    missing = _browser_missing()
    if missing:
        message = f"browser tests not run: {missing} missing; install with `{INSTALL}`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (in CI a missing browser is a failure)")
        pytest.skip(message)


@pytest.fixture(scope="session")
def site(request, browser_available) -> Path:
    """The built HTML (``_build/html`` with ``en/``, ``ko/`` and the landing page).

    ``$BOOK_HTML`` if set (e.g. ``BOOK_HTML=_build/html`` after ``make html``), else the
    session's clean build, which the build tests share.
    """
    prebuilt = os.environ.get("BOOK_HTML")
    if prebuilt:
        return Path(prebuilt).resolve()
    return request.getfixturevalue("clean_build").pristine / "_build" / "html"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output readable
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    # socketserver's listen backlog is 5; a browser opens six connections to a host at once, and on a
    # loaded machine the thread that accepts them may not run for a while
    request_queue_size = 64

    def handle_error(self, request, client_address):
        pass  # the browser drops connections it no longer needs when it leaves a page


@pytest.fixture(scope="session")
def base_url(site):
    """``http://127.0.0.1:PORT`` serving the built book, as ``make serve`` does."""
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _options(width: int, height: int, *, mobile: bool = False):
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    if mobile:
        # Chrome's device emulation, as DevTools' phone mode: a viewport of exactly `width` CSS
        # pixels, a touch screen and a phone's user agent. (A 375 px headless window alone is
        # widened to 500 px, which hid a page 415 px wide.)
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 3.0, "touch": True}}
        )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


def _driver(width: int, height: int, *, mobile: bool = False):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    driver = webdriver.Chrome(options=_options(width, height, mobile=mobile), service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    return driver


@pytest.fixture(scope="session")
def driver(browser_available):
    driver = _driver(1280, 900)
    yield driver
    driver.quit()


#: Whether the page at ``arguments[0]`` (a path) has loaded and shows ``arguments[1]`` (a CSS selector).
_ARRIVED = "return location.pathname === arguments[0] && document.readyState === 'complete' " \
           "&& document.querySelector(arguments[1]) !== null"


def open_page(driver, url: str, css: str = "body", seconds: float = 30) -> None:
    """Go to ``url`` and wait until it has loaded and something matches ``css`` on it.

    ``driver.get`` returns when the browser reports a load, but CI caught it returning before the
    page was there (a cold browser's first page, a loaded machine): a test that looked at once
    found none of the page's elements. A page that never comes fails here, naming what was found.
    """
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    path = urllib.parse.urlsplit(url).path
    try:
        WebDriverWait(driver, seconds).until(lambda d: d.execute_script(_ARRIVED, path, css))
    except TimeoutException:
        found = driver.execute_script("return [location.href, document.title, document.readyState]")
        pytest.fail(f"{url}: nothing matches {css!r} {seconds} s after opening it; the browser shows {found}")


PHONE_WIDTH = 375  #: CSS pixels, the width of the narrowest common phones


@pytest.fixture(scope="session")
def phone(browser_available):
    """A phone in Chrome's mobile emulation: a viewport 375 CSS pixels wide."""
    driver = _driver(PHONE_WIDTH, 812, mobile=True)
    yield driver
    driver.quit()


def edition_pages(site: Path, lang: str) -> list[str]:
    """Every HTML page of an edition, as paths relative to the site root."""
    root = site / lang
    return sorted(
        p.relative_to(site).as_posix()
        for p in root.rglob("*.html")
        if not {"_static", "_sources", "_downloads", "_images"} & set(p.relative_to(root).parts)
    )
