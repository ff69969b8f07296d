"""Sample receipts with invented people: for `kiosk receipt demo`, the bench and tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kiosk.receipts.record import STATUS_QUEUED, STATUS_RECEIVED, Person, ReceiptData

# Invented, like resources/demo/residents.json: no real person.
SAMPLE_PERSON = Person(full_name="Nguyễn Văn An", id_number="001090012345",
                       address="Số 12 ngõ 34 phố Nguyễn Trãi, phường Thanh Xuân, thành phố Hà Nội",
                       phone="0912345678", email="an.nguyen@example.vn")


def sample_receipts(centre_code: str = "DEMO-01001",
                    centre_name: str = "Trung tâm Phục vụ hành chính công phường Thanh Xuân (demo)",
                    kiosk_id: str = "KIOSK-DEMO-01",
                    now: datetime | None = None) -> dict[str, ReceiptData]:
    """A queued (offline) receipt and a portal-received one."""
    now = now or datetime(2026, 11, 22, 7, 5, tzinfo=UTC)
    common = dict(centre_code=centre_code, centre_name=centre_name, kiosk_id=kiosk_id,
                  submitted_at=now, issued_at=now, person=SAMPLE_PERSON,
                  receiving_unit="UBND phường Thanh Xuân",
                  collect_at="Quầy trả kết quả số 3, " + centre_name)
    queued = ReceiptData(
        receipt_number="BN-20261122-0042", procedure_code="1.001193",
        procedure_name="Đăng ký thường trú", status=STATUS_QUEUED,
        ticket="K01-261122-0042", fee_vnd=20_000, processing_time="07 ngày làm việc",
        due_date=date(2026, 12, 1),
        components=("Tờ khai thay đổi thông tin cư trú (CT01)",
                    "Giấy tờ chứng minh chỗ ở hợp pháp"), **common)
    received = ReceiptData(
        receipt_number="BN-20261122-0043", procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh", status=STATUS_RECEIVED,
        ticket="K01-261122-0043", official_code="000.00.12.H62-261122-0004", fee_vnd=0,
        processing_time="Trong ngày làm việc", due_date=date(2026, 11, 23),
        components=("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"), **common)
    return {"queued": queued, "received": received}
