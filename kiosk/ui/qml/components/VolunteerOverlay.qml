import QtQuick
import QtQuick.Layouts

// A volunteer signs in: their volunteer code, then their PIN, on the number pad.
Rectangle {
    id: overlay
    objectName: "volunteerOverlay"
    visible: volunteer.asking
    color: Theme.background
    property string code: ""

    onVisibleChanged: { code = ""; pad.composer.clear() }

    ColumnLayout {
        anchors.centerIn: parent
        spacing: Theme.gap / 2
        Text {
            Layout.alignment: Qt.AlignHCenter
            text: overlay.code === "" ? qsTr("Mã tình nguyện viên") : qsTr("Mã PIN của tình nguyện viên %1").arg(overlay.code)
            font.pixelSize: Theme.headingSize
            font.bold: true
            color: Theme.text
        }
        NumericKeypad {
            id: pad
            objectName: "volunteerPad"
            entry: "digits"
            Layout.alignment: Qt.AlignHCenter
            onConfirmed: (value) => {
                if (overlay.code === "") { overlay.code = value }
                else { volunteer.signIn(overlay.code, value); overlay.code = "" }
                pad.composer.clear()
            }
        }
        Text {
            objectName: "volunteerMessage"
            Layout.alignment: Qt.AlignHCenter
            text: volunteer.message
            font.pixelSize: Theme.bodySize
            color: Theme.text
        }
        KioskButton {
            objectName: "volunteerCancel"
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Huỷ")
            onClicked: volunteer.cancel()
        }
    }
}
