import QtQuick
import QtQuick.Layouts
import "../components"

// How the kiosk finds the key to open the chip: the QR code on the card, or the ID
// number and date of birth typed on a keypad; then the card goes on the reader.
Item {
    id: screen
    objectName: "identifyScreen"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap * 2
        spacing: Theme.gap

        Text {
            Layout.fillWidth: true
            text: qsTr("Bước 1: Cho ki-ốt biết thẻ của bạn")
            font.pixelSize: Theme.titleSize
            font.bold: true
            color: Theme.text
            wrapMode: Text.WordWrap
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap
            Repeater {
                model: [
                    { title: qsTr("Quét mã QR trên thẻ"),
                      body: qsTr("Đưa mặt có mã QR của thẻ căn cước vào ô quét bên dưới màn hình.") },
                    { title: qsTr("Hoặc nhập số định danh"),
                      body: qsTr("Nhập 12 chữ số định danh cá nhân và ngày sinh của bạn bằng bàn phím số.") }
                ]
                delegate: Rectangle {
                    required property var modelData
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    radius: Theme.radius
                    color: Theme.surface
                    border.color: Theme.border
                    border.width: 2
                    ColumnLayout {
                        anchors.fill: parent
                        anchors.margins: Theme.gap
                        spacing: Theme.gap / 2
                        Text {
                            Layout.fillWidth: true
                            text: modelData.title
                            font.pixelSize: Theme.headingSize
                            font.bold: true
                            color: Theme.text
                            wrapMode: Text.WordWrap
                        }
                        Text {
                            Layout.fillWidth: true
                            text: modelData.body
                            font.pixelSize: Theme.bodySize
                            color: Theme.muted
                            wrapMode: Text.WordWrap
                        }
                        Item { Layout.fillHeight: true }
                    }
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            KioskButton {
                objectName: "backButton"
                text: qsTr("← Quay lại")
                onClicked: journey.back()
            }
            Item { Layout.fillWidth: true }
        }
    }
}
