import QtQuick
import QtQuick.Layouts
import "../components"

// What the kiosk does, in large type; a touch anywhere (or a card tap) starts.
Item {
    id: screen
    objectName: "attractScreen"
    // What the "Listen" button reads aloud on this screen.
    readonly property string spokenText: qsTr("Chạm thẻ căn cước để bắt đầu") + ". " + qsTr("Cần giúp đỡ? Hãy hỏi tình nguyện viên áo xanh.")

    TapHandler { onTapped: journey.start() }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.gap, 1100)
        spacing: Theme.gap

        Image {
            Layout.alignment: Qt.AlignHCenter
            source: "../components/card.svg"
            sourceSize.height: Math.round(150 * Theme.scale)
            fillMode: Image.PreserveAspectFit
            Accessible.ignored: true
        }
        Text {
            objectName: "attractTitle"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("Chạm thẻ căn cước để bắt đầu")
            font.pixelSize: Theme.titleSize
            font.bold: true
            color: Theme.text
        }
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("Làm thủ tục hành chính ngay tại đây: khai sinh, cư trú, xác nhận tình trạng hôn nhân, lý lịch tư pháp… Thông tin trên thẻ căn cước được điền sẵn, bạn không phải gõ lại.")
            font.pixelSize: Theme.bodySize
            color: Theme.muted
        }
        KioskButton {
            objectName: "startButton"
            primary: true
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: Math.round(420 * Theme.scale)
            text: qsTr("Bắt đầu")
            onClicked: journey.start()
        }
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("Cần giúp đỡ? Hãy hỏi tình nguyện viên áo xanh.")
            font.pixelSize: Theme.bodySize
            font.bold: true
            color: Theme.accent
        }
        RowLayout {
            Layout.alignment: Qt.AlignHCenter
            spacing: Theme.gap
            Text {
                visible: volunteer.code !== ""
                text: qsTr("Tình nguyện viên %1 đang hỗ trợ tại ki-ốt này.").arg(volunteer.code)
                font.pixelSize: Theme.bodySize
                color: Theme.text
            }
            KioskButton {
                objectName: volunteer.code === "" ? "volunteerButton" : "volunteerSignOut"
                text: volunteer.code === "" ? qsTr("Tình nguyện viên đăng nhập") : qsTr("Kết thúc hỗ trợ")
                onClicked: volunteer.code === "" ? volunteer.requestSignIn() : volunteer.signOut()
            }
        }
    }
}
