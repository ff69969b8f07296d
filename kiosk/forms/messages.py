"""The engine's own validation messages, in Vietnamese and English.

Named placeholders only (``{label}``), never formatted before translation, so a test
can check that both languages use the same placeholders.
"""

from __future__ import annotations

from kiosk.forms.spec import Text

MESSAGES: dict[str, Text] = {
    "required": Text("Vui lòng nhập {label}.", "Please fill in {label}."),
    "text": Text("{label}: nội dung không hợp lệ.", "{label}: not valid text."),
    "name": Text("{label}: chỉ gồm chữ cái và dấu cách.", "{label}: letters and spaces only."),
    "date": Text("{label}: ngày không hợp lệ (ngày/tháng/năm).",
                 "{label}: not a valid date (day/month/year)."),
    "partial_date": Text("{label}: nhập năm, tháng/năm hoặc ngày/tháng/năm.",
                         "{label}: enter a year, month/year or day/month/year."),
    "future_date": Text("{label}: không được là ngày trong tương lai.",
                        "{label}: cannot be in the future."),
    "time": Text("{label}: giờ không hợp lệ (giờ:phút).", "{label}: not a valid time (hh:mm)."),
    "number": Text("{label}: phải là số nguyên không âm.", "{label}: must be a whole number."),
    "select": Text("{label}: vui lòng chọn trong danh sách.", "{label}: choose from the list."),
    "province": Text("{label}: vui lòng chọn tỉnh, thành phố.", "{label}: choose a province."),
    "commune": Text("{label}: vui lòng chọn xã, phường thuộc tỉnh đã chọn.",
                    "{label}: choose a commune of the chosen province."),
    "phone": Text("{label}: số điện thoại không hợp lệ.", "{label}: not a valid phone number."),
    "email": Text("{label}: thư điện tử không hợp lệ.", "{label}: not a valid e-mail address."),
    "id_format": Text("{label}: số định danh cá nhân gồm 12 chữ số.",
                      "{label}: the personal ID number has 12 digits."),
    "id_province": Text("{label}: mã tỉnh trong số định danh không đúng.",
                        "{label}: the province code in the ID number is not valid."),
    "yes_no": Text("{label}: chọn Có hoặc Không.", "{label}: choose yes or no."),
    "attachment": Text("{label}: tệp đính kèm không hợp lệ.", "{label}: not a valid attachment."),
    "repeat": Text("{label}: danh sách không hợp lệ.", "{label}: not a valid list."),
    "too_few": Text("{label}: cần ít nhất {count} mục.", "{label}: at least {count} entries needed."),
    "too_many": Text("{label}: nhiều nhất {count} mục.", "{label}: at most {count} entries."),
    "locked": Text("{label} lấy từ thẻ căn cước đã xác thực và không được sửa tại đây.",
                   "{label} comes from the verified ID card and cannot be changed here."),
    "computed": Text("{label} được tính tự động.", "{label} is computed automatically."),
}
