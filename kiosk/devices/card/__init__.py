"""The chip ID card (CCCD / Căn cước): ICAO 9303 access, secure messaging, LDS parsing,
authenticity, and one call for the rest of the kiosk: :func:`reader.read_identity`.

Transports (PC/SC on pyscard, the virtual chip) sit behind :class:`transport.Transport`;
nothing in this package imports Qt.
"""
