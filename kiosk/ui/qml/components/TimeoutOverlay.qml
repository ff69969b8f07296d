import QtQuick
import QtQuick.Layouts

// The inactivity warning: a visible countdown of at least 20 s and a big way to stay
// (WCAG 2.2.1). When it reaches zero the journey ends the session and wipes it.
Rectangle {
    id: overlay
    objectName: "timeoutOverlay"
    property int seconds: 0
    color: "#CC000000"

    MouseArea { anchors.fill: parent }  // nothing behind the warning is touchable

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width * 0.8, 900)
        height: content.implicitHeight + 2 * Theme.gap
        radius: Theme.radius
        color: Theme.surface
        border.color: Theme.border
        border.width: 2

        ColumnLayout {
            id: content
            anchors.fill: parent
            anchors.margins: Theme.gap
            spacing: Theme.gap

            Text {
                Layout.fillWidth: true
                text: qsTr("Bạn còn ở đây không?")
                font.pixelSize: Theme.headingSize
                font.bold: true
                color: Theme.text
                wrapMode: Text.WordWrap
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("Để bảo vệ thông tin của bạn, phiên làm việc sẽ kết thúc và mọi thông tin sẽ được xoá sau %1 giây.").arg(overlay.seconds)
                font.pixelSize: Theme.bodySize
                color: Theme.text
                wrapMode: Text.WordWrap
            }
            RowLayout {
                spacing: Theme.gap
                KioskButton {
                    objectName: "moreTime"
                    primary: true
                    Layout.fillWidth: true
                    text: qsTr("Tôi cần thêm thời gian")
                    onClicked: journey.touch()
                }
                KioskButton {
                    objectName: "endNow"
                    text: qsTr("Kết thúc")
                    onClicked: journey.endSession()
                }
            }
        }
    }
}
