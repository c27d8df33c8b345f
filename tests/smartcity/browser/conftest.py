"""The browser harness of tests/browser (headless Debian Chromium that blocks and records every
request leaving 127.0.0.1) for the smart-city pages."""

from tests.browser.conftest import browser_page, chromium  # noqa: F401
