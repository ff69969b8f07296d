import QtQuick
import QtQuick.Layouts
import "../components"

// What will be read and why, what will be sent, how long it is kept. Nothing is read
// from the chip and nothing is looked up before the resident agrees (REFERENCE §6).
Item {
    id: screen
    objectName: "consentScreen"
    // What the "Listen" button reads aloud on this screen.
    readonly property string spokenText: qsTr("Bạn đồng ý cho ki-ốt đọc thẻ căn cước?")

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap * 2
        spacing: Theme.gap

        Text {
            Layout.fillWidth: true
            text: qsTr("Bạn đồng ý cho ki-ốt đọc thẻ căn cước?")
            font.pixelSize: Theme.titleSize
            font.bold: true
            color: Theme.text
            wrapMode: Text.WordWrap
        }
        Text {
            Layout.fillWidth: true
            Layout.fillHeight: true
            text: qsTr("• Ki-ốt đọc từ chip: họ tên, số định danh, ngày sinh, giới tính, quê quán, nơi thường trú, ảnh chân dung.\n• Mục đích: điền sẵn tờ khai và gửi hồ sơ của bạn đến Cổng dịch vụ công.\n• Thông tin chỉ được gửi cho cơ quan giải quyết thủ tục bạn chọn.\n• Hồ sơ được xoá khỏi ki-ốt sau khi cổng đã nhận và hết thời hạn lưu 30 ngày.\n• Bạn có thể từ chối; khi đó bạn có thể làm thủ tục tại quầy.")
            font.pixelSize: Theme.bodySize
            color: Theme.text
            wrapMode: Text.WordWrap
            lineHeight: 1.25
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            KioskButton {
                objectName: "declineButton"
                text: qsTr("Không đồng ý")
                onClicked: journey.endSession()
            }
            Item { Layout.fillWidth: true }
            KioskButton {
                objectName: "consentButton"
                primary: true
                text: qsTr("Tôi đồng ý")
                onClicked: session.consentAndRead()
            }
        }
    }
}
