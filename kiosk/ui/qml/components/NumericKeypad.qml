import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Shapes
import Kiosk.Keyboard

// The numeric keypad for ID numbers, dates (dd/mm/yyyy, slashes added by themselves) and
// phone numbers. Telephone layout (1 2 3 on top), as on the phones residents know; keys
// at least 64 px. "Xong" stays disabled, and says why, until the value is complete.
Rectangle {
    id: keypad
    objectName: "numericKeypad"

    // "id" (12 digits), "date" (dd/mm/yyyy), "phone" or "digits"
    property string entry: "id"
    property QtObject composer: ownComposer
    KeypadModel { id: ownComposer; entry: keypad.entry }
    readonly property string text: composer ? composer.text : ""
    property bool showDisplay: true
    signal confirmed(string text)

    readonly property int spacing: Math.max(8, Math.round(Theme.gap / 2))
    readonly property int keyHeight: Math.max(64, Theme.primaryTarget)
    readonly property int keyWidth: Math.round(keyHeight * 1.6)
    readonly property var hints: ({
        "id": qsTr("12 chữ số trên thẻ"),
        "date": qsTr("ngày/tháng/năm"),
        "phone": qsTr("Số điện thoại"),
        "digits": qsTr("Nhập số")
    })
    readonly property int wanted: ({ "id": 12, "date": 8, "phone": 10, "digits": 0 })[entry] || 0
    readonly property int typed: text.replace(/[^0-9]/g, "").length

    implicitWidth: 3 * keyWidth + 2 * spacing + 2 * spacing
    implicitHeight: column.implicitHeight + 2 * spacing
    color: Theme.highContrast ? Theme.background : Theme.secondary
    radius: Theme.radius
    border.color: Theme.border
    border.width: Theme.highContrast ? 2 : 0

    Connections {
        target: keypad.composer
        function onConfirmed(value) { keypad.confirmed(value) }
    }

    component PadKey: Button {
        id: key
        property bool strong: false
        property string caption: ""
        property bool backspaceGlyph: false
        readonly property color ink: strong && enabled ? Theme.textOnPrimary : Theme.text

        focusPolicy: Qt.NoFocus
        implicitWidth: keypad.keyWidth
        implicitHeight: keypad.keyHeight
        Layout.preferredWidth: keypad.keyWidth
        Layout.preferredHeight: keypad.keyHeight
        font.family: appFontFamily
        font.pixelSize: Math.round(Theme.headingSize * 1.1)
        Accessible.name: caption ? text + ", " + caption : text

        contentItem: Item {
            Column {
                anchors.centerIn: parent
                width: parent.width
                Item {
                    visible: key.backspaceGlyph
                    width: parent.width
                    height: 30
                    Shape {
                        width: 24
                        height: 20
                        anchors.centerIn: parent
                        scale: 1.4
                        preferredRendererType: Shape.CurveRenderer
                        ShapePath {
                            strokeColor: key.ink
                            strokeWidth: 2
                            fillColor: "transparent"
                            joinStyle: ShapePath.RoundJoin
                            capStyle: ShapePath.RoundCap
                            PathSvg {
                                path: "M 1 10 L 8 2 L 23 2 L 23 18 L 8 18 Z M 12 6 L 19 14 M 19 6 L 12 14"
                            }
                        }
                    }
                }
                Text {
                    width: parent.width
                    visible: text !== ""
                    text: key.text
                    font: key.font
                    color: key.enabled ? key.ink : Theme.muted
                    horizontalAlignment: Text.AlignHCenter
                }
                Text {
                    width: parent.width
                    visible: text !== ""
                    text: key.caption
                    font.family: appFontFamily
                    font.pixelSize: Theme.smallSize
                    color: key.strong && key.enabled ? Theme.textOnPrimary : Theme.muted
                    horizontalAlignment: Text.AlignHCenter
                }
            }
        }
        background: Rectangle {
            radius: Theme.radius / 2
            color: key.strong && key.enabled ? Theme.primary : Theme.surface
            opacity: key.enabled ? 1.0 : 0.6
            border.width: key.down ? 4 : (Theme.highContrast ? 2 : 1)
            border.color: key.down ? Theme.accent : Theme.border
            // Disabled is also shown by a dashed look: a second, inner border.
            Rectangle {
                anchors.fill: parent
                anchors.margins: 5
                radius: parent.radius
                color: "transparent"
                visible: !key.enabled
                border.width: 1
                border.color: Theme.border
            }
        }
    }

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: keypad.spacing
        spacing: keypad.spacing

        Rectangle {
            objectName: "keypadDisplay"
            visible: keypad.showDisplay
            Layout.fillWidth: true
            Layout.preferredHeight: keypad.keyHeight
            radius: Theme.radius / 2
            color: Theme.surface
            border.width: 2
            border.color: (keypad.composer && keypad.composer.complete) ? Theme.accent : Theme.border
            Text {
                objectName: "keypadText"
                anchors.fill: parent
                anchors.leftMargin: keypad.spacing
                anchors.rightMargin: keypad.spacing
                text: keypad.text !== "" ? keypad.text : keypad.hints[keypad.entry]
                font.family: appFontFamily
                font.pixelSize: keypad.text !== "" ? Math.round(Theme.headingSize * 1.1) : Theme.bodySize
                font.letterSpacing: keypad.text !== "" ? 2 : 0
                color: keypad.text !== "" ? Theme.text : Theme.muted
                verticalAlignment: Text.AlignVCenter
                horizontalAlignment: Text.AlignHCenter
                elide: Text.ElideLeft
            }
        }
        Text {
            objectName: "keypadCount"
            visible: keypad.showDisplay && keypad.wanted > 0
            Layout.fillWidth: true
            text: (keypad.composer && keypad.composer.complete) ? qsTr("Đủ số. Bấm Xong.")
                                           : qsTr("Đã nhập %1 / %2 chữ số").arg(keypad.typed).arg(keypad.wanted)
            font.family: appFontFamily
            font.pixelSize: Theme.smallSize
            color: Theme.muted
            horizontalAlignment: Text.AlignHCenter
        }

        GridLayout {
            columns: 3
            rowSpacing: keypad.spacing
            columnSpacing: keypad.spacing
            Layout.alignment: Qt.AlignHCenter
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
                delegate: PadKey {
                    required property string modelData
                    objectName: "pad_" + modelData
                    text: modelData
                    onClicked: keypad.composer.pressDigit(modelData)
                }
            }
            PadKey {
                objectName: "pad_backspace"
                backspaceGlyph: true
                caption: qsTr("Xoá")
                Accessible.name: qsTr("Xoá số cuối")
                autoRepeat: true
                onClicked: keypad.composer.backspace()
            }
            PadKey {
                objectName: "pad_0"
                text: "0"
                onClicked: keypad.composer.pressDigit("0")
            }
            PadKey {
                objectName: "pad_confirm"
                strong: true
                enabled: (keypad.composer && keypad.composer.complete)
                text: qsTr("Xong")
                // Not ready yet is said in words by the count line above ("Đã nhập 6 / 8").
                font.pixelSize: Theme.headingSize
                font.bold: true
                onClicked: keypad.composer.confirm()
            }
        }
    }
}
