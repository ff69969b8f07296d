"""Identification failures: clear words, back to the identify screen, nothing kept."""

from __future__ import annotations

import time

import pytest
from journey_steps import confirm_holder


@pytest.fixture
def kiosk(qapp, kiosk_home):
    from kiosk.app import build_kiosk
    from kiosk.config import load_settings

    settings = load_settings(demo=True, overrides={"portal.url": "http://127.0.0.1:9"})
    built = build_kiosk(settings)
    assert built.services.ready.wait(60)
    yield built
    built.close()


def wait_until(qtbot, condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        qtbot.wait(20)


def test_mistyped_id_is_refused_by_the_card(qtbot, kiosk) -> None:
    """A mistyped ID number (wrong last digit, so a wrong PACE CAN): the chip refuses
    access; the resident is told to check what they typed and is back on identify."""
    model = kiosk.window.model
    model.start()
    kiosk.services.desk.reader.place("001090012345")
    kiosk.session.enterIdAndBirthDate("001090012346", "15/02/1990")
    assert model.screen == "consent"
    kiosk.session.consentAndRead()
    wait_until(qtbot, lambda: model.screen != "reading")
    assert model.screen == "identify"
    assert "không khớp" in kiosk.session.error
    assert kiosk.window.model._journey.session.identity is None


def test_malformed_typed_input_stays_on_identify(qtbot, kiosk) -> None:
    """An 11-digit ID or an impossible date never leaves the identify screen."""
    model = kiosk.window.model
    model.start()
    kiosk.session.enterIdAndBirthDate("00109001234", "15/02/1990")
    assert model.screen == "identify"
    assert "12 chữ số" in kiosk.session.error
    kiosk.session.enterIdAndBirthDate("001090012345", "31/02/1990")
    assert model.screen == "identify"


def test_no_card_on_the_reader(qtbot, kiosk) -> None:
    """The resident scanned a QR but put no card on the reader: 'place your card'."""
    from kiosk.demo_residents import card_qr_text

    model = kiosk.window.model
    model.start()
    kiosk.session.scanQr(card_qr_text("001090012345"))
    kiosk.session.consentAndRead()
    wait_until(qtbot, lambda: model.screen != "reading")
    assert model.screen == "identify"
    assert "Chưa thấy thẻ" in kiosk.session.error


def test_timeout_wipes_the_view_models(qtbot, kiosk) -> None:
    """A resident walks away mid-form: after the warning, nothing personal remains in the
    journey, the view-models, the images or the visible texts."""
    from kiosk.demo_residents import card_qr_text

    model = kiosk.window.model
    journey = model._journey
    model.start()
    kiosk.services.desk.reader.place("001090012345")
    kiosk.session.scanQr(card_qr_text("001090012345"))
    kiosk.session.consentAndRead()
    wait_until(qtbot, lambda: model.screen == "welcome")
    kiosk.session.continueToServices()
    kiosk.session.chooseService("marital_status_confirmation")
    confirm_holder(kiosk)
    assert kiosk.session.holds_personal_data()
    journey._last_activity -= 10_000  # walked away long ago
    journey.tick()
    qtbot.wait(100)
    assert model.screen == "attract"
    assert not kiosk.session.holds_personal_data()
    assert kiosk.session.page == {} and kiosk.session.welcome == {}
    from PySide6.QtQuick import QQuickItem

    texts = " ".join(str(item.property("text") or "")
                     for item in kiosk.window.window.findChildren(QQuickItem))
    assert "Nguyễn Văn An" not in texts and "001090012345" not in texts


def test_card_removed_mid_form_pauses_and_keeps_the_form(qtbot, kiosk) -> None:
    """The card leaves the reader while the resident fills the form: the kiosk pauses and
    asks; going on keeps what was typed; the session is not ended by the removal itself."""
    from kiosk.demo_residents import card_qr_text

    model = kiosk.window.model
    model.start()
    kiosk.services.desk.reader.place("079301004567")
    kiosk.session.scanQr(card_qr_text("079301004567"))
    kiosk.session.consentAndRead()
    wait_until(qtbot, lambda: model.screen == "welcome")
    kiosk.session.continueToServices()
    kiosk.session.chooseService("marital_status_confirmation")
    confirm_holder(kiosk)
    kiosk.session.setField("phone", "0987000111")
    kiosk.services.desk.reader.remove()
    qtbot.wait(50)
    assert kiosk.session.cardRemoved and model.screen == "form"
    kiosk.session.continueWithoutCard()
    assert not kiosk.session.cardRemoved
    values = {field["key"]: field["value"] for field in kiosk.session.page["fields"]}
    assert values.get("phone") == "0987000111"
