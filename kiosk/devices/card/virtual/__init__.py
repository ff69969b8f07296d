"""The virtual CCCD: a software chip ID card for demo mode and tests, never a real card.

- :mod:`personalize` turns a demo resident (resources/demo/residents.json) into the chip's
  files (EF.CardAccess, COM, DG1, DG2, DG13, DG14, DG15, SOD), also for vicc;
- :mod:`test_pki` is the deterministic TEST CSCA → document signer that signs them;
- :mod:`chip` is :class:`~kiosk.devices.card.virtual.chip.VirtualCard`, a Transport that
  answers APDUs like the real card (BAC, PACE, secure messaging, CA, AA);
- :mod:`faults` lists what it can be made to do wrong.

Typical use: ``VirtualCard(personalize(load_resident("001090012345")))``.
"""
