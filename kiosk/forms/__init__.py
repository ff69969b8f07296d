"""E-forms: procedure specs, the form engine, auto-fill with provenance, the catalogue.

No Qt, no hardware, no network: forms fill themselves from plain records (the chip
identity record, the portal's resident lookup, kiosk settings).
"""
