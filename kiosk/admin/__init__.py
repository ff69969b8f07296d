"""Field operations for technicians: provisioning, diagnostics, updates, technician sign-in.

Nothing here imports Qt: the technician screen in ``kiosk/ui`` drives these classes.
"""
