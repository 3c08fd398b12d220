"""Every page of both editions, loaded in a real browser as a reader loads it."""

from __future__ import annotations

import urllib.request

import pytest

from .conftest import edition_pages, open_page

LANGUAGES = ("en", "ko")

# Resolves once MathJax has typeset the page (or at once if the page has no MathJax).
WAIT_FOR_MATH = """
const done = arguments[arguments.length - 1];
if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
  MathJax.startup.promise.then(() => done(true), () => done(false));
} else { done(null); }
"""

PAGE_FACTS = """
return {
  lang: document.documentElement.lang,
  images: Array.from(document.images).map(i => ({
    src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0, alt: i.getAttribute('alt'),
    decorative: !!i.closest('.sphx-glr-thumbcontainer, .navbar-brand')})),
  rawMath: document.querySelectorAll('.math:not(:has(mjx-container))').length,
  typeset: document.querySelectorAll('mjx-container').length,
  resources: performance.getEntriesByType('resource').map(e => e.name),
  switchHref: (document.querySelector('a.book-lang-other') || {}).href || null,
};
"""


def _twin(url: str, lang: str) -> str:
    other = "ko" if lang == "en" else "en"
    return url.replace(f"/{lang}/", f"/{other}/")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_loads_cleanly(driver, site, base_url, lang):
    pages = edition_pages(site, lang)
    assert len(pages) >= 10, pages
    driver.get_log("browser")  # forget what earlier tests logged
    problems: list[str] = []
    for page in pages:
        if 'http-equiv="refresh"' in (site / page).read_text(encoding="utf-8"):
            continue  # an edition's index.html, which only redirects
        url = f"{base_url}/{page}"
        open_page(driver, url)
        driver.execute_async_script(WAIT_FOR_MATH)
        facts = driver.execute_script(PAGE_FACTS)
        errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        if facts["lang"] != lang:
            problems.append(f"{page}: <html lang={facts['lang']!r}>")
        for image in facts["images"]:
            if not image["ok"]:
                problems.append(f"{page}: image not loaded: {image['src']}")
            if image["alt"] is None or not (image["alt"].strip() or image["decorative"]):
                problems.append(f"{page}: image without alt text: {image['src']}")
        if facts["rawMath"]:
            problems.append(f"{page}: {facts['rawMath']} math elements not typeset")
        foreign = [r for r in facts["resources"] if not r.startswith(base_url) and not r.startswith(("data:", "blob:"))]
        if foreign:
            problems.append(f"{page}: requests to other hosts: {foreign[:3]}")
        if errors:
            problems.append(f"{page}: console errors: {errors[:3]}")
        if facts["switchHref"] is None:
            problems.append(f"{page}: no language switch")
        else:
            twin = facts["switchHref"].split("#")[0]
            if twin != _twin(url, lang):
                problems.append(f"{page}: the switch leads to {twin}, not the twin {_twin(url, lang)}")
            else:
                with urllib.request.urlopen(twin) as response:  # the local server only
                    if response.status != 200:
                        problems.append(f"{page}: the twin answers {response.status}")
    assert not problems, "\n".join(problems)


def test_the_front_page_lists_both_editions_and_works_without_javascript(site, base_url, browser_available):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from .conftest import _driver

    options_driver = _driver(1280, 900)
    try:
        # No JavaScript at all: the front page must still offer both editions and their chapters.
        options_driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        options_driver.get(f"{base_url}/index.html")
        # open_page's wait runs JavaScript, which this page must do without; the links are its sign of arrival
        anchors = WebDriverWait(options_driver, 30).until(lambda d: d.current_url.endswith("/index.html")
                                                          and d.find_elements(By.CSS_SELECTOR, "a[href]"))
        links = {a.get_attribute("href") for a in anchors}
        for lang in LANGUAGES:
            chapters = [p for p in edition_pages(site, lang) if "/book/" in p and p.split("/")[-1][:2].isdigit()]
            assert chapters
            missing = [p for p in chapters if f"{base_url}/{p}" not in links]
            assert not missing, f"the front page does not list {missing}"
    finally:
        options_driver.quit()


def test_the_front_page_loads_nothing_from_other_hosts_and_has_a_favicon(driver, base_url):
    driver.get_log("browser")
    open_page(driver, f"{base_url}/index.html")
    facts = driver.execute_script(PAGE_FACTS)
    assert facts["lang"] in LANGUAGES
    assert all(r.startswith(base_url) for r in facts["resources"]), facts["resources"]
    icon = driver.execute_script("const l = document.querySelector('link[rel~=icon]'); return l && l.href")
    assert icon and icon.startswith(base_url), icon
    with urllib.request.urlopen(icon) as response:
        assert response.status == 200
    assert not [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


# What sticks out of a phone's screen: the page's width against the viewport's, whether the page
# really scrolls sideways, and the innermost elements that reach past the right edge (outside any
# box that scrolls or clips them itself), to name them in a failure.
SIDEWAYS = """
const view = document.documentElement.clientWidth;
window.scrollTo(10000, window.scrollY);
const scrolled = window.scrollX;
window.scrollTo(0, window.scrollY);
const contained = (el) => {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const style = getComputedStyle(p);
    if (style.position === 'fixed') return true;
    // overflow does nothing on an inline box (a span.math that sets it still spills over)
    if (style.display !== 'inline' && ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) return true;
  }
  return getComputedStyle(el).position === 'fixed';
};
// an element sticks out by its box, or by content it lets spill (text under white-space: pre)
const sticking = Array.from(document.body.querySelectorAll('*')).filter((el) => {
  const box = el.getBoundingClientRect();
  const spills = getComputedStyle(el).overflowX === 'visible' && box.left + el.scrollWidth > view + 1;
  return box.width > 0 && (box.right > view + 1 || spills) && !contained(el);
});
const innermost = sticking.filter((el) => !sticking.some((other) => other !== el && el.contains(other)));
return {
  view, page: document.documentElement.scrollWidth, scrolled,
  culprits: innermost.slice(0, 4).map((el) =>
    `<${el.tagName.toLowerCase()} class="${el.className && el.className.baseVal === undefined ? el.className : ''}"> `
    + `${Math.round(el.getBoundingClientRect().right)}px: ${(el.textContent || '').trim().slice(0, 50)}`),
};
"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_scrolls_sideways_on_a_phone(phone, site, base_url, lang):
    """Every page, in Chrome's mobile emulation at 375 CSS pixels, fits the screen's width."""
    from .conftest import PHONE_WIDTH

    problems: list[str] = []
    pages = [p for p in edition_pages(site, lang) if 'http-equiv="refresh"' not in (site / p).read_text(encoding="utf-8")]
    assert len(pages) >= 10, pages
    for page in pages:
        open_page(phone, f"{base_url}/{page}")
        phone.execute_async_script(WAIT_FOR_MATH)
        facts = phone.execute_script(SIDEWAYS)
        assert facts["view"] == PHONE_WIDTH, f"the emulated phone is {facts['view']} px wide, not {PHONE_WIDTH}"
        if facts["page"] > facts["view"] or facts["scrolled"] > 0:
            problems.append(f"{page}: {facts['page']} px wide, scrolls {facts['scrolled']} px; " + "; ".join(facts["culprits"]))
    assert not problems, f"{len(problems)} of {len(pages)} pages scroll sideways at {PHONE_WIDTH} px:\n" + "\n".join(problems)
