import QtQuick
import QtQuick.Layouts

// The card left the reader mid-journey: pause and ask. Going on keeps everything typed;
// walking away lets the inactivity timer end and wipe the session.
Rectangle {
    id: overlay
    objectName: "cardRemovedOverlay"
    visible: session.cardRemoved
    color: "#CC000000"
    MouseArea { anchors.fill: parent }

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
                text: qsTr("Thẻ căn cước đã được lấy ra")
                font.pixelSize: Theme.headingSize
                font.bold: true
                color: Theme.text
                wrapMode: Text.WordWrap
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("Bạn vẫn ở đây? Những gì bạn đã nhập vẫn được giữ nguyên. Hãy giữ thẻ bên mình.")
                font.pixelSize: Theme.bodySize
                color: Theme.text
                wrapMode: Text.WordWrap
            }
            RowLayout {
                spacing: Theme.gap
                KioskButton {
                    objectName: "continueWithoutCard"
                    primary: true
                    Layout.fillWidth: true
                    text: qsTr("Tôi vẫn ở đây, tiếp tục")
                    onClicked: session.continueWithoutCard()
                }
                KioskButton {
                    objectName: "endAfterRemoval"
                    text: qsTr("Kết thúc")
                    onClicked: journey.endSession()
                }
            }
        }
    }
}
