import QtQuick
import QtQuick.Layouts

// The on-screen keyboard for the value being typed: Vietnamese letters for names and
// text, the number pad for ID numbers, dates and phone numbers. "Done" hands the text to
// whoever opened the panel (a form field, a repeat item, the identify screen).
Rectangle {
    id: panel
    objectName: "keyboardPanel"
    property string label: ""
    property string kind: "text"
    property var onCommit: null
    readonly property bool numeric: ["date", "phone", "id_number", "number", "partial_date"].indexOf(kind) >= 0
    visible: onCommit !== null
    color: Theme.secondary
    border.color: Theme.border
    implicitHeight: visible ? column.implicitHeight + Theme.gap : 0

    // A physical (USB) keyboard types into the open field too: Telex for letters
    // ("nguyeenx" → "nguyễn"), digits on the number pad, Enter for "Xong".
    Keys.onPressed: (event) => {
        const enter = event.key === Qt.Key_Return || event.key === Qt.Key_Enter
        const printable = event.text.length === 1 && event.text >= " "
        if (panel.numeric) {
            if (event.key === Qt.Key_Backspace) keypad.composer.backspace()
            else if (enter) keypad.composer.confirm()
            else if (printable && event.text >= "0" && event.text <= "9") keypad.composer.pressDigit(event.text)
            else return
        } else {
            if (event.key === Qt.Key_Backspace) keyboard.composer.pressPhysical("\b")
            else if (enter) keyboard.done()
            else if (printable) keyboard.composer.pressPhysical(event.text)
            else return
        }
        event.accepted = true
    }

    // ``phrases``: the field's own suggestions from its spec (optional).
    function open(label, kind, current, commit, phrases) {
        panel.label = label
        panel.kind = kind
        panel.onCommit = commit
        if (numeric) {
            keypad.composer.clear()
        } else {
            keyboard.composer.fieldPhrases = phrases || []
            keyboard.composer.fieldType = kind
            keyboard.composer.setText(current || "")
        }
        panel.forceActiveFocus()
    }
    function close() { panel.onCommit = null }
    function commit(text) {
        const callback = panel.onCommit
        panel.onCommit = null
        if (callback) callback(text)
    }

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.gap / 2
        spacing: Theme.gap / 3
        RowLayout {
            Layout.fillWidth: true
            Text {
                Layout.maximumWidth: panel.width * 0.3
                text: panel.label
                font.pixelSize: Theme.bodySize
                font.bold: true
                color: Theme.text
                elide: Text.ElideRight
            }
            Rectangle {
                visible: !panel.numeric
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.minTarget
                color: Theme.surface
                border.color: Theme.accent
                border.width: 2
                radius: Theme.radius / 2
                Text {
                    objectName: "typedText"
                    anchors.fill: parent
                    anchors.leftMargin: Theme.gap / 2
                    verticalAlignment: Text.AlignVCenter
                    text: keyboard.text + "|"
                    font.pixelSize: Theme.bodySize
                    color: Theme.text
                    elide: Text.ElideLeft
                }
            }
            Item { visible: panel.numeric; Layout.fillWidth: true }
            KioskButton {
                objectName: "closeKeyboard"
                text: qsTr("Đóng bàn phím")
                onClicked: panel.close()
            }
        }
        VietKeyboard {
            id: keyboard
            objectName: "letterKeyboard"
            visible: !panel.numeric
            Layout.fillWidth: true
            onDone: panel.commit(keyboard.composer.finish())
        }
        NumericKeypad {
            id: keypad
            objectName: "numberKeypad"
            visible: panel.numeric
            Layout.alignment: Qt.AlignHCenter
            entry: ({ "id_number": "id", "date": "date", "partial_date": "digits", "phone": "phone" })[panel.kind] || "digits"
            onConfirmed: (value) => panel.commit(value)
        }
    }
}
