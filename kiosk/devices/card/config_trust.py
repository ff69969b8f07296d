"""Which trust store a kiosk uses: the configured folder, or the TEST CSCA in demo mode."""

from __future__ import annotations

from pathlib import Path

from kiosk.devices.card.trust import TrustStore

__all__ = ["DEMO_TRUST_DIR", "demo_trust_store", "trust_store_for"]

DEMO_TRUST_DIR = Path(__file__).resolve().parents[3] / "resources" / "trust" / "test"


def demo_trust_store() -> TrustStore:
    """The TEST CSCA of the demo cards (never a real anchor)."""
    return TrustStore.load(DEMO_TRUST_DIR)


def trust_store_for(settings) -> TrustStore:  # noqa: ANN001 - kiosk.config.Settings
    """``card.trust_store`` when set; in demo mode without one, the TEST CSCA; otherwise
    resources/trust (where an operator installs real CSCAs)."""
    if settings.card.trust_store:
        return TrustStore.load(Path(settings.card.trust_store))
    if settings.kiosk.demo:
        return demo_trust_store()
    return TrustStore.load(settings.trust_store)
