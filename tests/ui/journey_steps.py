"""Steps shared by the UI tests that are not about them."""

from __future__ import annotations


def confirm_holder(kiosk) -> None:  # noqa: ANN001
    """Pass the verify step the way a volunteer does (no camera, no portal needed): the
    demo volunteer signs in, then attests with their PIN. For tests about other steps."""
    from kiosk.volunteers import DEMO_VOLUNTEERS

    if kiosk.window.model.screen != "verify":
        return
    code, pin = next(iter(DEMO_VOLUNTEERS.items()))
    if kiosk.volunteer.code != code:
        kiosk.volunteer.signIn(code, pin)
    kiosk.verify.choose("volunteer_attested")
    kiosk.verify.attest(pin)
    assert kiosk.window.model.screen == "form", kiosk.verify.state
