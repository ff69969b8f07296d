"""What the resident reads when something goes wrong, and where a value came from.

Plain words, Vietnamese first, each failure with what to do next. Messages use named
placeholders (``{what}``), never f-strings, so translations keep them; a test checks that
every message exists in both languages with the same placeholders.
"""

from __future__ import annotations

from kiosk.devices.card.errors import (
    AccessDenied,
    AccessKeyError,
    AuthenticityFailed,
    CardDataError,
    CardRemoved,
    CommunicationError,
    ReaderUnavailable,
)
from kiosk.devices.card.readers import NoCard

MESSAGES: dict[str, dict[str, str]] = {
    "bad_qr": {
        "vi": "Không đọc được mã QR trên thẻ. Hãy quét lại, hoặc nhập số định danh và ngày sinh.",
        "en": "The QR code on the card could not be read. Scan it again, or type your ID number and date of birth."},
    "bad_typed_key": {
        "vi": "Số định danh gồm 12 chữ số và ngày sinh dạng ngày/tháng/năm (ví dụ 15/02/1990). Hãy kiểm tra và nhập lại.",
        "en": "The ID number has 12 digits and the date of birth is day/month/year (e.g. 15/02/1990). Please check and type again."},
    "card_access": {
        "vi": "Thẻ không khớp với số định danh hoặc ngày sinh đã nhập. Hãy kiểm tra lại số đã nhập.",
        "en": "The card does not match the ID number or date of birth entered. Please check what you typed."},
    "card_removed": {
        "vi": "Thẻ đã bị nhấc ra trước khi đọc xong. Hãy đặt lại thẻ lên đầu đọc và giữ yên.",
        "en": "The card was moved away before reading finished. Place it on the reader again and hold it still."},
    "no_card": {
        "vi": "Chưa thấy thẻ trên đầu đọc. Hãy đặt thẻ căn cước lên đầu đọc.",
        "en": "No card on the reader. Please place your ID card on the reader."},
    "reader_missing": {
        "vi": "Đầu đọc thẻ đang không hoạt động. Xin mời bạn đến quầy tiếp nhận; cán bộ sẽ hỗ trợ.",
        "en": "The card reader is not working. Please go to the reception counter; staff will help you."},
    "card_not_genuine": {
        "vi": "Thẻ không qua được kiểm tra xác thực. Xin mời bạn đến quầy tiếp nhận để được hỗ trợ.",
        "en": "The card did not pass the authenticity check. Please go to the reception counter for help."},
    "card_unreadable": {
        "vi": "Không đọc được dữ liệu trên chip. Hãy thử lại; nếu vẫn lỗi, xin mời đến quầy.",
        "en": "The chip's data could not be read. Try again; if it still fails, please go to the counter."},
    "card_other": {
        "vi": "Đọc thẻ không thành công. Hãy thử lại.",
        "en": "Reading the card failed. Please try again."},
    "relative": {
        "vi": "Chưa lấy được thông tin từ Cơ sở dữ liệu dân cư. Hãy nhập các thông tin này, hoặc đọc thẻ căn cước của người đó.",
        "en": "The population database could not be reached. Please type these details, or read that person's ID card."},
    "submit": {
        "vi": "Chưa lưu được hồ sơ. Thông tin của bạn vẫn còn; hãy bấm Gửi lại hoặc nhờ cán bộ hỗ trợ.",
        "en": "Your application could not be saved yet. Your answers are kept; press Send again or ask staff for help."},
    "authenticity_genuine": {
        "vi": "Thẻ căn cước thật: chip đã được xác thực.",
        "en": "Genuine ID card: the chip was verified."},
    "authenticity_untrusted_issuer": {
        "vi": "Đã đọc chip, chữ ký hợp lệ nhưng ki-ốt chưa có chứng thư gốc để xác nhận nơi cấp. Cán bộ sẽ kiểm tra thêm.",
        "en": "Chip read and its signature is valid, but this kiosk has no root certificate to confirm the issuer. Staff will check further."},
    "authenticity_failed": {
        "vi": "Thẻ không qua được kiểm tra xác thực.",
        "en": "The card did not pass the authenticity check."},
}

SOURCES: dict[str, dict[str, str]] = {
    "chip_verified": {"vi": "Từ thẻ căn cước (đã xác thực)", "en": "From your ID card (verified)"},
    "chip": {"vi": "Từ thẻ căn cước", "en": "From your ID card"},
    "lookup": {"vi": "Từ Cơ sở dữ liệu quốc gia về dân cư", "en": "From the national population database"},
    "computed": {"vi": "Ki-ốt tự tính", "en": "Calculated by the kiosk"},
    "setting": {"vi": "Thông tin của trung tâm", "en": "From this service centre"},
    "resident": {"vi": "Bạn đã nhập", "en": "Typed by you"},
    "volunteer": {"vi": "Tình nguyện viên đã nhập", "en": "Typed by a volunteer"},
}


def message(key: str, language: str, **values: str) -> str:
    text = MESSAGES[key]["en" if language == "en" else "vi"]
    return text.format(**values) if values else text


def failure_text(kind: str, language: str, error: Exception | None = None) -> str:
    """The resident's words for a failure: by kind, refined by the typed error."""
    if kind == "card":
        for error_type, key in ((AccessDenied, "card_access"), (CardRemoved, "card_removed"),
                                (NoCard, "no_card"), (ReaderUnavailable, "reader_missing"),
                                (AuthenticityFailed, "card_not_genuine"),
                                (CardDataError, "card_unreadable"),
                                (CommunicationError, "card_unreadable"),
                                (AccessKeyError, "bad_typed_key")):
            if isinstance(error, error_type):
                return message(key, language)
        return message("card_other", language)
    return message(kind, language)


def source_text(source: str, language: str) -> str:
    """'From your ID card', 'From the population database'… for a provenance source."""
    key = source.split(":")[0] if source else ""
    # A default is a suggestion, not a fact: it gets no source line.
    for prefix in ("chip_verified", "chip", "lookup", "computed", "setting", "resident",
                   "volunteer"):
        if key.startswith(prefix):
            return SOURCES[prefix]["en" if language == "en" else "vi"]
    return ""
