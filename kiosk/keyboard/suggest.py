"""Word suggestions for the on-screen keyboard: whole words and phrases with their diacritics.

A resident types letters with or without diacritics ("benh vien phu"); a row of chips
above the keyboard offers what it may be ("Bệnh viện Phụ sản Hà Nội"), matched
diacritic- and case-insensitively on the word being typed and, for phrases, on the words
before it. One tap replaces those words with the chip's text and a space. Elderly
residents who do not know where the tone goes need never place one.

Where the words come from, by the field's type:
- ``name``: common surnames, middle and given names (resources/keyboard/*_names.txt,
  surnames.txt);
- anything else typed on the letter keyboard: the administrative units after the July
  2025 reorganisation (``kiosk.forms.units``, with and without their type word: "Phường
  Láng" and "Láng"), the forms' common words and well-known institutions
  (form_words.txt, institutions.txt), the phrases the field's spec declares
  (``suggestions:``), and, far behind, the names (streets are named after people);
- both: what the resident already typed in this session (``SessionWords``), so a
  hospital typed for the place of death is offered again for the death notice's issuer.
  It is personal data: ``SessionWords.forget`` drops it when the session ends.

Ranking, best first: a suggestion that matches more of the typed words (a phrase
completing "benh vien phu" before a word completing "phu"); one from the field's own
phrases or the session (small, specific lists) before the general lexicon; one whose
folded text is exactly what was typed; one that also agrees with the diacritics typed;
the higher weight; then alphabetical, so the order is stable. The static lexicons are sorted by
folded text and searched with bisect, so a key press costs well under a millisecond.
"""

from __future__ import annotations

import bisect
import heapq
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from kiosk.forms.vietnamese import fold

__all__ = ["Lexicon", "SessionWords", "Suggester", "Suggestion", "accept", "lexicon_kind",
           "names_lexicon", "places_lexicon", "press_after_suggestion", "AUTO_SPACE_PUNCT"]

WORDS_DIR = Path(__file__).resolve().parents[2] / "resources" / "keyboard"
CHIPS = 4
MAX_CONTEXT_WORDS = 6
# Punctuation that takes the place of the space a suggestion added ("Hà Nội" + "," →
# "Hà Nội,"), as phone keyboards do.
AUTO_SPACE_PUNCT = set(",.;:?!)")
# Candidates fetched per lexicon before re-ranking on the typed diacritics.
_FETCH = 12
SESSION_WEIGHT = 1000.0
FIELD_WEIGHT = 500.0


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class Entry(NamedTuple):
    key: str      # folded text: the search key
    text: str     # NFC text, with its diacritics and capitals
    weight: float


class Suggestion(NamedTuple):
    """A chip: ``text`` replaces the typed text from ``start`` up to the cursor."""

    text: str
    start: int


class Lexicon:
    """Words and phrases with weights, searchable by a folded prefix (sorted index + bisect)."""

    def __init__(self, entries: Iterable[tuple[str, float]] = ()) -> None:
        best: dict[str, float] = {}
        for text, weight in entries:
            text = " ".join(_nfc(text).split())
            if text and weight > best.get(text, float("-inf")):
                best[text] = weight
        self._entries = sorted(Entry(fold(text), text, weight) for text, weight in best.items())
        self._keys = [entry.key for entry in self._entries]
        self._cache: dict[str, tuple[Entry, ...]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, text: object) -> bool:
        if not isinstance(text, str):
            return False
        wanted = " ".join(_nfc(text).split())
        index = bisect.bisect_left(self._keys, fold(wanted))
        while index < len(self._entries) and self._entries[index].key == fold(wanted):
            if self._entries[index].text == wanted:
                return True
            index += 1
        return False

    def starting_with(self, folded: str) -> tuple[Entry, ...]:
        """The best entries whose folded text starts with ``folded``: exact matches, then weight."""
        cached = self._cache.get(folded)
        if cached is not None:
            return cached
        low = bisect.bisect_left(self._keys, folded)
        high = bisect.bisect_left(self._keys, folded + "\U0010ffff", lo=low)
        found = tuple(heapq.nlargest(_FETCH, self._entries[low:high],
                                     key=lambda entry: (entry.key == folded, entry.weight)))
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[folded] = found
        return found


def read_words(path: Path) -> list[tuple[str, float]]:
    """Entries of a word list: ``text | weight`` a line (weight 1 if absent), # comments."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        text, _, weight = line.partition("|")
        entries.append((text.strip(), float(weight) if weight.strip() else 1.0))
    return entries


@lru_cache(maxsize=1)
def names_lexicon() -> Lexicon:
    """Surnames, middle and given names; a surname's weight is its population share."""
    entries: list[tuple[str, float]] = []
    for name, scale in (("surnames.txt", 10.0), ("middle_names.txt", 5.0),
                        ("given_names.txt", 3.0)):
        entries += [(text, weight * scale) for text, weight in read_words(WORDS_DIR / name)]
    return Lexicon(entries)


@lru_cache(maxsize=1)
def places_lexicon() -> Lexicon:
    """Current provinces and communes (with and without their type word), form words, institutions."""
    from vietnam_provinces import Ward

    from kiosk.forms.units import OLD_PROVINCES, provinces

    entries: list[tuple[str, float]] = []
    for name in ("form_words.txt", "institutions.txt"):
        entries += [(text, 50.0 + weight) for text, weight in read_words(WORDS_DIR / name)]
    for unit in provinces():
        entries.append((unit.name, 60.0))
        entries.append((_bare(unit.name), 55.0))
    for ward in Ward.iter_all():
        entries.append((ward.name, 20.0))
        entries.append((_bare(ward.name), 10.0))
    for old_name, _ in OLD_PROVINCES.values():
        entries.append((old_name, 5.0))  # places of birth before July 2025 keep their names
    # Streets are named after people ("phố Nguyễn Trãi"): names, far behind places.
    for name in ("surnames.txt", "middle_names.txt", "given_names.txt"):
        entries += [(text, 1.0) for text, _ in read_words(WORDS_DIR / name)]
    return Lexicon(entries)


_TYPE_WORDS = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn ")


def _bare(name: str) -> str:
    """A unit's name without its type word: "Phường Láng" → "Láng"."""
    for word in _TYPE_WORDS:
        if name.startswith(word):
            return name[len(word):]
    return name


def lexicon_kind(field_type: str) -> str:
    """Which lexicon a field's type uses: names, places, or none (e-mail, digits)."""
    if field_type == "name":
        return "name"
    if field_type in ("email", "phone", "id_number", "date", "partial_date", "number", "time"):
        return "none"
    return "place"


class SessionWords:
    """What the resident typed in this session, offered again first. Personal data:
    ``forget`` it at the end of the session."""

    def __init__(self) -> None:
        self._typed: dict[str, dict[str, float]] = {"name": {}, "place": {}}
        self._lexicons: dict[str, Lexicon] = {}

    def remember(self, text: str, field_type: str) -> None:
        """Keep a committed value: the whole of it first, then its comma-separated parts,
        then its words."""
        kind = lexicon_kind(field_type)
        text = " ".join(_nfc(text).split())
        if kind == "none" or not text:
            return
        typed = self._typed[kind]
        pieces = [(text, SESSION_WEIGHT)]
        pieces += [(part.strip(), SESSION_WEIGHT - 100) for part in text.split(",")]
        pieces += [(word.strip(",.;:()"), SESSION_WEIGHT - 200) for word in text.split()]
        for piece, weight in pieces:
            if len(piece) > 1 and weight > typed.get(piece, 0.0):
                typed[piece] = weight
        self._lexicons.pop(kind, None)

    def lexicon(self, kind: str) -> Lexicon:
        if kind not in self._lexicons:
            self._lexicons[kind] = Lexicon(self._typed.get(kind, {}).items())
        return self._lexicons[kind]

    def __bool__(self) -> bool:
        """Whether anything the resident typed is still held."""
        return any(self._typed.values())

    def forget(self) -> None:
        """End of the session: nothing the resident typed is kept."""
        self._typed = {"name": {}, "place": {}}
        self._lexicons = {}

    def __len__(self) -> int:
        return sum(len(texts) for texts in self._typed.values())


@lru_cache(maxsize=64)
def _field_lexicon(phrases: tuple[str, ...]) -> Lexicon:
    return Lexicon((phrase, FIELD_WEIGHT) for phrase in phrases)


def _context(text: str, cursor: int) -> list[int]:
    """Start indexes of the word being typed and of up to 5 words before it (nearest first).

    Only words joined by single spaces count: a comma or a digit ends the context.
    """
    start = cursor
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    if start == cursor:
        return []
    starts = [start]
    while len(starts) < MAX_CONTEXT_WORDS and start >= 2 and text[start - 1] == " " \
            and text[start - 2].isalpha():
        start -= 1
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        starts.append(start)
    return starts


@dataclass(frozen=True)
class Suggester:
    """The chips for one field: its lexicon kind, its spec's phrases, the session's words."""

    kind: str = "place"
    phrases: tuple[str, ...] = ()
    session: SessionWords | None = None

    @classmethod
    def for_field(cls, field_type: str, phrases: Sequence[str] = (),
                  session: SessionWords | None = None) -> Suggester:
        return cls(lexicon_kind(field_type), tuple(_nfc(p) for p in phrases), session)

    def _lexicons(self) -> list[tuple[int, Lexicon]]:
        """The lexicons with their tier: the field's and the session's own come first."""
        if self.kind == "none":
            return []
        found = [(0, names_lexicon() if self.kind == "name" else places_lexicon())]
        if self.phrases and self.kind == "place":
            found.append((1, _field_lexicon(self.phrases)))
        if self.session is not None:
            found.append((1, self.session.lexicon(self.kind)))
        return found

    def suggest(self, text: str, cursor: int | None = None, limit: int = CHIPS) -> list[Suggestion]:
        """The chips for ``text`` with the cursor at ``cursor`` (its end by default), best first."""
        text = _nfc(text)
        cursor = len(text) if cursor is None else cursor
        lexicons = self._lexicons()
        ranked: list[tuple[tuple, Suggestion]] = []
        for words, start in enumerate(_context(text, cursor), start=1):
            typed = text[start:cursor]
            folded = fold(typed)
            lowered = typed.casefold()
            for tier, lexicon in lexicons:
                for entry in lexicon.starting_with(folded):
                    shown = entry.text
                    # A value starts with a capital, as does a word typed with one.
                    if (start == 0 or typed[:1].isupper()) and shown[:1].islower():
                        shown = shown[:1].upper() + shown[1:]
                    if shown == typed:
                        continue
                    rank = (-words, -tier, entry.key != folded,
                            not shown.casefold().startswith(lowered), -entry.weight,
                            entry.key, shown)
                    ranked.append((rank, Suggestion(shown, start)))
        ranked.sort(key=lambda pair: pair[0])
        chips: list[Suggestion] = []
        seen: set[str] = set()
        for _, suggestion in ranked:
            if suggestion.text not in seen:
                seen.add(suggestion.text)
                chips.append(suggestion)
                if len(chips) == limit:
                    break
        return chips


class Accepted(NamedTuple):
    """The text after a chip was tapped, the cursor, and where the added space stands."""

    text: str
    cursor: int
    auto_space: int


def accept(text: str, cursor: int, suggestion: Suggestion) -> Accepted:
    """Replace the typed words with the chip's text and a space (kept if one follows already)."""
    text = _nfc(text)
    after = text[cursor:]
    if after.startswith(" "):
        new = text[:suggestion.start] + suggestion.text + after
        at = suggestion.start + len(suggestion.text) + 1
        return Accepted(new, at, -1)
    new = text[:suggestion.start] + suggestion.text + " " + after
    at = suggestion.start + len(suggestion.text) + 1
    return Accepted(new, at, at - 1)


def press_after_suggestion(text: str, cursor: int, auto_space: int, key: str) -> tuple[str, int]:
    """The text before typing ``key``: punctuation takes the place of a chip's added space."""
    if key in AUTO_SPACE_PUNCT and auto_space == cursor - 1 >= 0 and text[auto_space] == " ":
        return text[:auto_space] + text[cursor:], cursor - 1
    return text, cursor
