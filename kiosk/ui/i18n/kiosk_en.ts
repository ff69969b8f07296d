<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="vi">
<context>
    <name>AttractScreen</name>
    <message>
        <location filename="../qml/screens/AttractScreen.qml" line="10" />
        <location filename="../qml/screens/AttractScreen.qml" line="31" />
        <source>Chạm thẻ căn cước để bắt đầu</source>
        <translation>Tap your ID card to begin</translation>
    </message>
    <message>
        <location filename="../qml/screens/AttractScreen.qml" line="40" />
        <source>Làm thủ tục hành chính ngay tại đây: khai sinh, cư trú, xác nhận tình trạng hôn nhân, lý lịch tư pháp… Thông tin trên thẻ căn cước được điền sẵn, bạn không phải gõ lại.</source>
        <translation>Do your paperwork right here: birth registration, residence, marital status confirmation, judicial records… The information on your ID card is filled in for you, so you don't have to type it again.</translation>
    </message>
    <message>
        <location filename="../qml/screens/AttractScreen.qml" line="49" />
        <source>Bắt đầu</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../qml/screens/AttractScreen.qml" line="66" />
        <source>Tình nguyện viên %1 đang hỗ trợ tại ki-ốt này.</source>
        <translation>Volunteer %1 is helping at this kiosk.</translation>
    </message>
    <message>
        <location filename="../qml/screens/AttractScreen.qml" line="72" />
        <source>Tình nguyện viên đăng nhập</source>
        <translation>Volunteer sign-in</translation>
    </message>
    <message>
        <location filename="../qml/screens/AttractScreen.qml" line="72" />
        <source>Kết thúc hỗ trợ</source>
        <translation>End assistance</translation>
    </message>
    <message>
        <location filename="../qml/screens/AttractScreen.qml" line="10" />
        <location filename="../qml/screens/AttractScreen.qml" line="56" />
        <source>Cần giúp đỡ? Hãy hỏi tình nguyện viên áo xanh.</source>
        <translation>Need help? Ask a volunteer in a blue shirt.</translation>
    </message>
</context>
<context>
    <name>CardRemovedOverlay</name>
    <message>
        <location filename="../qml/components/CardRemovedOverlay.qml" line="28" />
        <source>Thẻ căn cước đã được lấy ra</source>
        <translation>Your ID card was taken off the reader</translation>
    </message>
    <message>
        <location filename="../qml/components/CardRemovedOverlay.qml" line="36" />
        <source>Bạn vẫn ở đây? Những gì bạn đã nhập vẫn được giữ nguyên. Hãy giữ thẻ bên mình.</source>
        <translation>Are you still here? Everything you typed is kept. Keep your card with you.</translation>
    </message>
    <message>
        <location filename="../qml/components/CardRemovedOverlay.qml" line="47" />
        <source>Tôi vẫn ở đây, tiếp tục</source>
        <translation>I'm still here, continue</translation>
    </message>
    <message>
        <location filename="../qml/components/CardRemovedOverlay.qml" line="52" />
        <source>Kết thúc</source>
        <translation>End now</translation>
    </message>
</context>
<context>
    <name>ChooseScreen</name>
    <message>
        <location filename="../qml/screens/ChooseScreen.qml" line="11" />
        <location filename="../qml/screens/ChooseScreen.qml" line="18" />
        <source>Bạn muốn làm thủ tục gì?</source>
        <translation>Which service do you need?</translation>
    </message>
    <message>
        <location filename="../qml/screens/ChooseScreen.qml" line="24" />
        <source>Tìm thủ tục (gõ không dấu cũng được, ví dụ: khai sinh)</source>
        <translation>Search services (no accents needed, e.g. khai sinh)</translation>
    </message>
    <message>
        <location filename="../qml/screens/ChooseScreen.qml" line="70" />
        <source>Không tìm thấy thủ tục nào. Hãy thử từ khác, hoặc hỏi tình nguyện viên.</source>
        <translation>No service found. Try another word, or ask a volunteer.</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <location filename="../qml/screens/ConsentScreen.qml" line="11" />
        <location filename="../qml/screens/ConsentScreen.qml" line="20" />
        <source>Bạn đồng ý cho ki-ốt đọc thẻ căn cước?</source>
        <translation>May the kiosk read your ID card?</translation>
    </message>
    <message>
        <location filename="../qml/screens/ConsentScreen.qml" line="29" />
        <source>• Ki-ốt đọc từ chip: họ tên, số định danh, ngày sinh, giới tính, quê quán, nơi thường trú, ảnh chân dung.
• Mục đích: điền sẵn tờ khai và gửi hồ sơ của bạn đến Cổng dịch vụ công.
• Thông tin chỉ được gửi cho cơ quan giải quyết thủ tục bạn chọn.
• Hồ sơ được xoá khỏi ki-ốt sau khi cổng đã nhận và hết thời hạn lưu 30 ngày.
• Bạn có thể từ chối; khi đó bạn có thể làm thủ tục tại quầy.</source>
        <translation>• The kiosk reads from the chip: your name, ID number, date of birth, sex, place of origin, permanent residence and photo.
• Why: to fill in the form for you and send your application to the National Public Service Portal.
• Your information goes only to the office that handles the service you choose.
• Your application is erased from the kiosk once the portal has received it and the 30-day retention period has passed.
• You may say no; you can then be served at the counter.</translation>
    </message>
    <message>
        <location filename="../qml/screens/ConsentScreen.qml" line="40" />
        <source>Không đồng ý</source>
        <translation>No, thanks</translation>
    </message>
    <message>
        <location filename="../qml/screens/ConsentScreen.qml" line="47" />
        <source>Tôi đồng ý</source>
        <translation>I agree</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <location filename="../qml/components/FieldEditor.qml" line="46" />
        <source>Sửa</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../qml/components/FieldEditor.qml" line="75" />
        <source>Chạm để nhập ngày/tháng/năm</source>
        <translation>Touch to enter day/month/year</translation>
    </message>
    <message>
        <location filename="../qml/components/FieldEditor.qml" line="75" />
        <source>Chạm để nhập</source>
        <translation>Touch to type</translation>
    </message>
    <message>
        <location filename="../qml/components/FieldEditor.qml" line="94" />
        <source>+ Thêm mục</source>
        <translation>+ Add an item</translation>
    </message>
    <message>
        <location filename="../qml/components/FieldEditor.qml" line="101" />
        <source>Hãy mang giấy tờ này đến quầy khi nhận kết quả.</source>
        <translation>Please bring this document to the counter when you collect the result.</translation>
    </message>
</context>
<context>
    <name>FormScreen</name>
    <message>
        <location filename="../qml/screens/FormScreen.qml" line="20" />
        <source>trang %1/%2</source>
        <translation>page %1 of %2</translation>
    </message>
    <message>
        <location filename="../qml/screens/FormScreen.qml" line="36" />
        <source>Đọc thẻ căn cước của %1</source>
        <translation>Read the ID card of: %1</translation>
    </message>
    <message>
        <location filename="../qml/screens/FormScreen.qml" line="57" />
        <source>%1 là %2</source>
        <translation>%1 is %2</translation>
    </message>
    <message>
        <location filename="../qml/screens/FormScreen.qml" line="93" />
        <source>← Quay lại</source>
        <translation>← Back</translation>
    </message>
    <message>
        <location filename="../qml/screens/FormScreen.qml" line="100" />
        <source>Tiếp tục →</source>
        <translation>Continue →</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="21" />
        <source>Bước 1: Cho ki-ốt biết thẻ của bạn</source>
        <translation>Step 1: Tell the kiosk about your card</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="12" />
        <location filename="../qml/screens/IdentifyScreen.qml" line="42" />
        <source>Quét mã QR trên thẻ</source>
        <translation>Scan the QR code on your card</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="50" />
        <source>Đưa mặt có mã QR của thẻ căn cước vào ô quét bên dưới màn hình.</source>
        <translation>Hold the side of your ID card with the QR code under the scanner below the screen.</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="58" />
        <source>Chế độ trình diễn: chọn một thẻ mẫu (người không có thật).</source>
        <translation>Demo mode: choose a sample card (invented people).</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="12" />
        <location filename="../qml/screens/IdentifyScreen.qml" line="101" />
        <source>Hoặc nhập số định danh</source>
        <translation>Or type your ID number</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="109" />
        <source>Nhập 12 chữ số định danh cá nhân và ngày sinh của bạn bằng bàn phím số.</source>
        <translation>Type your 12-digit personal ID number and your date of birth on the number pad.</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="118" />
        <location filename="../qml/screens/IdentifyScreen.qml" line="119" />
        <source>Số định danh (12 số)</source>
        <translation>ID number (12 digits)</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="126" />
        <location filename="../qml/screens/IdentifyScreen.qml" line="127" />
        <source>Ngày sinh (ngày/tháng/năm)</source>
        <translation>Date of birth (day/month/year)</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="135" />
        <source>Tiếp tục</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="150" />
        <source>← Quay lại</source>
        <translation>← Back</translation>
    </message>
</context>
<context>
    <name>ItemEditor</name>
    <message>
        <location filename="../qml/components/ItemEditor.qml" line="24" />
        <source>Mục %1</source>
        <translation>Item %1</translation>
    </message>
    <message>
        <location filename="../qml/components/ItemEditor.qml" line="31" />
        <source>Xoá mục này</source>
        <translation>Remove this item</translation>
    </message>
    <message>
        <location filename="../qml/components/ItemEditor.qml" line="71" />
        <source>Chạm để nhập</source>
        <translation>Touch to type</translation>
    </message>
</context>
<context>
    <name>KeyboardPanel</name>
    <message>
        <location filename="../qml/components/KeyboardPanel.qml" line="98" />
        <source>Đóng bàn phím</source>
        <translation>Close keyboard</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/Main.qml" line="9" />
        <source>Ki-ốt dịch vụ công</source>
        <translation>Public service kiosk</translation>
    </message>
</context>
<context>
    <name>NumericKeypad</name>
    <message>
        <location filename="../qml/components/NumericKeypad.qml" line="26" />
        <source>12 chữ số trên thẻ</source>
        <translation>12 digits on the card</translation>
    </message>
    <message>
        <location filename="../qml/components/NumericKeypad.qml" line="27" />
        <source>ngày/tháng/năm</source>
        <translation>day/month/year</translation>
    </message>
    <message>
        <location filename="../qml/components/NumericKeypad.qml" line="28" />
        <source>Số điện thoại</source>
        <translation>Phone number</translation>
    </message>
    <message>
        <location filename="../qml/components/NumericKeypad.qml" line="29" />
        <source>Nhập số</source>
        <translation>Enter a number</translation>
    </message>
    <message>
        <location filename="../qml/components/NumericKeypad.qml" line="160" />
        <source>Đủ số. Bấm Xong.</source>
        <translation>All digits entered. Press Done.</translation>
    </message>
    <message>
        <location filename="../qml/components/NumericKeypad.qml" line="161" />
        <source>Đã nhập %1 / %2 chữ số</source>
        <translation>%1 of %2 digits entered</translation>
    </message>
    <message>
        <location filename="../qml/components/NumericKeypad.qml" line="185" />
        <source>Xoá</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../qml/components/NumericKeypad.qml" line="186" />
        <source>Xoá số cuối</source>
        <translation>Delete the last digit</translation>
    </message>
    <message>
        <location filename="../qml/components/NumericKeypad.qml" line="199" />
        <source>Xong</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>OtherCardOverlay</name>
    <message>
        <location filename="../qml/components/OtherCardOverlay.qml" line="22" />
        <source>Thẻ căn cước của: %1</source>
        <translation>ID card of: %1</translation>
    </message>
    <message>
        <location filename="../qml/components/OtherCardOverlay.qml" line="25" />
        <source>Người này cần có mặt và đồng ý cho ki-ốt đọc thẻ để điền phần của họ. Hãy quét mã QR trên thẻ của họ, rồi đặt thẻ lên đầu đọc.</source>
        <translation>This person must be here and agree to the kiosk reading their card, to fill in their part. Scan the QR code on their card, then place the card on the reader.</translation>
    </message>
    <message>
        <location filename="../qml/components/OtherCardOverlay.qml" line="34" />
        <source>Chế độ trình diễn: chọn một thẻ mẫu (người không có thật).</source>
        <translation>Demo mode: choose a sample card (invented people).</translation>
    </message>
    <message>
        <location filename="../qml/components/OtherCardOverlay.qml" line="55" />
        <source>← Quay lại, tôi sẽ tự nhập</source>
        <translation>← Back, I will type it</translation>
    </message>
</context>
<context>
    <name>RateScreen</name>
    <message>
        <location filename="../qml/screens/RateScreen.qml" line="10" />
        <location filename="../qml/screens/RateScreen.qml" line="18" />
        <source>Bạn thấy dịch vụ hôm nay thế nào?</source>
        <translation>How was the service today?</translation>
    </message>
    <message>
        <location filename="../qml/screens/RateScreen.qml" line="25" />
        <source>Rất không hài lòng</source>
        <translation>Very unhappy</translation>
    </message>
    <message>
        <location filename="../qml/screens/RateScreen.qml" line="26" />
        <source>Không hài lòng</source>
        <translation>Unhappy</translation>
    </message>
    <message>
        <location filename="../qml/screens/RateScreen.qml" line="27" />
        <source>Bình thường</source>
        <translation>Okay</translation>
    </message>
    <message>
        <location filename="../qml/screens/RateScreen.qml" line="28" />
        <source>Hài lòng</source>
        <translation>Happy</translation>
    </message>
    <message>
        <location filename="../qml/screens/RateScreen.qml" line="29" />
        <source>Rất hài lòng</source>
        <translation>Very happy</translation>
    </message>
    <message>
        <location filename="../qml/screens/RateScreen.qml" line="61" />
        <source>Bỏ qua</source>
        <translation>Skip</translation>
    </message>
    <message>
        <location filename="../qml/screens/RateScreen.qml" line="67" />
        <source>Đừng quên lấy lại thẻ căn cước và biên nhận.</source>
        <translation>Don't forget your ID card and your receipt.</translation>
    </message>
</context>
<context>
    <name>ReadingScreen</name>
    <message>
        <location filename="../qml/screens/ReadingScreen.qml" line="10" />
        <location filename="../qml/screens/ReadingScreen.qml" line="33" />
        <source>Đặt thẻ căn cước lên đầu đọc và giữ yên</source>
        <translation>Place your ID card on the reader and hold it still</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReadingScreen.qml" line="42" />
        <source>Đầu đọc nằm bên phải màn hình, có biểu tượng thẻ. Không nhấc thẻ ra cho đến khi có thông báo.</source>
        <translation>The reader is to the right of the screen, marked with a card symbol. Don't lift the card until you are told to.</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReadingScreen.qml" line="63" />
        <source>Đang đọc thẻ… %1%</source>
        <translation>Reading the card… %1%</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="37" />
        <source>✓ Hồ sơ đã được tiếp nhận</source>
        <translation>✓ Your application has been received</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="38" />
        <source>✓ Hồ sơ đã được lưu tại ki-ốt</source>
        <translation>✓ Your application is saved at the kiosk</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="43" />
        <source>Ki-ốt đang mất kết nối nên Cổng dịch vụ công CHƯA nhận hồ sơ. Ki-ốt sẽ tự gửi khi có mạng; mã hồ sơ chính thức sẽ được gửi cho bạn qua tin nhắn.</source>
        <translation>The kiosk is offline, so the National Public Service Portal has NOT received it yet. The kiosk will send it as soon as it is back online; the official application code will be sent to you by text message.</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="50" />
        <source>Mã hồ sơ: %1</source>
        <translation>Application code: %1</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="51" />
        <source>Số phiếu tại ki-ốt: %1</source>
        <translation>Kiosk ticket: %1</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="60" />
        <source>Đã gửi %1 hồ sơ liên thông; mỗi hồ sơ có biên nhận riêng. Mã trên đây là của hồ sơ đầu tiên.</source>
        <translation>%1 linked applications were sent; each has its own receipt. The code above is the first one's.</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="68" />
        <source>Ngày hẹn trả kết quả: %1</source>
        <translation>Result due on: %1</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="75" />
        <source>Lệ phí %1 đồng: quét mã VietQR bên cạnh bằng ứng dụng ngân hàng (nội dung: %2), hoặc nộp tại quầy.</source>
        <translation>Fee: %1 dong. Scan the VietQR code beside this with your banking app (reference: %2), or pay at the counter.</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="122" />
        <source>Mã biên nhận</source>
        <translation>Receipt code</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="146" />
        <source>Mã nộp lệ phí (VietQR)</source>
        <translation>Fee payment code (VietQR)</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="76" />
        <source>Lệ phí %1 đồng: nộp tại quầy.</source>
        <translation>Fee: %1 dong, to pay at the counter.</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="77" />
        <source>Thủ tục này không mất lệ phí.</source>
        <translation>This service is free of charge.</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="84" />
        <source>Biên nhận đã được in. Hãy lấy biên nhận ở khe máy in.</source>
        <translation>Your receipt has been printed. Take it from the printer slot.</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="85" />
        <source>Chưa in được biên nhận: hãy chụp mã QR bên cạnh, hoặc nhờ cán bộ in lại.</source>
        <translation>The receipt could not be printed: take a photo of the QR code beside this, or ask staff to reprint it.</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReceiptScreen.qml" line="95" />
        <source>Xong</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../qml/screens/ReviewScreen.qml" line="11" />
        <location filename="../qml/screens/ReviewScreen.qml" line="18" />
        <source>Kiểm tra lại hồ sơ</source>
        <translation>Check your application</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReviewScreen.qml" line="61" />
        <source>Sửa</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReviewScreen.qml" line="95" />
        <source>Lệ phí: %1 đồng</source>
        <translation>Fee: %1 dong</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReviewScreen.qml" line="96" />
        <source>Không mất lệ phí</source>
        <translation>Free of charge</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReviewScreen.qml" line="104" />
        <source>Gửi hồ sơ</source>
        <translation>Send application</translation>
    </message>
</context>
<context>
    <name>SubmittingScreen</name>
    <message>
        <location filename="../qml/screens/SubmittingScreen.qml" line="11" />
        <location filename="../qml/screens/SubmittingScreen.qml" line="25" />
        <source>Đang lưu và gửi hồ sơ của bạn…</source>
        <translation>Saving and sending your application…</translation>
    </message>
    <message>
        <location filename="../qml/screens/SubmittingScreen.qml" line="33" />
        <source>Gửi lại</source>
        <translation>Send again</translation>
    </message>
</context>
<context>
    <name>TechnicianOverlay</name>
    <message>
        <location filename="../qml/components/TechnicianOverlay.qml" line="22" />
        <source>Mã PIN kỹ thuật viên</source>
        <translation>Technician PIN</translation>
    </message>
    <message>
        <location filename="../qml/components/TechnicianOverlay.qml" line="43" />
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../qml/components/TechnicianOverlay.qml" line="55" />
        <source>Chế độ kỹ thuật viên</source>
        <translation>Technician mode</translation>
    </message>
    <message>
        <location filename="../qml/components/TechnicianOverlay.qml" line="63" />
        <source>Hàng đợi: %1 chờ gửi, %2 đang gửi, %3 cần xem, %4 cách ly, %5 đã nhận</source>
        <translation>Queue: %1 waiting, %2 sending, %3 need attention, %4 quarantined, %5 received</translation>
    </message>
    <message>
        <location filename="../qml/components/TechnicianOverlay.qml" line="99" />
        <source>Kiểm tra lại</source>
        <translation>Check again</translation>
    </message>
    <message>
        <location filename="../qml/components/TechnicianOverlay.qml" line="100" />
        <source>Gửi ngay</source>
        <translation>Send now</translation>
    </message>
    <message>
        <location filename="../qml/components/TechnicianOverlay.qml" line="101" />
        <source>In trang thử</source>
        <translation>Print test page</translation>
    </message>
    <message>
        <location filename="../qml/components/TechnicianOverlay.qml" line="102" />
        <source>Đổi máy in</source>
        <translation>Switch printer</translation>
    </message>
    <message>
        <location filename="../qml/components/TechnicianOverlay.qml" line="103" />
        <source>Xuất nhật ký và hồ sơ chờ ra USB</source>
        <translation>Export logs and backlog to USB</translation>
    </message>
    <message>
        <location filename="../qml/components/TechnicianOverlay.qml" line="104" />
        <source>Thoát ứng dụng ki-ốt</source>
        <translation>Quit the kiosk application</translation>
    </message>
    <message>
        <location filename="../qml/components/TechnicianOverlay.qml" line="105" />
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>TimeoutOverlay</name>
    <message>
        <location filename="../qml/components/TimeoutOverlay.qml" line="31" />
        <source>Bạn còn ở đây không?</source>
        <translation>Are you still there?</translation>
    </message>
    <message>
        <location filename="../qml/components/TimeoutOverlay.qml" line="39" />
        <source>Để bảo vệ thông tin của bạn, phiên làm việc sẽ kết thúc và mọi thông tin sẽ được xoá sau %1 giây.</source>
        <translation>To protect your information, this session will end and everything will be erased in %1 seconds.</translation>
    </message>
    <message>
        <location filename="../qml/components/TimeoutOverlay.qml" line="50" />
        <source>Tôi cần thêm thời gian</source>
        <translation>I need more time</translation>
    </message>
    <message>
        <location filename="../qml/components/TimeoutOverlay.qml" line="55" />
        <source>Kết thúc</source>
        <translation>End now</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <location filename="../qml/components/TopBar.qml" line="39" />
        <source>Nghe</source>
        <translation>Listen</translation>
    </message>
    <message>
        <location filename="../qml/components/TopBar.qml" line="40" />
        <source>Đọc to nội dung màn hình</source>
        <translation>Read the screen aloud</translation>
    </message>
    <message>
        <location filename="../qml/components/TopBar.qml" line="58" />
        <source>Chữ lớn</source>
        <translation>Large text</translation>
    </message>
    <message>
        <location filename="../qml/components/TopBar.qml" line="64" />
        <source>Tương phản cao</source>
        <translation>High contrast</translation>
    </message>
</context>
<context>
    <name>VerifyScreen</name>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="16" />
        <source>Chụp khuôn mặt để so với ảnh trong thẻ</source>
        <translation>Face check against your card's photo</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="17" />
        <source>Xác nhận bằng ứng dụng VNeID</source>
        <translation>Confirm with the VNeID app</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="18" />
        <source>Tình nguyện viên xác nhận</source>
        <translation>A volunteer confirms</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="22" />
        <source>Nhìn vào camera, chớp mắt và quay đầu theo hướng dẫn. Ảnh không được lưu.</source>
        <translation>Look at the camera, blink and turn your head as asked. No picture is kept.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="23" />
        <source>Quét mã QR bằng ứng dụng VNeID trên điện thoại của bạn rồi bấm đồng ý.</source>
        <translation>Scan a QR code with the VNeID app on your phone, then approve.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="24" />
        <source>Tình nguyện viên đối chiếu khuôn mặt bạn với ảnh trên thẻ và nhập mã PIN.</source>
        <translation>The volunteer compares your face with the card's photo and enters their PIN.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="28" />
        <source>Không thấy khuôn mặt. Xin nhìn thẳng vào camera.</source>
        <translation>No face found. Please look straight at the camera.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="29" />
        <source>Chỉ một người đứng trước camera.</source>
        <translation>Only one person in front of the camera, please.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="30" />
        <source>Quá tối. Xin đứng ra chỗ sáng hơn.</source>
        <translation>Too dark. Please move to more light.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="31" />
        <source>Xin lại gần camera hơn.</source>
        <translation>Please move closer to the camera.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="35" />
        <source>Xin chớp mắt</source>
        <translation>Please blink</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="36" />
        <source>Xin quay đầu sang trái</source>
        <translation>Please turn your head to the left</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="37" />
        <source>Xin quay đầu sang phải</source>
        <translation>Please turn your head to the right</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="38" />
        <source>Xin nhìn thẳng vào camera</source>
        <translation>Please look straight at the camera</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="42" />
        <source>Khuôn mặt chưa khớp với ảnh trong thẻ. Bạn có thể thử lại hoặc chọn cách khác.</source>
        <translation>Your face did not match the card's photo. You can try again or choose another way.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="43" />
        <source>Hết thời gian kiểm tra. Bạn có thể thử lại hoặc chọn cách khác.</source>
        <translation>The check ran out of time. You can try again or choose another way.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="44" />
        <source>Ảnh trong thẻ không dùng được để so khớp. Xin chọn cách khác.</source>
        <translation>The card's photo cannot be used for a face check. Please choose another way.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="45" />
        <source>Bạn đã từ chối trên ứng dụng VNeID.</source>
        <translation>You declined in the VNeID app.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="46" />
        <source>Mã VNeID đã hết hạn. Bạn có thể thử lại.</source>
        <translation>The VNeID code expired. You can try again.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="47" />
        <source>Tài khoản VNeID không phải của người có thẻ này.</source>
        <translation>That VNeID account is not the card holder's.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="48" />
        <source>Tài khoản VNeID mức 1 chưa đủ. Cần tài khoản định danh mức 2.</source>
        <translation>A level 1 VNeID account is not enough. A level 2 account is needed.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="49" />
        <source>Mã PIN không đúng.</source>
        <translation>Wrong PIN.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="50" />
        <source>Chưa xác thực được. Xin chọn cách khác.</source>
        <translation>Not confirmed. Please choose another way.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="60" />
        <source>Thủ tục này cần làm tại quầy</source>
        <translation>This service must be done at the counter</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="61" />
        <source>Bạn đồng ý cho ki-ốt dùng camera?</source>
        <translation>May the kiosk use the camera?</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="63" />
        <source>Quét mã bằng ứng dụng VNeID</source>
        <translation>Scan the code with the VNeID app</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="64" />
        <source>Tình nguyện viên %1 nhập mã PIN</source>
        <translation>Volunteer %1: enter your PIN</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="65" />
        <source>Xác nhận bạn là người có thẻ</source>
        <translation>Confirm you are the card holder</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="86" />
        <source>Thủ tục này cần biết chắc người làm thủ tục là chủ thẻ. Xin chọn một cách:</source>
        <translation>This service needs to be sure you are the card's holder. Please choose one way:</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="117" />
        <source>Ảnh trong thẻ không dùng được để so khớp khuôn mặt.</source>
        <translation>The card's photo cannot be used for a face check.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="129" />
        <source>Ki-ốt chưa thể xác nhận bạn là chủ thẻ cho thủ tục này (cần xác thực khuôn mặt, VNeID hoặc tình nguyện viên). Xin mời bạn đến quầy tiếp nhận, cán bộ sẽ giúp bạn. Bạn vẫn có thể chọn thủ tục khác.</source>
        <translation>The kiosk cannot yet confirm you are the card holder for this service (it needs a face check, VNeID or a volunteer). Please go to the reception counter, where staff will help you. You can still choose another service.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="139" />
        <source>• Camera chụp khuôn mặt bạn để so với ảnh trong chip của thẻ.
• Ảnh và đặc điểm khuôn mặt chỉ nằm trong bộ nhớ, bị xoá ngay khi kiểm tra xong, không lưu và không gửi đi.
• Hồ sơ chỉ ghi kết quả: đã khớp hay chưa, và thời gian.
• Bạn có thể từ chối và chọn cách khác.</source>
        <translation>• The camera takes pictures of your face to compare with the photo in your card's chip.
• The pictures and face features stay in memory only, are erased as soon as the check ends, and are never stored or sent.
• Your application records only the result: matched or not, and when.
• You may say no and choose another way.</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="174" />
        <source>● Camera đang bật</source>
        <translation>● Camera on</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="214" />
        <source>Đang mở phiên đăng nhập…</source>
        <translation>Opening a sign-in session…</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="215" />
        <source>1. Mở ứng dụng VNeID trên điện thoại.
2. Chọn «Quét mã QR» và quét mã bên cạnh.
3. Bấm đồng ý trong ứng dụng.
Mã phiên: %1</source>
        <translation>1. Open the VNeID app on your phone.
2. Choose “Scan QR code” and scan the code beside this.
3. Approve in the app.
Session code: %1</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="241" />
        <source>Chọn thủ tục khác</source>
        <translation>Choose another service</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="241" />
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../qml/screens/VerifyScreen.qml" line="249" />
        <source>Tôi đồng ý</source>
        <translation>I agree</translation>
    </message>
</context>
<context>
    <name>VietKeyboard</name>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="235" />
        <source>Chữ có dấu</source>
        <translation>Accented letters</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="260" />
        <source>Dấu thanh</source>
        <translation>Tone marks</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="263" />
        <source>sắc</source>
        <translation>acute (sắc)</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="263" />
        <source>huyền</source>
        <translation>grave (huyền)</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="264" />
        <source>hỏi</source>
        <translation>hook (hỏi)</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="264" />
        <source>ngã</source>
        <translation>tilde (ngã)</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="265" />
        <source>nặng</source>
        <translation>dot (nặng)</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="265" />
        <source>bỏ dấu</source>
        <translation>no tone</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="315" />
        <source>CHỮ HOA</source>
        <translation>CAPITALS</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="315" />
        <location filename="../qml/components/VietKeyboard.qml" line="316" />
        <source>Chữ hoa</source>
        <translation>Capitals</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="334" />
        <source>Xoá</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="335" />
        <source>Xoá chữ trước</source>
        <translation>Delete the previous letter</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="349" />
        <source>chữ</source>
        <translation>letters</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="349" />
        <source>số</source>
        <translation>numbers</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="361" />
        <source>dấu cách</source>
        <translation>space</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="362" />
        <source>Dấu cách</source>
        <translation>Space</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="374" />
        <source>Xong</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="195" />
        <source>Gợi ý: %1</source>
        <translation>Suggestion: %1</translation>
    </message>
    <message>
        <location filename="../qml/components/VietKeyboard.qml" line="219" />
        <source>Gõ chữ không dấu cũng được: gợi ý có dấu sẽ hiện ở đây.</source>
        <translation>You may type without accents: suggestions with accents appear here.</translation>
    </message>
</context>
<context>
    <name>VolunteerOverlay</name>
    <message>
        <location filename="../qml/components/VolunteerOverlay.qml" line="19" />
        <source>Mã tình nguyện viên</source>
        <translation>Volunteer code</translation>
    </message>
    <message>
        <location filename="../qml/components/VolunteerOverlay.qml" line="19" />
        <source>Mã PIN của tình nguyện viên %1</source>
        <translation>PIN of volunteer %1</translation>
    </message>
    <message>
        <location filename="../qml/components/VolunteerOverlay.qml" line="45" />
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../qml/screens/WelcomeScreen.qml" line="10" />
        <location filename="../qml/screens/WelcomeScreen.qml" line="42" />
        <source>Xin chào</source>
        <translation>Hello</translation>
    </message>
    <message>
        <location filename="../qml/screens/WelcomeScreen.qml" line="66" />
        <source>⚠ Thẻ của bạn đã hết hạn. Bạn vẫn có thể làm thủ tục, nhưng hãy làm lại thẻ sớm.</source>
        <translation>⚠ Your card has expired. You can still apply, but please renew your card soon.</translation>
    </message>
    <message>
        <location filename="../qml/screens/WelcomeScreen.qml" line="74" />
        <source>ⓘ Ki-ốt đang không kết nối được Cơ sở dữ liệu quốc gia; một số thông tin bạn sẽ cần tự nhập.</source>
        <translation>ⓘ The kiosk cannot reach the national population database right now; you will need to type some details yourself.</translation>
    </message>
    <message>
        <location filename="../qml/screens/WelcomeScreen.qml" line="86" />
        <source>Chọn thủ tục</source>
        <translation>Choose a service</translation>
    </message>
</context>
</TS>