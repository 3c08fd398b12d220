"""Search as readers type it, run in the real browser on each edition's search page.

``korean_queries.tsv`` and ``english_queries.tsv`` hold queries a reader would type
for the terms and people of every chapter (compounds with and without their space,
with particles and endings, Latin terms inside Korean), each with the page it should
find. The expected page must be among the first three pages the search lists for at
least 95% of the queries; the misses are printed. The queries run through the page's own
search code in one page load; a sample of them also runs as a reader's does, through the
page's address, which must list the same pages in the same order.
"""

from __future__ import annotations

import csv
import urllib.parse
from pathlib import Path

import pytest

from .conftest import open_page

HERE = Path(__file__).parent
TARGET = 0.95

# Waits for searchtools.js to finish and returns the result pages in order (duplicates removed),
# or null if it has not finished in two minutes. The summary paragraph exists, empty, from the
# moment the search starts, and the results are listed one by one after it; only once the last
# one is listed does _finishSearch replace the heading's text, which removes the <span> of pulsing
# dots that performSearch put inside it. (The summary's text cannot tell, for Sphinx's Korean
# catalogue leaves it empty; nor can Search._pulse_status, which a pending pulse sets back to 0.)
# So the test waits for the heading without its span, and a slow machine makes it wait longer,
# never read a partial list.
RESULTS = """
const done = arguments[arguments.length - 1];
const started = Date.now();
(function poll() {
  const title = document.querySelector('#search-results h2');
  if (Date.now() - started > 120000) {
    done(null);
  } else if (title && !title.querySelector('span')) {
    const pages = [];
    for (const a of document.querySelectorAll('#search-results ul.search li > a')) {
      const page = a.pathname;
      if (!pages.includes(page)) pages.push(page);
    }
    done(pages);
  } else { setTimeout(poll, 50); }
})();
"""


def queries(name: str) -> list[tuple[str, str]]:
    with (HERE / name).open(encoding="utf-8") as f:
        return [(row["query"], row["page"]) for row in csv.DictReader(f, delimiter="\t")]


def run_queries(driver, base_url: str, lang: str, rows: list[tuple[str, str]]) -> list[str]:
    """The misses among the queries: each run by the page's own search code, in one page load
    (``RANKED``; test_the_search_page_lists_what_the_search_ranks holds the page to that order)."""
    misses = []
    for (query, page), found in zip(rows, ranked(driver, base_url, lang, [query for query, _ in rows])):
        top = [p.removesuffix(".html") for p in found[:3]]
        if page not in top:
            misses.append(f"{query!r}: wanted {page}, got {top or 'nothing'}")
    return misses


def listed(driver, base_url: str, lang: str, query: str) -> list[str]:
    """The pages the search page lists for a query, typed into its address as a reader's search does."""
    driver.set_script_timeout(150)  # RESULTS gives up after 120 s, and says so
    open_page(driver, f"{base_url}/{lang}/search.html?q={urllib.parse.quote(query)}")
    found = driver.execute_async_script(RESULTS)
    assert found is not None, f"the search for {query!r} did not finish in two minutes"
    return [p.rsplit("/", 1)[-1].removesuffix(".html") for p in found]


@pytest.mark.parametrize("lang, table, minimum", [("ko", "korean_queries.tsv", 80), ("en", "english_queries.tsv", 20)])
def test_readers_queries_find_the_page_about_them(driver, base_url, lang, table, minimum):
    rows = queries(table)
    assert len(rows) >= minimum
    misses = run_queries(driver, base_url, lang, rows)
    hit_rate = 1 - len(misses) / len(rows)
    print(f"\n{lang}: {len(rows) - len(misses)}/{len(rows)} queries find their page in the top three ({hit_rate:.1%})")
    print("\n".join(misses))
    assert hit_rate >= TARGET, f"{hit_rate:.1%} < {TARGET:.0%}:\n" + "\n".join(misses)


def test_the_browser_splits_queries_as_the_build_does(driver, base_url):
    """The JavaScript splitter in the Korean search page and bookbuild/search.py agree."""
    from bookbuild.search import query_terms

    samples = [query for query, _ in queries("korean_queries.tsv")] + [
        "합성곱 신경망은", "제한볼츠만머신을", "학습시키는 방법", "ReLU는", "XOR를 풀려면", "2006년의 돌파구",
    ]
    open_page(driver, f"{base_url}/ko/search.html")
    found = driver.execute_script("return arguments[0].map((q) => splitQuery(q));", samples)
    assert found == [query_terms(q) for q in samples]


# Sphinx's own search (the page's searchtools.js and the book's Scorer) run directly on each query,
# so that the order is the one the page would show, without waiting for the page to display it.
RANKED = """
const [queries, done] = [arguments[0], arguments[arguments.length - 1]];
const started = Date.now();
(function wait() {
  if (!Search.hasIndex()) {
    if (Date.now() - started > 20000) return done(null);
    return setTimeout(wait, 50);
  }
  done(queries.map((query) => {
    history.replaceState(null, "", "?q=" + encodeURIComponent(query));  // the Scorer reads the query here
    const results = Search._performSearch(...Search._parseQuery(query));
    const pages = [];
    for (const result of results.reverse()) if (!pages.includes(result[0])) pages.push(result[0]);
    return pages;  // as the page lists them, first shown first
  }));
})();
"""


def ranked(driver, base_url: str, lang: str, rows: list[str]) -> list[list[str]]:
    open_page(driver, f"{base_url}/{lang}/search.html")
    found = driver.execute_async_script(RANKED, rows)
    assert found is not None, "the search index did not load"
    return [[page.rsplit("/", 1)[-1] for page in pages] for pages in found]


@pytest.mark.parametrize("lang, table", [("ko", "korean_queries.tsv"), ("en", "english_queries.tsv")])
def test_the_search_page_lists_what_the_search_ranks(driver, base_url, lang, table):
    """Loaded with ``?q=``, the page shows the pages in the order ``RANKED`` reads from its search code
    (every ninth query of the table, and the search finished before the list is read)."""
    sample = [query for query, _ in queries(table)][::9]
    assert len(sample) >= 3
    for query, pages in zip(sample, ranked(driver, base_url, lang, sample)):
        assert listed(driver, base_url, lang, query) == [page.removesuffix(".html") for page in pages], query


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_chapter_that_teaches_a_term_ranks_above_the_glossary(driver, base_url, lang):
    """For every glossary term, typed as the glossary writes it (without the part in parentheses),
    the chapter that teaches it is among the first three results and above the glossary entry."""
    from backmatter import ENGLISH, KOREAN, _names, read_glossary

    table = read_glossary()
    queries = [_names(row[KOREAN if lang == "ko" else ENGLISH])[0] for row in table]
    misses, first = [], 0
    for query, row, pages in zip(queries, table, ranked(driver, base_url, lang, queries)):
        chapter = row["Chapter"]
        first += bool(pages) and pages[0] == chapter
        if chapter not in pages[:3] or ("glossary" in pages and pages.index("glossary") < pages.index(chapter)):
            misses.append(f"{query!r}: wanted {chapter} in the top three and above the glossary, got {pages[:4]}")
    print(f"\n{lang}: the teaching chapter comes first for {first} of {len(queries)} terms")
    assert not misses, "\n".join(misses)
