import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "../components"

// The services, most frequent first, with a search that ignores diacritics.
Item {
    id: screen
    objectName: "chooseScreen"
    // What the "Listen" button reads aloud on this screen.
    readonly property string spokenText: qsTr("Bạn muốn làm thủ tục gì?")

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap * 1.5
        spacing: Theme.gap

        ScreenTitle { text: qsTr("Bạn muốn làm thủ tục gì?") }
        TextField {
            objectName: "serviceSearch"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.primaryTarget
            font.pixelSize: Theme.bodySize
            placeholderText: qsTr("Tìm thủ tục (gõ không dấu cũng được, ví dụ: khai sinh)")
            onTextChanged: session.setQuery(text)
        }
        GridView {
            id: grid
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            cellWidth: width / 2
            cellHeight: Math.round(150 * Theme.scale)
            model: session.services
            delegate: Item {
                required property var modelData
                width: grid.cellWidth
                height: grid.cellHeight
                KioskButton {
                    objectName: "service_" + modelData.code
                    anchors.fill: parent
                    anchors.margins: Theme.gap / 3
                    contentItem: ColumnLayout {
                        spacing: 4
                        Text {
                            Layout.fillWidth: true
                            text: modelData.title
                            font.pixelSize: Theme.headingSize * 0.85
                            font.bold: true
                            color: Theme.textOnSecondary
                            wrapMode: Text.WordWrap
                        }
                        Text {
                            Layout.fillWidth: true
                            text: modelData.fee
                            font.pixelSize: Theme.smallSize
                            color: Theme.muted
                            wrapMode: Text.WordWrap
                            elide: Text.ElideRight
                            maximumLineCount: 2
                        }
                    }
                    Accessible.name: modelData.title
                    onClicked: session.chooseService(modelData.code)
                }
            }
        }
        Text {
            visible: session.services.length === 0
            text: qsTr("Không tìm thấy thủ tục nào. Hãy thử từ khác, hoặc hỏi tình nguyện viên.")
            font.pixelSize: Theme.bodySize
            color: Theme.text
        }
    }
}
