import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// One form field: a filled value is shown as a fact with its source ("From your ID
// card"); what is still needed is asked with the input its type calls for.
ColumnLayout {
    id: editor
    property var field: ({})
    property bool editing: false
    readonly property bool automatic: field.sourceText !== "" && field.source !== "resident" && field.source !== "volunteer"
    spacing: 4

    RowLayout {
        Layout.fillWidth: true
        Text {
            Layout.fillWidth: true
            text: editor.field.label + (editor.field.required ? " *" : "")
            font.pixelSize: Theme.bodySize
            font.bold: true
            color: Theme.text
            wrapMode: Text.WordWrap
        }
        Text {
            visible: editor.field.sourceText !== ""
            text: "✓ " + editor.field.sourceText
            font.pixelSize: Theme.smallSize
            color: Theme.accent
        }
    }

    // A fact already known: shown, not asked.
    RowLayout {
        visible: editor.field.value !== "" && !editor.editing && editor.field.type !== "repeat"
        Layout.fillWidth: true
        Text {
            objectName: "value_" + editor.field.key
            Layout.fillWidth: true
            text: editor.field.display
            font.pixelSize: Theme.headingSize * 0.8
            color: Theme.text
            wrapMode: Text.WordWrap
        }
        KioskButton {
            visible: !editor.field.locked
            text: qsTr("Sửa")
            onClicked: editor.editing = true
        }
    }

    // Choices: one big button per option.
    Flow {
        visible: (editor.field.value === "" || editor.editing) && editor.field.options && editor.field.options.length > 0
        Layout.fillWidth: true
        spacing: Theme.gap / 3
        Repeater {
            model: editor.field.options || []
            delegate: KioskButton {
                required property var modelData
                objectName: "option_" + editor.field.key + "_" + modelData.value
                text: modelData.label
                toggled: editor.field.value === modelData.value
                onClicked: { session.setField(editor.field.key, modelData.value); editor.editing = false }
            }
        }
    }

    // Typed values: the on-screen keyboard of the screen (keyboardPanel) opens on touch.
    TypedValue {
        objectName: "input_" + editor.field.key
        visible: (editor.field.value === "" || editor.editing) && !(editor.field.options && editor.field.options.length > 0)
                 && ["repeat", "attachment"].indexOf(editor.field.type) < 0
        Layout.fillWidth: true
        value: editor.editing ? editor.field.display : ""
        hint: editor.field.type === "date" ? qsTr("Chạm để nhập ngày/tháng/năm") : qsTr("Chạm để nhập")
        onActivated: keyboardPanel.open(editor.field.label, editor.field.type, editor.editing ? editor.field.display : "",
                                        function(text) { session.setField(editor.field.key, text); editor.editing = false },
                                        editor.field.suggestions || [])
    }

    // A repeat group: its items, and a button to add one.
    Repeater {
        model: editor.field.type === "repeat" ? editor.field.items : []
        delegate: ItemEditor {
            required property var modelData
            Layout.fillWidth: true
            group: editor.field.key
            item: modelData
        }
    }
    KioskButton {
        objectName: "add_" + editor.field.key
        visible: editor.field.type === "repeat" && editor.field.canAdd === true
        text: qsTr("+ Thêm mục")
        onClicked: session.addItem(editor.field.key)
    }

    Text {
        visible: editor.field.type === "attachment"
        Layout.fillWidth: true
        text: qsTr("Hãy mang giấy tờ này đến quầy khi nhận kết quả.")
        font.pixelSize: Theme.bodySize
        color: Theme.muted
        wrapMode: Text.WordWrap
    }

    Text {
        objectName: "error_" + editor.field.key
        visible: editor.field.error !== ""
        Layout.fillWidth: true
        text: "⚠ " + editor.field.error
        font.pixelSize: Theme.bodySize
        font.bold: true
        color: Theme.highContrast ? "#FFFF00" : "#A61C1C"
        wrapMode: Text.WordWrap
    }
}
