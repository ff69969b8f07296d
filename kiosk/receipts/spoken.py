"""The spoken receipt: the key fields as Vietnamese sentences for the speech output.

A speech engine reads "0004" or "H62" unpredictably, so numbers are written out in words
and codes are spelled one character at a time with Vietnamese letter names.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from kiosk.receipts.record import ReceiptData
from kiosk.receipts.wording import local_time

if TYPE_CHECKING:  # payment.py reads numbers with say_number: import only for the type
    from kiosk.receipts.payment import FeeNotice

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
LETTERS = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "F": "ép", "G": "giê",
    "H": "hát", "I": "i", "J": "gi", "K": "ca", "L": "e lờ", "M": "em mờ", "N": "en nờ",
    "O": "o", "P": "pê", "Q": "quy", "R": "e rờ", "S": "ét xì", "T": "tê", "U": "u", "V": "vê",
    "W": "vê kép", "X": "ích xì", "Y": "i dài", "Z": "dét",
}
SEPARATORS = {".": "chấm", "-": "gạch", "/": "xuyệt", "_": "gạch dưới"}


def _three_digits(n: int, full: bool) -> list[str]:
    """Words for 0-999; ``full`` when a higher group precedes (so 5 reads 'không trăm lẻ năm')."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (hundreds or full):
            words.append("lẻ")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        elif units == 4 and tens >= 2:
            words.append("tư")
        else:
            words.append(DIGITS[units])
    return words


def say_number(n: int) -> str:
    """A whole number in Vietnamese words: 2026 → 'hai nghìn không trăm hai mươi sáu'."""
    if n < 0:
        return "âm " + say_number(-n)
    if n == 0:
        return DIGITS[0]
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    scales = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ")
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            continue
        words += _three_digits(value, full=index < len(groups) - 1)
        if scales[index]:
            words.append(scales[index])
    return " ".join(words)


def spell_code(code: str) -> str:
    """A code read character by character: 'H62-0004' → 'hát sáu hai, gạch, không không không bốn'."""
    parts: list[str] = []
    run: list[str] = []
    for char in code.upper():
        if char in SEPARATORS:
            if run:
                parts.append(" ".join(run))
                run = []
            parts.append(SEPARATORS[char])
        elif char.isdigit():
            run.append(DIGITS[int(char)])
        else:
            run.append(LETTERS.get(char, char))
    if run:
        parts.append(" ".join(run))
    return ", ".join(parts)


def say_date(day: date) -> str:
    return (f"ngày {say_number(day.day)} tháng {say_number(day.month)} "
            f"năm {say_number(day.year)}")


def say_time(moment: datetime) -> str:
    t = local_time(moment)
    minutes = f" {say_number(t.minute)} phút" if t.minute else ""
    return f"{say_number(t.hour)} giờ{minutes}, {say_date(t.date())}"


def say_money(amount: int | None) -> str:
    if amount is None:
        return "theo quy định"
    if amount == 0:
        return "miễn phí"
    return f"{say_number(amount)} đồng"


def spoken_receipt(receipt: ReceiptData, payment: FeeNotice | None = None) -> str:
    """What the kiosk reads aloud: no ID number, name or address (others may be listening).

    ``payment`` (from :func:`kiosk.receipts.payment.fee_notice`) adds how to pay a fee due.
    """
    sentences = []
    if receipt.queued:
        sentences.append(f"Kiosk đã tiếp nhận hồ sơ {receipt.procedure_name}.")
        sentences.append(f"Mã phiếu của ông bà là: {spell_code(receipt.ticket or '')}.")
        sentences.append("Hồ sơ đã được lưu tại kiosk nhưng Cổng Dịch vụ công chưa nhận được. "
                         "Kiosk sẽ tự động gửi khi có kết nối mạng.")
    else:
        sentences.append(f"Cổng Dịch vụ công đã tiếp nhận hồ sơ {receipt.procedure_name}.")
        sentences.append(f"Mã hồ sơ là: {spell_code(receipt.official_code or '')}.")
    sentences.append(f"Thời điểm nộp: {say_time(receipt.submitted_at)}.")
    if receipt.due_date:
        sentences.append(f"Ngày hẹn trả kết quả: {say_date(receipt.due_date)}.")
    if receipt.collect_at:
        sentences.append(f"Nơi nhận kết quả: {receipt.collect_at}.")
    sentences.append(f"Phí, lệ phí: {say_money(receipt.fee_vnd)}.")
    if payment is not None and payment.by_qr:
        sentences.append("Ông bà có thể quét mã thanh toán VietQR trên phiếu bằng ứng dụng "
                         "ngân hàng, hoặc nộp phí tại quầy thu phí của trung tâm.")
    elif payment is not None:
        sentences.append("Xin ông bà nộp phí tại quầy thu phí của trung tâm.")
    sentences.append("Xin ông bà giữ phiếu này để tra cứu và nhận kết quả.")
    return " ".join(sentences)
