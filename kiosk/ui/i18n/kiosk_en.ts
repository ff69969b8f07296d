<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="vi">
<context>
    <name>AttractScreen</name>
    <message>
        <location filename="../qml/screens/AttractScreen.qml" line="30" />
        <source>Chạm thẻ căn cước để bắt đầu</source>
        <translation>Tap your ID card to begin</translation>
    </message>
    <message>
        <location filename="../qml/screens/AttractScreen.qml" line="39" />
        <source>Làm thủ tục hành chính ngay tại đây: khai sinh, cư trú, xác nhận tình trạng hôn nhân, lý lịch tư pháp… Thông tin trên thẻ căn cước được điền sẵn, bạn không phải gõ lại.</source>
        <translation>Do your paperwork right here: birth registration, residence, marital status confirmation, judicial records… The information on your ID card is filled in for you, so you don't have to type it again.</translation>
    </message>
    <message>
        <location filename="../qml/screens/AttractScreen.qml" line="49" />
        <source>Bắt đầu</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../qml/screens/AttractScreen.qml" line="56" />
        <source>Cần giúp đỡ? Hãy hỏi tình nguyện viên áo xanh.</source>
        <translation>Need help? Ask a volunteer in a blue shirt.</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <location filename="../qml/screens/ConsentScreen.qml" line="19" />
        <source>Bạn đồng ý cho ki-ốt đọc thẻ căn cước?</source>
        <translation>May the kiosk read your ID card?</translation>
    </message>
    <message>
        <location filename="../qml/screens/ConsentScreen.qml" line="28" />
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
        <location filename="../qml/screens/ConsentScreen.qml" line="48" />
        <source>Tôi đồng ý</source>
        <translation>I agree</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="19" />
        <source>Bước 1: Cho ki-ốt biết thẻ của bạn</source>
        <translation>Step 1: Tell the kiosk about your card</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="31" />
        <source>Quét mã QR trên thẻ</source>
        <translation>Scan the QR code on your card</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="32" />
        <source>Đưa mặt có mã QR của thẻ căn cước vào ô quét bên dưới màn hình.</source>
        <translation>Hold the side of your ID card with the QR code under the scanner below the screen.</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="33" />
        <source>Hoặc nhập số định danh</source>
        <translation>Or type your ID number</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="34" />
        <source>Nhập 12 chữ số định danh cá nhân và ngày sinh của bạn bằng bàn phím số.</source>
        <translation>Type your 12-digit personal ID number and your date of birth on the number pad.</translation>
    </message>
    <message>
        <location filename="../qml/screens/IdentifyScreen.qml" line="73" />
        <source>← Quay lại</source>
        <translation>← Back</translation>
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
    <name>ReadingScreen</name>
    <message>
        <location filename="../qml/screens/ReadingScreen.qml" line="32" />
        <source>Đặt thẻ căn cước lên đầu đọc và giữ yên</source>
        <translation>Place your ID card on the reader and hold it still</translation>
    </message>
    <message>
        <location filename="../qml/screens/ReadingScreen.qml" line="41" />
        <source>Đầu đọc nằm bên phải màn hình, có biểu tượng thẻ. Không nhấc thẻ ra cho đến khi có thông báo.</source>
        <translation>The reader is to the right of the screen, marked with a card symbol. Don't lift the card until you are told to.</translation>
    </message>
</context>
<context>
    <name>TimeoutOverlay</name>
    <message>
        <location filename="../qml/components/TimeoutOverlay.qml" line="32" />
        <source>Bạn còn ở đây không?</source>
        <translation>Are you still there?</translation>
    </message>
    <message>
        <location filename="../qml/components/TimeoutOverlay.qml" line="40" />
        <source>Để bảo vệ thông tin của bạn, phiên làm việc sẽ kết thúc và mọi thông tin sẽ được xoá sau %1 giây.</source>
        <translation>To protect your information, this session will end and everything will be erased in %1 seconds.</translation>
    </message>
    <message>
        <location filename="../qml/components/TimeoutOverlay.qml" line="52" />
        <source>Tôi cần thêm thời gian</source>
        <translation>I need more time</translation>
    </message>
    <message>
        <location filename="../qml/components/TimeoutOverlay.qml" line="58" />
        <source>Kết thúc</source>
        <translation>End now</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <location filename="../qml/components/TopBar.qml" line="43" />
        <source>Chữ lớn</source>
        <translation>Large text</translation>
    </message>
    <message>
        <location filename="../qml/components/TopBar.qml" line="50" />
        <source>Tương phản cao</source>
        <translation>High contrast</translation>
    </message>
</context>
</TS>