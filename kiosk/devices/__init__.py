"""Hardware behind small interfaces: the chip card, scanners, printers, cameras.

Nothing here knows of forms, the store or sync; each device hands back plain records.
"""
