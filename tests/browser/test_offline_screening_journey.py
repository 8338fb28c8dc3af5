"""Issue 18, section 2: a screener who opened tanu online screens on a 360 px phone without a
connection, the screening waits on the phone encrypted, and goes to the server on reconnecting."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from tanu.accounts.tests.personas import Personas
from tanu.identification.models import Screening
from tests.browser.helpers import sign_in
from tests.browser.test_accessibility import _violations

pytestmark = pytest.mark.browser

PRESUMED = ["AL-DR-01", "AL-DR-02", "AL-EC-01", "AL-EC-02", "AL-CD-01", "AL-CD-02"]

# What IndexedDB holds, read back in the page: the waiting rows as stored, the key's properties.
READ_STORE = """async () => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("tanu-offline");
    r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  const read = (store, how) => new Promise((ok) => {
    const r = db.transaction(store).objectStore(store)[how](); r.onsuccess = () => ok(r.result);
  });
  const rows = await read("queue", "getAll");
  const keys = await read("keys", "getAll");
  db.close();
  return {
    rows: rows.map((row) => ({
      isCiphertext: row.data instanceof ArrayBuffer,
      ivLength: row.iv.length,
      text: new TextDecoder("latin1").decode(row.data),
      size: row.data.byteLength,
    })),
    keys: keys.map((key) => ({ algorithm: key.algorithm.name, extractable: key.extractable })),
  };
}"""


def _t(language: str, text: str) -> str:
    with translation.override(language):
        return _(text)


def open_offline_page(page: Any, base: str, language: str) -> None:
    sign_in(page, base, "screener", language)
    page.goto(f"{base}/screenings/offline/")
    # The service worker installs (it precaches the page and its data) and takes the page over.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_selector("#offline-form:not([hidden])")


def screen_presumed_victim(page: Any) -> None:
    page.select_option("#offline_place", "patrol")
    page.select_option("#offline_interview_language", "ru")
    page.select_option("#offline_age_group", "adult")
    page.select_option("#offline_form", "labour")
    for code in PRESUMED:
        page.check(f"input[name='ans-{code}'][value=observed]")
    page.wait_for_selector("#offline-outcome[data-outcome=presumed_victim]")
    page.select_option("#offline_judgement", "agree")
    page.locator("#offline-form button[type=submit]").click()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_screener_screens_offline_and_the_screening_reaches_the_server_on_reconnecting(
    live_server: Any, phone: Any, shot: Any, personas: Personas, language: str
) -> None:
    base = live_server.url
    open_offline_page(phone, base, language)
    assert phone.locator("html").get_attribute("lang") == language

    phone.context.set_offline(True)
    phone.goto(f"{base}/cases/")  # any page, unreachable now, shows the offline page
    assert phone.locator("#offline-form").count() == 1
    phone.goto(f"{base}/screenings/offline/")  # from the service worker's cache
    phone.wait_for_selector("#offline-form:not([hidden])")
    status = phone.locator("#offline-status")
    assert status.get_attribute("data-state") == "offline"
    offline = "You are offline. Screenings are kept on this phone, encrypted, and sent when you are back online."
    assert status.inner_text() == _t(language, offline)

    screen_presumed_victim(phone)
    queue = phone.locator("#queue-status")
    phone.wait_for_selector("#queue-status[data-count='1']")
    assert _t(language, "Waiting to be sent: %(count)s") % {"count": 1} == queue.inner_text()
    assert queue.get_attribute("role") == "status"  # read out, not shown by colour alone
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, f"offline-1-waiting-{language}")
    assert not Screening.objects.exists()

    stored = phone.evaluate(READ_STORE)
    assert len(stored["rows"]) == 1
    row = stored["rows"][0]
    assert row["isCiphertext"] and row["ivLength"] == 12 and row["size"] > 100
    for plaintext in ("AL-DR-01", "observed", "patrol", "presumed_victim", "agree"):
        assert plaintext not in row["text"]
    assert stored["keys"] == [{"algorithm": "AES-GCM", "extractable": False}]

    phone.context.set_offline(False)  # the online event sends what waits
    phone.wait_for_selector("#queue-status[data-count='0']")
    phone.wait_for_selector("#sync-results li.success")
    screening = Screening.objects.get()
    assert screening.source == Screening.Source.OFFLINE
    assert screening.status == Screening.Status.FINAL
    assert screening.outcome == "presumed_victim"
    assert screening.device_result["outcome"] == "presumed_victim"
    assert screening.reference in phone.locator("#sync-results").inner_text()
    assert phone.evaluate(READ_STORE)["rows"] == []
    shot(phone, f"offline-2-sent-{language}")

    phone.goto(f"{base}/screenings/")
    assert screening.reference in phone.locator("main").inner_text()


@pytest.mark.django_db(transaction=True)
def test_signing_out_erases_the_screenings_waiting_on_the_phone(
    live_server: Any, phone: Any, personas: Personas
) -> None:
    base = live_server.url
    open_offline_page(phone, base, "en")
    phone.context.set_offline(True)
    screen_presumed_victim(phone)
    phone.wait_for_selector("#queue-status[data-count='1']")

    warnings: list[str] = []

    def accept(dialog: Any) -> None:
        warnings.append(dialog.message)
        dialog.accept()

    phone.on("dialog", accept)
    # Signing out needs the network; the phone erases what waits before it even tries.
    phone.locator(".menu-toggle").click()  # on a phone the sign-out button is in the menu
    with phone.expect_event("requestfailed") as failed:
        phone.locator("form[data-offline-signout] button").click()
    assert failed.value.url.endswith("/accounts/logout/")
    assert warnings and _t("en", "Signing out erases them.").split(".")[0] in warnings[0]

    phone.context.set_offline(False)
    phone.goto(f"{base}/screenings/offline/")  # the sign-out never reached the server
    phone.wait_for_selector("#offline-form:not([hidden])")
    assert phone.evaluate(READ_STORE) == {"rows": [], "keys": []}
    phone.wait_for_selector("#queue-status[data-count='0']")
    assert not Screening.objects.exists()


@pytest.fixture
def phone_axe(browser: Any) -> Any:
    """A 360 x 740 page into which axe can be injected (this context alone bypasses the CSP)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-US", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_offline_page_has_no_serious_accessibility_problem_offline_with_its_questions(
    live_server: Any, phone_axe: Any, personas: Personas
) -> None:
    base = live_server.url
    open_offline_page(phone_axe, base, "kk")
    phone_axe.context.set_offline(True)
    phone_axe.select_option("#offline_age_group", "unknown_maybe_child")
    phone_axe.select_option("#offline_form", "unknown")  # both child lists
    phone_axe.check("input[name='ans-CL-DR-01'][value=observed]")
    phone_axe.wait_for_selector("#offline-outcome[data-outcome=possible_victim]")
    assert _violations(phone_axe) == []
    assert phone_axe.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.django_db(transaction=True)
def test_a_screeners_other_pages_lead_to_the_screenings_still_waiting_on_the_phone(
    live_server: Any, phone: Any, personas: Personas
) -> None:
    base = live_server.url
    open_offline_page(phone, base, "en")
    context = phone.context
    context.set_offline(True)
    screen_presumed_victim(phone)
    phone.wait_for_selector("#queue-status[data-count='1']")
    phone.close()  # the offline page is gone before the connection comes back

    context.set_offline(False)
    page = context.new_page()
    page.goto(f"{base}/")
    note = page.locator("#main .offline-waiting[role=status] a")
    assert "waiting on this phone: 1" in note.inner_text()
    note.click()
    page.wait_for_selector("#queue-status[data-count='0']")
    assert Screening.objects.get().outcome == "presumed_victim"
    page.goto(f"{base}/")
    page.wait_for_selector("#main h1, #main h2")
    assert page.evaluate("() => TanuOfflineStore.count()") == 0
    assert page.locator(".offline-waiting").count() == 0
