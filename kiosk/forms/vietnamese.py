"""Vietnamese text rules the forms depend on: NFC, name case, search folding, dates in words.

Everything a resident reads or the portal receives is NFC (Unicode composed form):
chip data, typed text and the shipped specs may arrive decomposed (NFD), and two
spellings of "Nguyễn" must compare equal and serialize to the same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from num2words import num2words

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """The NFC form of ``text`` with runs of white space collapsed and the ends trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """A diacritic- and case-insensitive key: "Hà Nội" and "ha noi" fold to "ha noi".

    Vietnamese "đ" is a letter of its own, not "d" plus a mark, so NFD leaves it whole:
    it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


def matches(query: str, candidate: str) -> bool:
    """True when every folded word of ``query`` starts a word of ``candidate`` (any order)."""
    words = fold(candidate).replace("-", " ").split()
    return all(any(word.startswith(part) for word in words) for part in fold(query).split())


def search(query: str, items: list[str]) -> list[str]:
    """Items matching ``query`` (see :func:`matches`), best first: prefix matches lead."""
    folded = fold(query)
    found = [item for item in items if matches(query, item)]
    return sorted(found, key=lambda item: (not fold(item).startswith(folded), fold(item)))


def name_case(text: str) -> str:
    """A person's name as registers write it: each syllable capitalised ("Nguyễn Thị Ánh").

    Vietnamese names have no lower-case particles, so every syllable (also after a
    hyphen, as in some minority-language names) takes a capital; the rest is lower case.
    """
    def cap(word: str) -> str:
        return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))

    return " ".join(cap(word) for word in nfc(text).split(" ") if word)


_MONTHS = ("một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười",
           "mười một", "mười hai")


def number_in_words(value: int) -> str:
    """A whole number in Vietnamese words, as civil-status registers write it.

    num2words reads 2021 as "hai nghìn lẻ hai mươi mốt"; the registers say
    "hai nghìn không trăm hai mươi mốt" (an empty hundreds place is read "không trăm",
    an empty tens place "linh"), so the part below a thousand is composed here.
    """
    if value < 0:
        raise ValueError("number_in_words takes a number of zero or more")
    return _in_words(value, leading=False)


_SCALES = ((10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn"))


def _in_words(value: int, *, leading: bool) -> str:
    """``leading``: a lower part after a higher one, read in full ("không trăm linh năm")."""
    for scale, word in _SCALES:
        if value >= scale:
            high, rest = divmod(value, scale)
            head = f"{_in_words(high, leading=leading)} {word}"
            return head if rest == 0 else f"{head} {_in_words(rest, leading=True)}"
    return _below_thousand(value, leading=leading)


def _below_thousand(value: int, *, leading: bool) -> str:
    hundreds, rest = divmod(value, 100)
    if hundreds == 0 and not leading:
        return num2words(rest, lang="vi")
    head = f"{num2words(hundreds, lang='vi')} trăm" if hundreds else "không trăm"
    if rest == 0:
        return head
    if rest < 10:
        return f"{head} linh {num2words(rest, lang='vi')}"
    return f"{head} {num2words(rest, lang='vi')}"


def date_in_words(day: date) -> str:
    """The date in words as the birth register writes it beside the digits (TT 04/2024/TT-BTP).

    "Ngày mười lăm, tháng hai, năm một nghìn chín trăm chín mươi".
    """
    return (f"Ngày {number_in_words(day.day)}, tháng {_MONTHS[day.month - 1]}, "
            f"năm {number_in_words(day.year)}")


_UNITS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5,
          "lăm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}


def words_to_number(text: str) -> int:
    """Read back a number written by :func:`number_in_words` (used to check it both ways)."""
    total, current = 0, 0
    words = nfc(text).split(" ")
    index = 0
    while index < len(words):
        word = words[index]
        if word == "nghìn":
            total += (current or 1) * 1000
            current = 0
        elif word == "trăm":
            current = (current % 10) * 100 + (current - current % 10)
        elif word == "mươi":
            current = current - current % 10 + (current % 10) * 10
        elif word == "mười":
            current += 10
        elif word in ("linh", "lẻ"):
            pass
        elif word in _UNITS:
            current += _UNITS[word]
        else:
            raise ValueError(f"not a Vietnamese number word: {word!r}")
        index += 1
    return total + current


def words_to_date(text: str) -> date:
    """Read back a date written by :func:`date_in_words`."""
    match = re.fullmatch(r"ngày (.+), tháng (.+), năm (.+)", nfc(text).casefold())
    if not match:
        raise ValueError("expected 'Ngày …, tháng …, năm …'")
    day, month, year = match.groups()
    return date(words_to_number(year), _MONTHS.index(month) + 1, words_to_number(day))
