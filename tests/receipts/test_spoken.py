"""The spoken receipt: numbers and codes in Vietnamese words, nothing personal."""

from __future__ import annotations

import pytest

from kiosk.receipts.spoken import say_number, spell_code, spoken_receipt


@pytest.mark.parametrize("number, words", [
    (0, "không"), (5, "năm"), (10, "mười"), (15, "mười lăm"), (21, "hai mươi mốt"),
    (24, "hai mươi tư"), (105, "một trăm lẻ năm"), (110, "một trăm mười"),
    (2006, "hai nghìn không trăm lẻ sáu"), (2026, "hai nghìn không trăm hai mươi sáu"),
    (20_000, "hai mươi nghìn"), (200_000, "hai trăm nghìn"), (1_500_000, "một triệu năm trăm nghìn"),
])
def test_numbers_in_words(number: int, words: str) -> None:
    """Vietnamese number reading, including lẻ, mốt, tư and lăm."""
    assert say_number(number) == words


def test_codes_are_spelled() -> None:
    """Codes are read character by character, separators named."""
    assert spell_code("H62-0004") == "hát sáu hai, gạch, không không không bốn"
    assert spell_code("000.12") == "không không không, chấm, một hai"


def test_queued_receipt_sentence(samples) -> None:
    """A queued receipt says the portal has not received it and spells the ticket."""
    text = spoken_receipt(samples["queued"])
    assert "chưa nhận được" in text
    assert "ca không một, gạch, hai sáu một một hai hai, gạch, không không bốn hai" in text
    assert "ngày một tháng mười hai năm hai nghìn không trăm hai mươi sáu" in text
    assert "hai mươi nghìn đồng" in text


def test_received_receipt_sentence(samples) -> None:
    """A received receipt gives the official code and the local (UTC+7) time."""
    text = spoken_receipt(samples["received"])
    assert "đã tiếp nhận" in text and "hát sáu hai" in text
    assert "mười bốn giờ năm phút" in text
    assert "miễn phí" in text


def test_nothing_personal_is_spoken(samples) -> None:
    """Bystanders may hear it: no name, no ID number, no address."""
    for receipt in samples.values():
        text = spoken_receipt(receipt)
        assert receipt.person.full_name not in text
        assert receipt.person.id_number not in text
        assert "không không một không chín không" not in text  # the ID spelled out
        assert "Nguyễn Trãi" not in text
