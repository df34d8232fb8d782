import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CCM_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (CI installs it and runs these journeys)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own database calls are
    # still synchronous, so Django's async-safety guard must be lifted for the journeys.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    from ccm.states.reference_data import read_reference
    from ccm.states.services import reference_load
    from tests.personas import create_personas

    reference_load(data=read_reference())  # transactional tests start from an emptied database
    create_personas()
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


PHONE, DESKTOP = 390, 1366
# Screenshots of every page a journey looks at, at both widths (var/ is kept out of the repository).
SHOTS = Path(os.environ.get("CCM_JOURNEY_SHOTS", Path(__file__).resolve().parents[2] / "var" / "journeys"))

_LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
  }
  for (const text of document.querySelectorAll('svg text')) {
    const box = text.getBoundingClientRect();
    if (!box.width || !text.getScreenCTM()) continue;
    const size = parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a;
    if (size < 11.5) problems.push(`chart text "${text.textContent.trim().slice(0, 30)}" is ${size.toFixed(1)}px`);
  }
  return problems.slice(0, 10);
}"""


def look(page, name: str) -> None:
    """Look at the current page on a phone and on a laptop: screenshot both, and fail when the page
    scrolls sideways or a chart's text shrinks below 12 px (tables may scroll inside their own box)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = {}
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        found = page.evaluate(_LAYOUT_PROBLEMS)
        if found:
            problems[width] = found
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    assert not problems, f"{name} ({page.url}): {problems}"
