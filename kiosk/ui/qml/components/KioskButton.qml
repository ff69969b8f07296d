import QtQuick
import QtQuick.Controls

// A large touch button. 'primary' buttons are at least 64 px high, others at least 44 px.
// 'checked' state is shown by a border and a tick mark, never by colour alone.
Button {
    id: control
    property bool primary: false
    property bool toggled: false

    implicitHeight: primary ? Theme.primaryTarget : Theme.minTarget
    implicitWidth: Math.max(implicitHeight * 2, contentItem.implicitWidth + 2 * Theme.gap)
    font.pixelSize: primary ? Theme.headingSize : Theme.bodySize
    font.bold: primary
    Accessible.name: text

    contentItem: Text {
        text: (control.toggled ? "✓ " : "") + control.text
        font: control.font
        color: control.primary ? Theme.textOnPrimary : Theme.textOnSecondary
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
    background: Rectangle {
        radius: Theme.radius
        color: control.primary ? Theme.primary : Theme.secondary
        opacity: control.down ? 0.75 : 1.0
        border.width: control.toggled || Theme.highContrast ? 3 : 1
        border.color: control.toggled ? Theme.accent : Theme.border
    }
}
