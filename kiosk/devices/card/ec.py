"""Elliptic-curve arithmetic for PACE generic mapping (ICAO 9303-11 §4.4.3.3.1).

PACE maps the nonce to a *new generator* G' = s·G + H, and the ephemeral key agreement
then runs on G'. General libraries only multiply the standard generator, so the point
arithmetic lives here (affine coordinates, Python integers). Not constant-time: the
secrets are ephemeral and the link to the chip is the side channel that matters.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.devices.card.errors import CardDataError

__all__ = ["Curve", "Point", "BRAINPOOL_P256R1", "CURVES_BY_PARAMETER_ID"]

Point = tuple[int, int] | None  # None is the point at infinity


@dataclass(frozen=True)
class Curve:
    """Short Weierstrass curve y² = x³ + ax + b over GF(p) with base point G of order n."""

    name: str
    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int
    h: int = 1

    @property
    def g(self) -> Point:
        return (self.gx, self.gy)

    @property
    def size(self) -> int:
        """Bytes of one coordinate."""
        return (self.p.bit_length() + 7) // 8

    def contains(self, point: Point) -> bool:
        if point is None:
            return True
        x, y = point
        return 0 <= x < self.p and 0 <= y < self.p and (
            y * y - (x * x * x + self.a * x + self.b)) % self.p == 0

    def add(self, p1: Point, p2: Point) -> Point:
        if p1 is None:
            return p2
        if p2 is None:
            return p1
        x1, y1 = p1
        x2, y2 = p2
        if x1 == x2:
            if (y1 + y2) % self.p == 0:
                return None
            slope = (3 * x1 * x1 + self.a) * pow(2 * y1, -1, self.p) % self.p
        else:
            slope = (y2 - y1) * pow(x2 - x1, -1, self.p) % self.p
        x3 = (slope * slope - x1 - x2) % self.p
        return (x3, (slope * (x1 - x3) - y1) % self.p)

    def multiply(self, k: int, point: Point) -> Point:
        result: Point = None
        addend = point
        k %= self.n
        while k:
            if k & 1:
                result = self.add(result, addend)
            addend = self.add(addend, addend)
            k >>= 1
        return result

    def encode(self, point: Point) -> bytes:
        """Uncompressed encoding 04 || X || Y (BSI TR-03111 §3.2.1)."""
        if point is None:
            raise ValueError("cannot encode the point at infinity")
        return b"\x04" + point[0].to_bytes(self.size, "big") + point[1].to_bytes(self.size, "big")

    def decode(self, data: bytes) -> Point:
        """Decode an uncompressed point and check it lies on the curve (no invalid-curve
        attacks from a hostile chip)."""
        size = self.size
        if len(data) != 1 + 2 * size or data[0] != 0x04:
            raise CardDataError(f"an EC point on {self.name} must be 04||X||Y "
                                f"({1 + 2 * size} bytes)")
        point = (int.from_bytes(data[1:1 + size], "big"), int.from_bytes(data[1 + size:], "big"))
        if not self.contains(point):
            raise CardDataError(f"the card sent a point that is not on {self.name}")
        return point


BRAINPOOL_P256R1 = Curve(
    name="brainpoolP256r1",
    p=0xA9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377,
    a=0x7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9,
    b=0x26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6,
    gx=0x8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262,
    gy=0x547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997,
    n=0xA9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7,
)

# ICAO 9303-11 §9.5.1 standardized domain parameters (only the CCCD's is implemented).
CURVES_BY_PARAMETER_ID: dict[int, Curve] = {13: BRAINPOOL_P256R1}
