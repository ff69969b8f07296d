"""Fixtures shared by the identity tests (the face fixtures live in face_fixtures.py)."""

from face_fixtures import (  # noqa: F401 - pytest finds fixtures by name in conftest
    astronaut,
    astronaut_live,
    matcher,
    obama_live,
    public_images,
)
