"""The Qt Quick face of the kiosk: the only package (with kiosk/app.py) that imports PySide6.

View-models here adapt the plain-Python core (journey, card, forms, store, sync) to QML
through properties and signals; QML files under qml/ only render and forward touches.
"""
