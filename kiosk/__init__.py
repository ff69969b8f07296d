"""The self-service kiosk for commune public administration service centres."""

__version__ = "0.1.0"
