import QtQuick
import QtQuick.Layouts
import "../components"

// Five faces, one touch; sent to the portal anonymously.
Item {
    id: screen
    objectName: "rateScreen"
    // What the "Listen" button reads aloud on this screen.
    readonly property string spokenText: qsTr("Bạn thấy dịch vụ hôm nay thế nào?")

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.gap, 1100)
        spacing: Theme.gap * 1.5
        ScreenTitle {
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Bạn thấy dịch vụ hôm nay thế nào?")
        }
        RowLayout {
            Layout.alignment: Qt.AlignHCenter
            spacing: Theme.gap
            Repeater {
                model: [
                    { score: 1, label: qsTr("Rất không hài lòng") },
                    { score: 2, label: qsTr("Không hài lòng") },
                    { score: 3, label: qsTr("Bình thường") },
                    { score: 4, label: qsTr("Hài lòng") },
                    { score: 5, label: qsTr("Rất hài lòng") }
                ]
                delegate: KioskButton {
                    required property var modelData
                    objectName: "rate_" + modelData.score
                    Layout.preferredWidth: Math.round(190 * Theme.scale)
                    Layout.preferredHeight: Math.round(170 * Theme.scale)
                    Accessible.name: modelData.label
                    contentItem: Column {
                        spacing: 6
                        Image {
                            anchors.horizontalCenter: parent.horizontalCenter
                            source: "../components/face" + modelData.score + ".svg"
                            sourceSize.height: Math.round(80 * Theme.scale)
                            Accessible.ignored: true
                        }
                        Text {
                            width: parent.width
                            horizontalAlignment: Text.AlignHCenter
                            text: modelData.label
                            font.pixelSize: Theme.smallSize
                            color: Theme.textOnSecondary
                            wrapMode: Text.WordWrap
                        }
                    }
                    onClicked: outcome.rate(modelData.score)
                }
            }
        }
        KioskButton {
            objectName: "skipRating"
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Bỏ qua")
            onClicked: journey.finish()
        }
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Đừng quên lấy lại thẻ căn cước và biên nhận.")
            font.pixelSize: Theme.bodySize
            font.bold: true
            color: Theme.accent
            wrapMode: Text.WordWrap
        }
    }
}
