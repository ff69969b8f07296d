import QtQuick
import QtQuick.Layouts
import "../components"

// The photo from the chip, the name, and the card's authenticity in plain words.
Item {
    id: screen
    objectName: "welcomeScreen"
    // What the "Listen" button reads aloud on this screen.
    readonly property string spokenText: qsTr("Xin chào") + " " + (session.welcome.name || "") + ". " + (session.welcome.statusText || "")

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.gap, 1100)
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap * 1.5
            Rectangle {
                Layout.preferredWidth: Math.round(220 * Theme.scale)
                Layout.preferredHeight: Math.round(290 * Theme.scale)
                color: Theme.secondary
                border.color: Theme.border
                border.width: 2
                radius: Theme.radius
                Image {
                    objectName: "chipPhoto"
                    anchors.fill: parent
                    anchors.margins: 6
                    visible: session.welcome.hasPhoto === true
                    source: visible ? "image://session/face?" + session.welcome.name.length : ""
                    fillMode: Image.PreserveAspectFit
                    cache: false
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: Theme.gap / 2
                Text {
                    Layout.fillWidth: true
                    text: qsTr("Xin chào")
                    font.pixelSize: Theme.headingSize
                    color: Theme.muted
                }
                Text {
                    objectName: "welcomeName"
                    Layout.fillWidth: true
                    text: session.welcome.name || ""
                    font.pixelSize: Theme.titleSize
                    font.bold: true
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                Text {
                    objectName: "authenticityText"
                    Layout.fillWidth: true
                    text: (session.welcome.status === "genuine" ? "✓ " : "ⓘ ") + (session.welcome.statusText || "")
                    font.pixelSize: Theme.bodySize
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                Text {
                    visible: session.welcome.expired === true
                    Layout.fillWidth: true
                    text: qsTr("⚠ Thẻ của bạn đã hết hạn. Bạn vẫn có thể làm thủ tục, nhưng hãy làm lại thẻ sớm.")
                    font.pixelSize: Theme.bodySize
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                Text {
                    visible: session.welcome.lookupFound === false
                    Layout.fillWidth: true
                    text: qsTr("ⓘ Ki-ốt đang không kết nối được Cơ sở dữ liệu quốc gia; một số thông tin bạn sẽ cần tự nhập.")
                    font.pixelSize: Theme.smallSize
                    color: Theme.muted
                    wrapMode: Text.WordWrap
                }
            }
        }
        KioskButton {
            objectName: "continueButton"
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: Math.round(420 * Theme.scale)
            primary: true
            text: qsTr("Chọn thủ tục")
            onClicked: session.continueToServices()
        }
    }
}
