import QtQuick
import QtQuick.Layouts

// A failure in plain words, with what to do next. Marked with an icon and a border,
// never by colour alone.
Rectangle {
    id: banner
    property string message: ""
    visible: message.length > 0
    Layout.fillWidth: true
    implicitHeight: row.implicitHeight + Theme.gap
    radius: Theme.radius
    color: Theme.highContrast ? "#000000" : "#FDECEA"
    border.color: Theme.highContrast ? "#FFFF00" : "#A61C1C"
    border.width: 3

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.margins: Theme.gap / 2
        spacing: Theme.gap / 2
        Text {
            text: "⚠"
            font.pixelSize: Theme.headingSize
            color: Theme.highContrast ? "#FFFF00" : "#A61C1C"
        }
        Text {
            objectName: "errorText"
            Layout.fillWidth: true
            text: banner.message
            font.pixelSize: Theme.bodySize
            color: Theme.text
            wrapMode: Text.WordWrap
        }
    }
}
