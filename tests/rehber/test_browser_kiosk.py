"""The kiosk in headless Chromium at a touch-screen size: the Turkish on-screen keyboard, walking
distance from the kiosk, the QR code, no way out, and the return home after the idle time."""

import pytest

from geo.models import Feature
from rehber.models import Kiosk

from .conftest import KIOSK_AT, live_data

pytestmark = [pytest.mark.browser, live_data]
TOUCH_TARGET_PX = 48
IDLE_SECONDS = 2


@pytest.fixture
def open_kiosk(live_server, browser_page, live_demo):
    """Open the demo kiosk at a touch-screen size, with the given idle time."""
    from playwright.sync_api import expect

    def open_it(idle_seconds: int):
        Kiosk.objects.filter(pk=live_demo.pk).update(idle_seconds=idle_seconds)
        page = browser_page.page
        page.set_viewport_size({"width": 1280, "height": 1024})
        page.goto(f"{live_server.url}/kiosk/{live_demo.kiosk_id}/", wait_until="commit")
        expect(page.locator("body[data-ready=true]")).to_be_attached()
        return page
    return open_it


def tap_keys(page, text: str) -> None:
    for key in text:
        page.locator(f"[data-testid=keyboard] [data-key='{' ' if key == ' ' else key}']").click()


def map_state(page) -> dict:
    return page.evaluate("(() => { const m = window.kentRehber.map, c = m.getCenter();"
                         " return {lat: c.lat, lon: c.lng, zoom: m.getZoom()}; })()")


# Page-side log of touches, the card opening and the return home, so timing is measured in the page
# and not through Playwright's round trips on a busy machine.
RECORDER = """(() => {
  window.__log = {touch: 0, card: null, home: null};
  document.addEventListener('pointerdown', () => { window.__log.touch = performance.now(); }, true);
  const card = document.getElementById('rh-card');
  new MutationObserver(() => {
    if (!card.hidden && !window.__log.card) {
      const walk = card.querySelector('[data-testid=walk]');
      window.__log.card = {at: performance.now(), title: card.querySelector('h2')?.textContent,
                           walk: walk ? walk.textContent : ''};
    }
  }).observe(card, {attributes: true, childList: true, subtree: true});
  new MutationObserver(() => {
    if (document.body.dataset.home === 'true') window.__log.home = performance.now();
  }).observe(document.body, {attributes: true, attributeFilter: ['data-home']});
})()"""


def test_the_kiosk_finds_by_touch_and_returns_home_after_its_idle_time(open_kiosk, browser_page, live_demo):
    from playwright.sync_api import expect

    page = open_kiosk(IDLE_SECONDS)
    ready_ms = int(page.locator("body").get_attribute("data-ready-ms"))
    assert ready_ms >= 0  # the page reports when it became interactive; its speed is measured in bench/
    expect(page.locator(".rh-here")).to_be_visible()
    expect(page.locator(".rh-here-label")).to_have_text("Buradasınız")
    assert page.locator("body").get_attribute("data-home") == "true"
    page.evaluate(RECORDER)

    page.get_by_test_id("search-input").click()
    tap_keys(page, "hilal")
    page.get_by_test_id("suggestion").first.click()

    # nobody touches it any more: after its idle time (2 s) it is back home, ready for the next person
    expect(page.locator("body[data-home=true]")).to_be_attached(timeout=10_000)
    log = page.evaluate("window.__log")
    assert log["card"] and log["card"]["title"] == "Hilal Eczanesi", log
    assert "Kuş uçuşu" in log["card"]["walk"] and "dk" in log["card"]["walk"], log
    idle = (log["home"] - log["touch"]) / 1000
    assert IDLE_SECONDS - 0.05 <= idle <= IDLE_SECONDS + 1.0, f"went home {idle:.2f} s after the last touch"
    expect(page.get_by_test_id("card")).to_be_hidden()
    expect(page.get_by_test_id("keyboard")).to_be_hidden()
    expect(page.get_by_test_id("search-input")).to_have_value("")
    page.wait_for_timeout(300)
    state = map_state(page)
    assert state["zoom"] == live_demo.home_zoom
    assert abs(state["lat"] - KIOSK_AT[1]) < 1e-5 and abs(state["lon"] - KIOSK_AT[0]) < 1e-5
    browser_page.screenshot("kiosk-3-home")
    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"


def test_the_kiosk_offers_no_way_out_and_a_qr_code_to_a_phone(open_kiosk, browser_page, live_server, live_demo):
    from playwright.sync_api import expect

    page = open_kiosk(300)
    page.get_by_test_id("search-input").click()
    expect(page.get_by_test_id("keyboard")).to_be_visible()
    for letter in "çğıöşüi":  # the Turkish Q layout: ç ğ ı ö ş ü and dotted İ
        expect(page.locator(f"[data-testid=keyboard] [data-key='{letter}']")).to_have_count(1)
    expect(page.locator("[data-testid=keyboard] [data-key='i']")).to_have_text("İ")
    expect(page.locator("[data-testid=keyboard] [data-key='ı']")).to_have_text("I")
    tap_keys(page, "hilal")
    expect(page.get_by_test_id("search-input")).to_have_value("hilal")
    first = page.get_by_test_id("suggestion").first
    expect(first).to_contain_text("Hilal Eczanesi")
    expect(first.locator(".rh-option-dist")).to_contain_text("m")
    browser_page.screenshot("kiosk-1-keyboard")
    page.get_by_test_id("keyboard").locator("[data-key=close]").click()
    expect(page.get_by_test_id("keyboard")).to_be_hidden()

    prevented = page.evaluate("(() => { const e = new MouseEvent('contextmenu', {bubbles: true, cancelable: true});"
                              " document.getElementById('rh-map').dispatchEvent(e); return e.defaultPrevented; })()")
    assert prevented, "the context menu must be off"
    pharmacy = Feature.objects.filter(layer__slug="eczaneler").order_by("id").first()
    page.get_by_test_id("cat-eczane").click()
    page.locator(f"[data-ref='f-{pharmacy.pk}']").first.click()
    expect(page.get_by_test_id("card")).to_be_visible()
    expect(page.get_by_test_id("walk")).to_contain_text("yürüyerek")
    page.wait_for_timeout(700)
    browser_page.screenshot("kiosk-2-card")
    # a link that would leave the guide, added by anything, is turned into text
    page.evaluate("document.getElementById('rh-card-body').append(Object.assign(document.createElement('a'),"
                  " {href: 'https://example.com/', textContent: 'dışarı'}))")
    page.wait_for_timeout(100)
    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert all(h.startswith(f"{live_server.url}/kiosk/{live_demo.kiosk_id}/") for h in hrefs), hrefs
    assert page.evaluate("window.open('https://example.com/')") is None

    page.get_by_test_id("qr-button").click()
    qr = page.locator("#rh-qr-img")
    expect(qr).to_be_visible()
    page.wait_for_function("document.getElementById('rh-qr-img').naturalWidth > 0")
    src = qr.get_attribute("src")
    assert src.startswith("/api/rehber/qr.svg?") and f"sel=f-{pharmacy.pk}" in src
    browser_page.screenshot("kiosk-4-qr")

    for target in page.locator(".rh-tool, .rh-cat, .rh-place, .rh-close, .leaflet-control-zoom a").all():
        if target.is_visible():
            box = target.bounding_box()
            assert box["height"] >= TOUCH_TARGET_PX and box["width"] >= TOUCH_TARGET_PX, (target.inner_text(), box)
    assert browser_page.outside == [], f"requests left this machine: {browser_page.outside}"
