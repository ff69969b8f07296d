import QtQuick

// A value the resident types: shows what is there (or a hint) and opens the on-screen
// keyboard when touched. No physical keyboard on a kiosk.
Rectangle {
    id: box
    property string value: ""
    property string hint: ""
    signal activated()
    implicitHeight: Theme.primaryTarget
    radius: Theme.radius / 2
    color: Theme.surface
    border.color: Theme.accent
    border.width: 2
    Accessible.role: Accessible.EditableText
    Accessible.name: hint

    Text {
        anchors.fill: parent
        anchors.leftMargin: Theme.gap / 2
        verticalAlignment: Text.AlignVCenter
        text: box.value !== "" ? box.value : box.hint
        font.pixelSize: Theme.bodySize
        color: box.value !== "" ? Theme.text : Theme.muted
        elide: Text.ElideRight
    }
    TapHandler { onTapped: box.activated() }
}
