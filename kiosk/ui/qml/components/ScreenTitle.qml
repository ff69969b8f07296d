import QtQuick
import QtQuick.Layouts

// The big heading of a screen.
Text {
    Layout.fillWidth: true
    font.pixelSize: Theme.titleSize
    font.bold: true
    color: Theme.text
    wrapMode: Text.WordWrap
}
