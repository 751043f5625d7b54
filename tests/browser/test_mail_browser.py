"""The outbox in a real browser: a test message is queued, and its HTML shows in a sandboxed frame."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from wijkfonds.extensions import db
from wijkfonds.services.mail.outbox import queue

from .conftest import login, shot


def test_staff_queue_a_test_message_and_read_it(page: Page, live_server: dict) -> None:
    base = live_server["url"]
    login(page, base, "medewerker@wijkfonds.nl")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.locator("summary", has_text="Meer").click()  # the staff tools are under "Meer"
    menu.get_by_role("link", name="Mail", exact=True).click()
    expect(page.get_by_role("heading", name="Uitgaande mail")).to_be_visible()
    page.get_by_label("E-mailadres").fill("ik@voorbeeld.nl")
    page.get_by_label("Taal van het bericht").select_option("en")
    page.get_by_role("button", name="Testbericht versturen").click()
    expect(page.get_by_text("Het testbericht aan ik@voorbeeld.nl staat in de wachtrij.")).to_be_visible()
    page.get_by_role("link", name="Test message from Neighbourhood Fund").first.click()
    frame = page.frame_locator("iframe[sandbox]")
    expect(frame.get_by_role("link", name="See the outgoing mail")).to_be_visible()
    expect(page.get_by_text("This is a test message, requested by").first).to_be_visible()
    shot(page, "mail-message")


def test_a_script_in_a_messages_html_does_not_run(page: Page, live_server: dict) -> None:
    with live_server["app"].app_context():
        row = queue("x@voorbeeld.nl", "test_message", language="nl", context={"requested_by": "Test"})
        # As if a template let markup through: the frame must still run nothing.
        row.body_html = '<p id="inhoud">Hallo</p><script>document.body.dataset.ran = "ja"</script>'
        db.session.commit()
        mail_id = row.id
    base = live_server["url"]
    login(page, base, "medewerker@wijkfonds.nl")
    page.goto(f"{base}/beheer/mail/{mail_id}")
    body = page.frame_locator("iframe[sandbox]").locator("body")
    expect(body.locator("#inhoud")).to_have_text("Hallo")
    assert body.get_attribute("data-ran") is None
    assert page.locator("body").get_attribute("data-ran") is None
