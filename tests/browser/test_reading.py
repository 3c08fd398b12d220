"""What a reader does on a chapter page: copy code, read on a phone."""

from __future__ import annotations

import pytest

from .conftest import open_page

CHAPTER = "{lang}/book/{lang}/04-backpropagation.html"

# clipboard.js copies by selecting a hidden textarea and calling execCommand('copy');
# record what it would have put on the clipboard.
RECORD_COPIES = """
window.__copied = [];
const original = document.execCommand.bind(document);
document.execCommand = function (command, ...rest) {
  if (command === 'copy') {
    const active = document.activeElement;
    window.__copied.push(active && 'value' in active ? active.value : String(document.getSelection()));
  }
  return original(command, ...rest);
};
if (navigator.clipboard) {
  navigator.clipboard.writeText = (text) => { window.__copied.push(text); return Promise.resolve(); };
}
"""


@pytest.mark.parametrize("lang", ("en", "ko"))
def test_the_copy_button_copies_the_code_without_prompts_or_outputs(driver, base_url, lang):
    from selenium.webdriver.common.by import By

    open_page(driver, f"{base_url}/{CHAPTER.format(lang=lang)}", "div.cell div.cell_input button.copybtn")
    cell = driver.find_element(By.CSS_SELECTOR, "div.cell div.cell_input")
    code = cell.find_element(By.CSS_SELECTOR, "pre").get_attribute("textContent")
    output = driver.find_element(By.CSS_SELECTOR, "div.cell div.cell_output").get_attribute("textContent").strip()
    driver.execute_script(RECORD_COPIES)
    button = cell.find_element(By.CSS_SELECTOR, "button.copybtn")
    driver.execute_script("arguments[0].scrollIntoView(); arguments[0].click();", button)
    copied = driver.execute_script("return window.__copied")
    assert copied, "the copy button copied nothing"
    text = copied[-1]
    assert text.strip() == code.strip()
    assert not text.lstrip().startswith((">>>", "In [", "$ "))
    assert output and output not in text


@pytest.mark.parametrize("lang", ("en", "ko"))
def test_a_phone_reads_the_chapter_without_scrolling_sideways(phone, base_url, lang):
    open_page(phone, f"{base_url}/{CHAPTER.format(lang=lang)}", "article p")  # the prose to measure
    widths = phone.execute_script(
        "const a = document.querySelector('article') || document.body;"
        "return {page: document.documentElement.scrollWidth, view: window.innerWidth,"
        # the prose, not a table's cells, which scroll inside the table's own box
        " text: Math.max(...Array.from(a.querySelectorAll('p')).filter(p => !p.closest('.pst-scrollable-table-container'))"
        ".map(p => p.getBoundingClientRect().right))};"
    )
    assert widths["page"] <= widths["view"] + 1, widths
    assert widths["text"] <= widths["view"] + 1, widths


@pytest.mark.parametrize("start, other", [("en", "ko"), ("ko", "en")])
def test_the_switch_keeps_the_readers_section(driver, base_url, start, other):
    """A deep link works in both editions, and the switch lands on the same section."""
    from selenium.webdriver.common.by import By

    open_page(driver, f"{base_url}/{CHAPTER.format(lang=start).replace('04-backpropagation', '05-convolutional-networks')}#pooling",
              "section#pooling")
    assert driver.find_element(By.ID, "pooling").tag_name == "section"
    link = driver.find_element(By.CSS_SELECTOR, "a.book-lang-other")
    driver.execute_script("arguments[0].click();", link)
    expected = f"{base_url}/{other}/book/{other}/05-convolutional-networks.html#pooling"
    assert driver.current_url == expected
    section = driver.find_element(By.ID, "pooling")
    assert section.tag_name == "section"
    top = driver.execute_script("return arguments[0].getBoundingClientRect().top;", section)
    assert abs(top) < 200, f"the section is not where the reader lands (top at {top}px)"
