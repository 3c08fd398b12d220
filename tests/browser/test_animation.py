"""Chapter 11's course animation (matplotlib's FuncAnimation player), played in a real browser."""

from __future__ import annotations

import re

import pytest

from .conftest import open_page

PAGE = "_gallery/11_reinforcement_learning/plot_runner_animation.html"
PLAYER = ".sphx-glr-animation img[id^='_anim_img']"


@pytest.mark.parametrize("lang", ("en", "ko"))
def test_pressing_play_moves_the_runner_animation(driver, base_url, lang):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(driver, f"{base_url}/{lang}/{PAGE}", PLAYER)
    players = driver.find_elements(By.CSS_SELECTOR, PLAYER)
    assert len(players) == 1, "the page has one embedded animation"
    picture = players[0]
    alt = picture.get_attribute("alt") or ""
    assert alt.strip() and (re.search("[가-힣]", alt) is not None) == (lang == "ko"), alt
    slider = driver.find_element(By.CSS_SELECTOR, ".sphx-glr-animation input.anim-slider")
    first_frame, first_position = picture.get_attribute("src"), int(slider.get_attribute("value"))
    assert first_frame.startswith("data:image/png;base64,") and first_position == 0
    driver.find_element(By.CSS_SELECTOR, ".sphx-glr-animation button[title='Play']").click()
    WebDriverWait(driver, 10).until(lambda d: int(slider.get_attribute("value")) > 2)
    assert picture.get_attribute("src") != first_frame  # another frame is shown
    driver.find_element(By.CSS_SELECTOR, ".sphx-glr-animation button[title='Pause']").click()
    paused_at = int(slider.get_attribute("value"))
    driver.execute_script("return new Promise(r => setTimeout(r, 500))")
    assert int(slider.get_attribute("value")) == paused_at  # pause stops it
