"""DG2 of the virtual card: a synthetic JPEG portrait in the ICAO biometric templates.

The picture is drawn, not photographed: an invented resident has no face. It is about
20 KB, the size of a real CCCD's DG2, because that size drives the read time and the
APDU counts the benchmark reports. Tests that need a real face detector's cooperation can
pass their own JPEG (e.g. a public-domain portrait) to :func:`encode_dg2`.

Layout: ICAO 9303-10 §4.7.2 (75 → 7F61 → 02 count, 7F60 → A1 header, 5F2E data) around
an ISO/IEC 19794-5:2005 face record ("FAC", version "010").
"""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFilter

from kiosk.devices.card.tlv import encode_tlv

__all__ = ["synthetic_portrait", "encode_dg2", "face_record", "TARGET_JPEG_BYTES"]

TARGET_JPEG_BYTES = 20_000
WIDTH, HEIGHT = 300, 400

_GENDER = {"Nam": 1, "Nữ": 2}  # ISO 19794-5 §5.5.3: 0 unspecified, 1 male, 2 female


def _draw(seed: bytes, noise_level: int) -> Image.Image:
    rng = random.Random(seed)
    shade = rng.randint(150, 200)
    image = Image.new("RGB", (WIDTH, HEIGHT), (235, 238, 242))
    draw = ImageDraw.Draw(image)
    skin = (shade + 40, shade + 10, shade - 20)
    draw.rectangle((40, 300, 260, 400), fill=(40 + rng.randint(0, 60), 60, 110))  # shoulders
    draw.rectangle((125, 250, 175, 310), fill=skin)  # neck
    draw.ellipse((75, 70, 225, 280), fill=skin)  # face
    hair = rng.randint(10, 50)
    draw.chord((70, 50, 230, 200), 180, 360, fill=(hair, hair, hair))
    for x in (110, 165):  # eyes
        draw.ellipse((x, 150, x + 25, 165), fill=(255, 255, 255))
        draw.ellipse((x + 8, 152, x + 18, 163), fill=(40, 30, 20))
    draw.line((150, 165, 145, 210, 158, 212), fill=(shade - 30, shade - 50, shade - 70), width=3)
    draw.arc((120, 215, 180, 250), 20, 160, fill=(150, 60, 60), width=4)  # mouth
    # Texture, so the JPEG weighs what a photograph does.
    grain = Image.frombytes("L", (WIDTH, HEIGHT), rng.randbytes(WIDTH * HEIGHT))
    grain = grain.filter(ImageFilter.GaussianBlur(0.6)).convert("RGB")
    return Image.blend(image, grain, noise_level / 100)


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def synthetic_portrait(key: str, target_bytes: int = TARGET_JPEG_BYTES) -> bytes:
    """A deterministic JPEG portrait for ``key`` whose size is close to ``target_bytes``."""
    image = _draw(hashlib.sha256(key.encode()).digest(), noise_level=12)
    low, high = 5, 95
    best = _jpeg(image, low)
    while low <= high:  # the largest quality that stays under the target
        middle = (low + high) // 2
        data = _jpeg(image, middle)
        if len(data) <= target_bytes:
            best, low = data, middle + 1
        else:
            high = middle - 1
    return best


def _jpeg_size(jpeg: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(jpeg)) as image:
        return image.size


def face_record(jpeg: bytes, sex: str = "") -> bytes:
    """An ISO/IEC 19794-5:2005 face record holding one full-frontal JPEG image."""
    width, height = _jpeg_size(jpeg)
    facial_info = (
        (0).to_bytes(2, "big")  # feature points
        + bytes([_GENDER.get(sex, 0), 0, 0])  # gender, eye colour, hair colour
        + bytes(3) + bytes(2) + bytes(3) + bytes(3)  # mask, expression, pose, uncertainty
    )
    image_info = (
        bytes([1, 0])  # full frontal, JPEG (§5.7.1, §5.7.2)
        + width.to_bytes(2, "big") + height.to_bytes(2, "big")
        + bytes([1, 2])  # 24-bit RGB, digital still camera
        + bytes(2) + bytes(2)  # device type, quality: unspecified
    )
    block = facial_info + image_info + jpeg
    block = (len(block) + 4).to_bytes(4, "big") + block
    header_length = 14
    return (b"FAC\x00" + b"010\x00" + (header_length + len(block)).to_bytes(4, "big")
            + (1).to_bytes(2, "big") + block)


def encode_dg2(jpeg: bytes, sex: str = "") -> bytes:
    """EF.DG2 bytes (tag 75) around one face image (ICAO 9303-10 §4.7.2)."""
    header = (
        encode_tlv(0x80, b"\x01\x01")  # ICAO header version 1.1
        + encode_tlv(0x81, b"\x02")  # biometric type: facial features
        + encode_tlv(0x87, b"\x01\x01")  # format owner: ISO/IEC JTC1 SC37
        + encode_tlv(0x88, b"\x00\x08")  # format type: face image
    )
    instance = encode_tlv(0x7F60, encode_tlv(0xA1, header) + encode_tlv(0x5F2E, face_record(jpeg, sex)))
    return encode_tlv(0x75, encode_tlv(0x7F61, encode_tlv(0x02, b"\x01") + instance))


def public_domain_portrait(name: str) -> bytes:
    """A real face for a demo card, so the face check has something to match: the portrait
    named in residents.json ("skimage:astronaut" — NASA's public-domain photo of Eileen
    Collins, shipped in scikit-image's wheel), cropped to the head and shoulders (3:4) and
    saved as a JPEG of DG2's usual size."""
    if name != "skimage:astronaut":
        raise ValueError(f"unknown demo portrait {name!r}")
    from skimage import data

    image = Image.fromarray(data.astronaut()).crop((120, 0, 384, 352)).resize((WIDTH, HEIGHT))
    for quality in (85, 75, 65, 55):
        jpeg = _jpeg(image, quality)
        if len(jpeg) <= TARGET_JPEG_BYTES * 1.5:
            break
    return jpeg


def portrait_for(resident: dict) -> bytes:
    """The DG2 picture of a demo resident: their named public-domain portrait, else drawn."""
    named = resident.get("portrait")
    return public_domain_portrait(named) if named else synthetic_portrait(resident["id"])
