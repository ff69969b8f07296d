import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "../components"

// The dossier is saved at the kiosk, then sent; the resident waits a few seconds at most.
Item {
    id: screen
    objectName: "submittingScreen"
    // What the "Listen" button reads aloud on this screen.
    readonly property string spokenText: qsTr("Đang lưu và gửi hồ sơ của bạn…")

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.gap, 1000)
        spacing: Theme.gap
        BusyIndicator {
            Layout.alignment: Qt.AlignHCenter
            running: outcome.error === ""
            Layout.preferredWidth: Math.round(120 * Theme.scale)
            Layout.preferredHeight: Layout.preferredWidth
        }
        ScreenTitle {
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Đang lưu và gửi hồ sơ của bạn…")
        }
        ErrorBanner { message: outcome.error }
        KioskButton {
            objectName: "retrySubmit"
            visible: outcome.error !== ""
            Layout.alignment: Qt.AlignHCenter
            primary: true
            text: qsTr("Gửi lại")
            onClicked: outcome.retrySubmit()
        }
    }
}
