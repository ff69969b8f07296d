import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "../components"

// Everything on one scrollable page, each group with an edit link; then send.
Item {
    id: screen
    objectName: "reviewScreen"
    // What the "Listen" button reads aloud on this screen.
    readonly property string spokenText: qsTr("Kiểm tra lại hồ sơ")

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap * 1.5
        spacing: Theme.gap / 2

        ScreenTitle { text: qsTr("Kiểm tra lại hồ sơ") }
        Text {
            Layout.fillWidth: true
            text: session.review.procedure || ""
            font.pixelSize: Theme.bodySize
            color: Theme.muted
        }
        ErrorBanner { message: outcome.error || session.error }
        Flickable {
            id: flick
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentHeight: column.implicitHeight
            ScrollBar.vertical: ScrollBar { width: 16; policy: ScrollBar.AsNeeded }
            ColumnLayout {
                id: column
                width: flick.width - 24
                spacing: Theme.gap / 2
                Repeater {
                    model: session.review.pages || []
                    delegate: Rectangle {
                        required property var modelData
                        Layout.fillWidth: true
                        implicitHeight: pageColumn.implicitHeight + Theme.gap
                        radius: Theme.radius
                        color: Theme.surface
                        border.color: Theme.border
                        ColumnLayout {
                            id: pageColumn
                            anchors.fill: parent
                            anchors.margins: Theme.gap / 2
                            RowLayout {
                                Layout.fillWidth: true
                                Text {
                                    Layout.fillWidth: true
                                    text: modelData.title
                                    font.pixelSize: Theme.bodySize
                                    font.bold: true
                                    color: Theme.text
                                }
                                KioskButton {
                                    objectName: "editPage_" + modelData.index
                                    text: qsTr("Sửa")
                                    onClicked: session.editPage(modelData.index)
                                }
                            }
                            Repeater {
                                model: modelData.fields
                                delegate: RowLayout {
                                    required property var modelData
                                    Layout.fillWidth: true
                                    Text {
                                        Layout.preferredWidth: column.width * 0.35
                                        text: modelData.label
                                        font.pixelSize: Theme.smallSize
                                        color: Theme.muted
                                        wrapMode: Text.WordWrap
                                    }
                                    Text {
                                        Layout.fillWidth: true
                                        text: modelData.value === "" ? "—" : modelData.value
                                        font.pixelSize: Theme.smallSize
                                        color: Theme.text
                                        wrapMode: Text.WordWrap
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Text {
                Layout.fillWidth: true
                text: session.review.fee > 0 ? qsTr("Lệ phí: %1 đồng").arg(Number(session.review.fee).toLocaleString(Qt.locale("vi_VN"), "f", 0))
                                             : qsTr("Không mất lệ phí")
                font.pixelSize: Theme.bodySize
                font.bold: true
                color: Theme.text
            }
            KioskButton {
                objectName: "submitButton"
                primary: true
                text: qsTr("Gửi hồ sơ")
                onClicked: outcome.submit()
            }
        }
    }
}
