"""Decrypt SQLCipher 4 pages with the raw key, to look inside free pages and WAL frames.

Default SQLCipher 4 layout: 4096-byte pages, AES-256-CBC, 80 reserved bytes at the end of
each page (16-byte IV, then a 64-byte HMAC-SHA512); page 1 starts with the 16-byte salt.
With a raw key (x'…') the AES key is the raw key itself. Tests use this to check that
purged data is gone from every page, not merely unreachable through SQL.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE, RESERVE, SALT = 4096, 80, 16
WAL_HEADER, FRAME_HEADER = 32, 24


def _decrypt_page(page: bytes, key: bytes, first: bool) -> bytes:
    start = SALT if first else 0
    iv = page[PAGE - RESERVE: PAGE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start: PAGE - RESERVE]) + decryptor.finalize()


def decrypted_database(path: Path, key: bytes) -> bytes:
    data = path.read_bytes()
    return b"".join(_decrypt_page(data[i: i + PAGE], key, i == 0)
                    for i in range(0, len(data) - len(data) % PAGE, PAGE))


def decrypted_wal(path: Path, key: bytes) -> bytes:
    if not path.exists():
        return b""
    data = path.read_bytes()
    out = []
    offset = WAL_HEADER
    while offset + FRAME_HEADER + PAGE <= len(data):
        page_number = int.from_bytes(data[offset: offset + 4], "big")
        page = data[offset + FRAME_HEADER: offset + FRAME_HEADER + PAGE]
        out.append(_decrypt_page(page, key, page_number == 1))
        offset += FRAME_HEADER + PAGE
    return b"".join(out)


def encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def occurrences(haystack: bytes, needles: list[str]) -> list[str]:
    return [f"{needle!r} as {form[:6]!r}…" for needle in needles for form in encodings(needle)
            if form in haystack]
