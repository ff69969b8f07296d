"""The receipt's Vietnamese words and formats, shared by the paper and the spoken receipt."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from kiosk.receipts.record import ReceiptData

# Receipts show the time in Vietnam (UTC+7, no daylight saving) whatever the machine's zone.
VIETNAM = timezone(timedelta(hours=7), "ICT")

TITLE_RECEIVED = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
TITLE_QUEUED = "PHIẾU TIẾP NHẬN TẠI KIOSK"
SUBTITLE_QUEUED = "(Hồ sơ đang chờ gửi lên Cổng Dịch vụ công)"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

QUEUED_STATEMENT = ("Hồ sơ đã được lưu an toàn tại kiosk nhưng CỔNG DỊCH VỤ CÔNG CHƯA NHẬN được. "
                    "Kiosk sẽ tự động gửi khi có kết nối; mã hồ sơ chính thức sẽ được thông báo "
                    "qua tin nhắn hoặc khi tra cứu.")
RECEIVED_STATEMENT = "Cổng Dịch vụ công đã tiếp nhận hồ sơ."
SEAL_NOTE = ("Mã QR có chữ ký số của kiosk, kiểm tra được không cần mạng. "
             "Mã QR không chứa họ tên hay số định danh.")

LABELS = {
    "official_code": "Mã hồ sơ",
    "ticket": "Mã phiếu kiosk",
    "receipt_number": "Số phiếu",
    "procedure": "Thủ tục",
    "receiving_unit": "Cơ quan tiếp nhận",
    "person": "Người nộp hồ sơ",
    "id_number": "Số định danh cá nhân",
    "address": "Địa chỉ",
    "phone": "Điện thoại",
    "email": "Thư điện tử",
    "representative": "Người đại diện",
    "components": "Thành phần hồ sơ",
    "processing_time": "Thời gian giải quyết",
    "submitted_at": "Thời điểm nộp",
    "due_date": "Ngày hẹn trả kết quả",
    "collect_at": "Nơi nhận kết quả",
    "fee": "Phí, lệ phí",
    "status": "Tình trạng",
}


def local_time(moment: datetime) -> datetime:
    return moment.astimezone(VIETNAM)


def format_datetime(moment: datetime) -> str:
    """'14 giờ 05 phút, ngày 22/11/2026' as Vietnamese public documents write it."""
    t = local_time(moment)
    return f"{t.hour:02d} giờ {t.minute:02d} phút, ngày {t.day:02d}/{t.month:02d}/{t.year}"


def format_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_money(amount: int | None) -> str:
    """'20.000 đồng' (Vietnamese groups thousands with dots); 0 reads 'Miễn phí'."""
    if amount is None:
        return "Theo quy định"
    if amount == 0:
        return "Miễn phí"
    return f"{amount:,}".replace(",", ".") + " đồng"


def status_text(receipt: ReceiptData) -> str:
    return ("Đang chờ gửi lên Cổng Dịch vụ công" if receipt.queued
            else "Cổng Dịch vụ công đã tiếp nhận")


def lookup_hint(receipt: ReceiptData) -> str:
    """How to follow the dossier: by the code the resident holds, at the portal or the counter."""
    if receipt.queued:
        return (f"Tra cứu tình trạng bằng mã phiếu {receipt.ticket} tại kiosk hoặc quầy tiếp nhận; "
                f"sau khi gửi, tra cứu mã hồ sơ chính thức tại {receipt.lookup_url}.")
    return f"Tra cứu tình trạng hồ sơ {receipt.official_code} tại {receipt.lookup_url}."


# The fee block (issue #7): Vietnamese first, English beneath, like the screens.
PAY_TITLE = ("THANH TOÁN PHÍ, LỆ PHÍ", "Paying the fee")
PAY_BY_QR = ("Quét mã bằng ứng dụng ngân hàng (VietQR)", "Pay by bank app (VietQR)")
PAY_OR_COUNTER = ("Hoặc nộp tại quầy thu phí của trung tâm.", "Or pay at the centre's counter.")
PAY_AT_COUNTER = ("Nộp phí tại quầy thu phí của trung tâm.", "Pay the fee at the centre's counter.")
PAY_CHECK_PAYEE = ("Kiểm tra tên người nhận trên ứng dụng trước khi chuyển.",
                   "Check the payee's name first.")
PAY_LABELS = {
    "amount": ("Số tiền", "Amount"),
    "words": ("Bằng chữ", "In words"),
    "reference": ("Nội dung chuyển khoản", "Reference"),
    "payee": ("Người nhận", "Payee"),
}


def bilingual(pair: tuple[str, str]) -> str:
    """'Số tiền / Amount': the Vietnamese and the English label on one line."""
    return f"{pair[0]} / {pair[1]}"


def payee_text(account_name: str, bank_name: str, account_number: str) -> str:
    """'UBND PHUONG X · VietinBank · 1234567890' with whatever parts are configured."""
    return " · ".join(part for part in (account_name, bank_name, account_number) if part)
