import QtQuick
import QtQuick.Layouts
import "../components"

// "Place your card on the reader", with a gentle animation while the chip is read.
Item {
    id: screen
    objectName: "readingScreen"
    // What the "Listen" button reads aloud on this screen.
    readonly property string spokenText: qsTr("Đặt thẻ căn cước lên đầu đọc và giữ yên")

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.gap, 1000)
        spacing: Theme.gap

        Image {
            id: card
            Layout.alignment: Qt.AlignHCenter
            source: "../components/card.svg"
            sourceSize.height: Math.round(170 * Theme.scale)
            Accessible.ignored: true
            SequentialAnimation on y {
                loops: Animation.Infinite
                NumberAnimation { from: 0; to: 24; duration: 900; easing.type: Easing.InOutQuad }
                NumberAnimation { from: 24; to: 0; duration: 900; easing.type: Easing.InOutQuad }
            }
        }
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("Đặt thẻ căn cước lên đầu đọc và giữ yên")
            font.pixelSize: Theme.titleSize
            font.bold: true
            color: Theme.text
        }
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("Đầu đọc nằm bên phải màn hình, có biểu tượng thẻ. Không nhấc thẻ ra cho đến khi có thông báo.")
            font.pixelSize: Theme.bodySize
            color: Theme.muted
        }
        Rectangle {
            objectName: "readingProgress"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.round(28 * Theme.scale)
            radius: height / 2
            color: Theme.secondary
            border.color: Theme.border
            Rectangle {
                width: parent.width * session.progress
                height: parent.height
                radius: parent.radius
                color: Theme.accent
            }
        }
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Đang đọc thẻ… %1%").arg(Math.round(session.progress * 100))
            font.pixelSize: Theme.bodySize
            color: Theme.text
        }
    }
}
