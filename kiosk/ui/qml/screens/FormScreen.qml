import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "../components"

// One group of the form per page; what is known is shown, only the rest is asked.
Item {
    id: screen
    objectName: "formScreen"
    // What the "Listen" button reads aloud on this screen.
    readonly property string spokenText: (session.page.title || "")

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap * 1.5
        spacing: Theme.gap / 2

        Text {
            Layout.fillWidth: true
            text: (session.page.procedure || "") + " — " + qsTr("trang %1/%2").arg((session.page.index || 0) + 1).arg(session.page.count || 1)
            font.pixelSize: Theme.smallSize
            color: Theme.muted
            elide: Text.ElideRight
        }
        ScreenTitle { text: session.page.title || "" }
        // A relative's record the database would not give, a field of an earlier page of a
        // linked journey that still needs attention: said here, the form stays as it is.
        ErrorBanner { objectName: "formError"; message: session.error }
        Flow {
            visible: session.otherPeople.length > 0 && !keyboardPanel.visible
            Layout.fillWidth: true
            spacing: Theme.gap / 3
            Repeater {
                model: session.otherPeople
                delegate: KioskButton {
                    required property var modelData
                    objectName: "readCard_" + modelData.slot
                    primary: true
                    text: qsTr("Đọc thẻ căn cước của %1").arg(modelData.label)
                    onClicked: session.askOtherCard(modelData.slot)
                }
            }
            // The relatives the resident's own record links: one touch fills that person's
            // part from the population database (the parent whose death is registered).
            Repeater {
                model: {
                    var out = []
                    for (var i = 0; i < session.otherPeople.length; i++) {
                        var person = session.otherPeople[i]
                        for (var j = 0; j < person.relatives.length; j++)
                            out.push({ slot: person.slot, person: person.label,
                                       relation: person.relatives[j].relation,
                                       label: person.relatives[j].label })
                    }
                    return out
                }
                delegate: KioskButton {
                    required property var modelData
                    objectName: "relative_" + modelData.slot + "_" + modelData.relation
                    text: qsTr("%1 là %2").arg(modelData.person).arg(modelData.label)
                    onClicked: session.useRelative(modelData.slot, modelData.relation)
                }
            }
        }
        Flickable {
            id: flick
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentHeight: fields.implicitHeight
            ScrollBar.vertical: ScrollBar { width: 16; policy: ScrollBar.AsNeeded }
            ColumnLayout {
                id: fields
                width: flick.width - 24
                spacing: Theme.gap
                Repeater {
                    model: session.page.fields || []
                    delegate: FieldEditor {
                        required property var modelData
                        Layout.fillWidth: true
                        field: modelData
                    }
                }
            }
        }
        KeyboardPanel {
            id: keyboardPanel
            Layout.fillWidth: true
        }
        RowLayout {
            visible: !keyboardPanel.visible
            Layout.fillWidth: true
            spacing: Theme.gap
            KioskButton {
                objectName: "formBack"
                text: qsTr("← Quay lại")
                onClicked: session.previousPage()
            }
            Item { Layout.fillWidth: true }
            KioskButton {
                objectName: "formNext"
                primary: true
                text: qsTr("Tiếp tục →")
                onClicked: session.nextPage()
            }
        }
    }

    OtherCardOverlay {
        anchors.fill: parent
    }
}
