"""Headless Chromium for page tests, driven by selenium through Debian's chromedriver.

Nothing is downloaded at run time: the browser and its driver are the Debian packages
``chromium`` and ``chromium-driver``, installed with apt-get when they are missing (as root).
Tests skip, saying why, only when neither is present nor installable.

Use the ``browser`` fixture (one browser per session) and :func:`screenshot` to keep an image of
what the test saw under ``tests/output/`` (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .debian import apt_install

OUTPUT = Path(__file__).resolve().parent / "output"
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMEDRIVER = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--hide-scrollbars")
PHONE = (390, 844)
DESKTOP = (1280, 900)


def _found(paths: tuple[str, ...]) -> str | None:
    return next((p for p in paths if Path(p).exists()), None)


def _install() -> str:
    return apt_install("chromium", "chromium-driver")


def chromium_paths() -> tuple[str, str]:
    """(browser, driver), installing them first if needed; skips the test when that is impossible."""
    browser, driver = _found(CHROMIUM), _found(CHROMEDRIVER)
    if browser is None or driver is None:
        problem = _install()
        browser, driver = _found(CHROMIUM), _found(CHROMEDRIVER)
        if browser is None or driver is None:
            pytest.skip(f"headless Chromium unavailable: {problem or 'packages installed but binaries not found'}")
    return browser, driver


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Chromium session, closed (with its profile directory removed) after the tests."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = chromium_paths()
    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(driver: object, name: str, *, size: tuple[int, int] = DESKTOP, full_page: bool = True) -> Path:
    """Save what the browser shows as ``tests/output/<name>.png`` at ``size`` (the whole page height)."""
    OUTPUT.mkdir(exist_ok=True)
    width, height = size
    driver.set_window_size(width, height)  # type: ignore[attr-defined]
    if full_page:
        total = driver.execute_script("return document.documentElement.scrollHeight")  # type: ignore[attr-defined]
        driver.set_window_size(width, min(max(height, int(total)), 6000))  # type: ignore[attr-defined]
    path = OUTPUT / f"{name}.png"
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    driver.set_window_size(*DESKTOP)  # type: ignore[attr-defined]
    return path
