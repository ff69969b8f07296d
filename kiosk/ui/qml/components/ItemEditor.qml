import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// One item of a repeat group (a household member, a period of residence): its fields.
Rectangle {
    id: itemBox
    property string group: ""
    property var item: ({})
    implicitHeight: column.implicitHeight + Theme.gap
    radius: Theme.radius
    color: Theme.surface
    border.color: Theme.border

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.gap / 2
        spacing: 6
        RowLayout {
            Layout.fillWidth: true
            Text {
                Layout.fillWidth: true
                text: qsTr("Mục %1").arg(itemBox.item.index + 1)
                font.pixelSize: Theme.bodySize
                font.bold: true
                color: Theme.text
            }
            KioskButton {
                objectName: "remove_" + itemBox.group + "_" + itemBox.item.index
                text: qsTr("Xoá mục này")
                onClicked: session.removeItem(itemBox.group, itemBox.item.index)
            }
        }
        Repeater {
            model: itemBox.item.fields || []
            delegate: ColumnLayout {
                required property var modelData
                Layout.fillWidth: true
                spacing: 4
                Text {
                    Layout.fillWidth: true
                    text: modelData.label + (modelData.sourceText !== "" ? "  ·  ✓ " + modelData.sourceText : "")
                    font.pixelSize: Theme.smallSize
                    color: Theme.muted
                    wrapMode: Text.WordWrap
                }
                Flow {
                    visible: modelData.options.length > 0
                    Layout.fillWidth: true
                    spacing: Theme.gap / 4
                    Repeater {
                        model: modelData.options
                        delegate: KioskButton {
                            required property var modelData
                            property var sub: parent.parent.modelData
                            objectName: "option_" + itemBox.group + "_" + itemBox.item.index + "_" + sub.key + "_" + modelData.value
                            text: modelData.label
                            toggled: sub.value === modelData.value
                            onClicked: session.setItemField(itemBox.group, itemBox.item.index, sub.key, modelData.value)
                        }
                    }
                }
                TypedValue {
                    id: typed
                    property var sub: parent.modelData
                    visible: sub.options.length === 0
                    objectName: "input_" + itemBox.group + "_" + itemBox.item.index + "_" + sub.key
                    Layout.fillWidth: true
                    value: sub.display
                    hint: qsTr("Chạm để nhập")
                    onActivated: keyboardPanel.open(sub.label, sub.type, sub.display, function(text) {
                        session.setItemField(itemBox.group, itemBox.item.index, typed.sub.key, text) })
                }
                Text {
                    visible: modelData.error !== ""
                    Layout.fillWidth: true
                    text: "⚠ " + modelData.error
                    font.pixelSize: Theme.smallSize
                    font.bold: true
                    color: Theme.highContrast ? "#FFFF00" : "#A61C1C"
                    wrapMode: Text.WordWrap
                }
            }
        }
    }
}
