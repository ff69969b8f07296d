import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "../components"

// How the kiosk finds the key to open the chip: the QR code on the card, or the ID
// number and date of birth typed on the keypad. In demo mode, invented residents' cards.
Item {
    id: screen
    objectName: "identifyScreen"
    // What the "Listen" button reads aloud on this screen.
    readonly property string spokenText: qsTr("Quét mã QR trên thẻ") + ". " + qsTr("Hoặc nhập số định danh") + ". " + session.error
    property string typedId: ""
    property string typedBirthDate: ""

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap * 1.5
        spacing: Theme.gap

        ScreenTitle { text: qsTr("Bước 1: Cho ki-ốt biết thẻ của bạn") }
        ErrorBanner { message: session.error }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap

            Rectangle {
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
                        text: qsTr("Quét mã QR trên thẻ")
                        font.pixelSize: Theme.headingSize
                        font.bold: true
                        color: Theme.text
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        Layout.fillWidth: true
                        text: qsTr("Đưa mặt có mã QR của thẻ căn cước vào ô quét bên dưới màn hình.")
                        font.pixelSize: Theme.bodySize
                        color: Theme.muted
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        visible: session.demoResidents.length > 0
                        Layout.fillWidth: true
                        text: qsTr("Chế độ trình diễn: chọn một thẻ mẫu (người không có thật).")
                        font.pixelSize: Theme.smallSize
                        font.italic: true
                        color: Theme.accent
                        wrapMode: Text.WordWrap
                    }
                    Flickable {
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        clip: true
                        contentHeight: demoColumn.implicitHeight
                        ColumnLayout {
                            id: demoColumn
                            width: parent.width
                            spacing: Theme.gap / 3
                            Repeater {
                                model: session.demoResidents
                                delegate: KioskButton {
                                    required property var modelData
                                    objectName: "demoCard_" + modelData.id
                                    Layout.fillWidth: true
                                    text: modelData.name
                                    onClicked: session.useDemoCard(modelData.id)
                                }
                            }
                        }
                    }
                }
            }

            Rectangle {
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
                        text: qsTr("Hoặc nhập số định danh")
                        font.pixelSize: Theme.headingSize
                        font.bold: true
                        color: Theme.text
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        Layout.fillWidth: true
                        text: qsTr("Nhập 12 chữ số định danh cá nhân và ngày sinh của bạn bằng bàn phím số.")
                        font.pixelSize: Theme.bodySize
                        color: Theme.muted
                        wrapMode: Text.WordWrap
                    }
                    TypedValue {
                        objectName: "idNumberField"
                        Layout.fillWidth: true
                        value: screen.typedId
                        hint: qsTr("Số định danh (12 số)")
                        onActivated: keyboardPanel.open(qsTr("Số định danh (12 số)"), "id_number", "",
                                                        function(text) { screen.typedId = text })
                    }
                    TypedValue {
                        objectName: "birthDateField"
                        Layout.fillWidth: true
                        value: screen.typedBirthDate
                        hint: qsTr("Ngày sinh (ngày/tháng/năm)")
                        onActivated: keyboardPanel.open(qsTr("Ngày sinh (ngày/tháng/năm)"), "date", "",
                                                        function(text) { screen.typedBirthDate = text })
                    }
                    Item { Layout.fillHeight: true }
                    KioskButton {
                        objectName: "typedKeyButton"
                        Layout.fillWidth: true
                        primary: true
                        text: qsTr("Tiếp tục")
                        onClicked: session.enterIdAndBirthDate(screen.typedId, screen.typedBirthDate)
                    }
                }
            }
        }
        KeyboardPanel {
            id: keyboardPanel
            Layout.fillWidth: true
        }
        RowLayout {
            visible: !keyboardPanel.visible
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
