"""The verify step of the journey (issue #10): a procedure that needs 'substantial' is not
opened on a card read alone; each way up (VNeID, volunteer, face with liveness) lifts the
resident to it and is recorded on the dossier; with no way available, the counter."""

from __future__ import annotations

import time

import pytest


def wait_until(qtbot, condition, timeout: float = 60.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        qtbot.wait(20)


def _build(overrides: dict[str, str] | None = None):  # noqa: ANN202
    from kiosk.app import build_kiosk
    from kiosk.config import load_settings

    built = build_kiosk(load_settings(demo=True, overrides=overrides or {}))
    assert built.services.ready.wait(60)
    return built


@pytest.fixture
def online(qapp, kiosk_home):  # noqa: ANN001, ANN201
    built = _build()
    wait_until_online(built)
    yield built
    built.close()


@pytest.fixture
def offline(qapp, kiosk_home):  # noqa: ANN001, ANN201
    built = _build({"portal.url": "http://127.0.0.1:9"})
    yield built
    built.close()


def wait_until_online(built, timeout: float = 30.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    from PySide6.QtCore import QCoreApplication

    while not built.services.desk.portal_online():
        assert time.monotonic() < deadline, "the demo portal never came up"
        QCoreApplication.processEvents()
        time.sleep(0.02)


def to_services(qtbot, kiosk, resident: str) -> None:  # noqa: ANN001
    from kiosk.demo_residents import card_qr_text

    model = kiosk.window.model
    model.start()
    kiosk.services.desk.reader.place(resident)
    kiosk.session.scanQr(card_qr_text(resident))
    kiosk.session.consentAndRead()
    wait_until(qtbot, lambda: model.screen == "welcome")
    kiosk.session.continueToServices()


def submit_and_identification(qtbot, kiosk) -> dict:  # noqa: ANN001
    """Fill what is left with the first options, submit, and read the stored record."""
    session, model = kiosk.session, kiosk.window.model
    while model.screen == "form":
        for field in session.page["fields"]:
            if field["value"] in ("", None) and field["required"]:
                if field["options"]:
                    session.setField(field["key"], field["options"][0]["value"])
                elif field["type"] == "phone":
                    session.setField(field["key"], "0912345678")
                else:
                    session.setField(field["key"], "Kết hôn")
        session.nextPage()
    kiosk.outcome.submit()
    wait_until(qtbot, lambda: model.screen == "receipt")
    store = kiosk.services.desk.store
    latest = max(store.list_items(), key=lambda item: item.created_at)
    return store.get(latest.submission_id).identification


def test_card_alone_is_not_enough_and_vneid_lifts_it(qtbot, online) -> None:
    """A genuine card is 'low': the form does not open. The drawn demo photo has no face, so
    after the check only VNeID is offered; the demo app approves as the holder; the form
    opens and the dossier records card + VNeID at 'substantial'."""
    kiosk = online
    to_services(qtbot, kiosk, "001090012345")
    kiosk.session.chooseService("marital_status_confirmation")
    assert kiosk.window.model.screen == "verify" and kiosk.session.page == {}
    state = kiosk.verify.state
    assert state["required"] == "substantial" and state["reached"] == "low"
    wait_until(qtbot, lambda: not kiosk.verify.state["checkingPhoto"])
    assert kiosk.verify.state["methods"] == ["vneid_l2"] and kiosk.verify.state["faceUnusable"]
    kiosk.verify.choose("vneid_l2")
    wait_until(qtbot, lambda: kiosk.verify.state["shortCode"] != "")
    wait_until(qtbot, lambda: kiosk.window.model.screen == "form")
    record = submit_and_identification(qtbot, kiosk)
    assert record["level"] == "substantial"
    assert [(m["method"], m["decision"]) for m in record["methods"]] == [
        ("card_genuine", "passed"), ("vneid_l2", "passed")]


def test_face_check_with_liveness_lifts_the_level_and_leaves_no_frame(qtbot, online,
                                                                      kiosk_home) -> None:
    """Thu's card carries a real (public-domain) portrait: the camera consent, then the demo
    camera's live-like frames pass liveness and match; afterwards the preview is gone and,
    once the session ends, nothing of the check is held by the UI, and no file the kiosk
    wrote (store, logs, receipts) holds the face descriptor or a camera frame's bytes."""
    kiosk = online
    to_services(qtbot, kiosk, "079301004567")
    kiosk.session.chooseService("marital_status_confirmation")
    wait_until(qtbot, lambda: not kiosk.verify.state["checkingPhoto"])
    assert "face_liveness" in kiosk.verify.state["methods"]
    kiosk.verify.choose("face_liveness")
    assert kiosk.verify.state["step"] == "camera_consent" and not kiosk.verify.state["cameraOn"]
    kiosk.verify.agreeCamera()
    assert kiosk.verify.state["cameraOn"]
    wait_until(qtbot, lambda: kiosk.window.model.screen == "form", timeout=120)
    assert not kiosk.session._images._camera  # noqa: SLF001 - the preview frame was dropped
    record = submit_and_identification(qtbot, kiosk)
    face = record["methods"][-1]
    assert face["method"] == "face_liveness" and face["decision"] == "passed"
    assert set(face) <= {"method", "decision", "at", "band"} and face["band"]
    kiosk.outcome.continueToRating()
    kiosk.outcome.rate(5)
    wait_until(qtbot, lambda: kiosk.window.model.screen == "attract")
    assert not kiosk.session.holds_personal_data()
    _assert_no_biometric_bytes(kiosk_home)


def _assert_no_biometric_bytes(home) -> None:  # noqa: ANN001
    from kiosk.devices.card.virtual.personalize import load_resident
    from kiosk.devices.card.virtual.portrait import portrait_for
    from kiosk.identity.face import FaceMatcher
    from kiosk.identity.synthetic_frames import sequence_for

    photo = portrait_for(load_resident("079301004567"))
    template = FaceMatcher().enroll_chip_photo(photo)
    needles = [template.vector.astype("float64").tobytes()[:64],
               template.vector.astype("float32").tobytes()[:32]]
    frame = sequence_for(photo, rounds=1)[5]
    middle = frame.shape[0] // 2
    needles.append(frame[middle].tobytes()[300:364])  # 64 bytes of a frame's middle row
    written = [path for path in home.rglob("*") if path.is_file()]
    assert written, "the kiosk wrote nothing: the search would prove nothing"
    for path in written:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"biometric bytes in {path}"


def test_offline_with_no_face_and_no_volunteer_sends_to_the_counter(qtbot, offline) -> None:
    """No portal (no VNeID), a drawn photo (no face check), nobody helping: the step says so
    and offers another service; a volunteer signing in then makes attestation possible; a
    wrong PIN is refused; the right one opens the form and is recorded with their code."""
    kiosk = offline
    to_services(qtbot, kiosk, "001090012345")
    kiosk.session.chooseService("marital_status_confirmation")
    wait_until(qtbot, lambda: not kiosk.verify.state["checkingPhoto"]
               and kiosk.verify.state["step"] == "refused")
    assert kiosk.verify.state["methods"] == []
    kiosk.volunteer.signIn("1001", "246813")
    assert kiosk.verify.state["methods"] == ["volunteer_attested"]
    kiosk.verify.choose("volunteer_attested")
    kiosk.verify.attest("000000")
    assert kiosk.verify.state["result"] == "wrong_pin" and kiosk.window.model.screen == "verify"
    kiosk.verify.attest("246813")
    assert kiosk.window.model.screen == "form"
    record = submit_and_identification(qtbot, kiosk)
    assert record["level"] == "substantial"
    assert record["methods"][-1] == {**record["methods"][-1], "method": "volunteer_attested",
                                     "decision": "passed", "by": "1001"}


def test_back_from_the_verify_step_returns_to_the_services(qtbot, offline) -> None:
    kiosk = offline
    to_services(qtbot, kiosk, "001090012345")
    kiosk.session.chooseService("marital_status_confirmation")
    assert kiosk.window.model.screen == "verify"
    kiosk.verify.back()
    assert kiosk.window.model.screen == "choose" and kiosk.session.page == {}
