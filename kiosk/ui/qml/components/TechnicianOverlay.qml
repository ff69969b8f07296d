import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Technician mode: the PIN, then the doctor's report, the queue and the actions a field
// technician needs. Every touch here keeps the mode open; idle, it closes by itself.
Rectangle {
    id: overlay
    objectName: "technicianOverlay"
    visible: technician.askingPin || technician.active
    color: Theme.background

    TapHandler { onTapped: technician.touch() }

    // The PIN.
    ColumnLayout {
        visible: technician.askingPin
        anchors.centerIn: parent
        spacing: Theme.gap / 2
        Text {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Mã PIN kỹ thuật viên")
            font.pixelSize: Theme.headingSize
            font.bold: true
            color: Theme.text
        }
        NumericKeypad {
            id: pinPad
            objectName: "technicianPin"
            entry: "digits"
            Layout.alignment: Qt.AlignHCenter
            onConfirmed: (value) => { technician.signIn(value); pinPad.composer.clear() }
        }
        Text {
            Layout.alignment: Qt.AlignHCenter
            text: technician.message
            font.pixelSize: Theme.bodySize
            color: Theme.text
        }
        KioskButton {
            objectName: "technicianCancel"
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Huỷ")
            onClicked: technician.cancelSignIn()
        }
    }

    // The panel.
    ColumnLayout {
        visible: technician.active
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap / 2
        Text {
            text: qsTr("Chế độ kỹ thuật viên")
            font.pixelSize: Theme.headingSize
            font.bold: true
            color: Theme.text
        }
        Text {
            objectName: "technicianQueue"
            Layout.fillWidth: true
            text: qsTr("Hàng đợi: %1 chờ gửi, %2 đang gửi, %3 cần xem, %4 cách ly, %5 đã nhận")
                  .arg(technician.queue.queued || 0).arg(technician.queue.sending || 0)
                  .arg(technician.queue.needsAttention || 0).arg(technician.queue.quarantined || 0)
                  .arg(technician.queue.accepted || 0)
            font.pixelSize: Theme.bodySize
            color: Theme.text
            wrapMode: Text.WordWrap
        }
        ListView {
            objectName: "doctorReport"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: technician.report
            spacing: 4
            delegate: Text {
                required property var modelData
                width: ListView.view.width
                text: ({ "ok": "✓ ", "warning": "⚠ ", "failure": "✗ " })[modelData.verdict] + modelData.check + ": "
                      + modelData.summary + (modelData.fix ? " → " + modelData.fix : "")
                font.pixelSize: Theme.smallSize
                color: Theme.text
                wrapMode: Text.WordWrap
            }
        }
        Text {
            objectName: "technicianMessage"
            Layout.fillWidth: true
            text: technician.message
            font.pixelSize: Theme.bodySize
            color: Theme.accent
            wrapMode: Text.WordWrap
        }
        Flow {
            Layout.fillWidth: true
            spacing: Theme.gap / 3
            KioskButton { objectName: "techRefresh"; text: qsTr("Kiểm tra lại"); onClicked: technician.refresh() }
            KioskButton { objectName: "techSendNow"; text: qsTr("Gửi ngay"); onClicked: technician.sendNow() }
            KioskButton { objectName: "techTestPage"; text: qsTr("In trang thử"); onClicked: technician.printTestPage() }
            KioskButton { objectName: "techSwitchPrinter"; text: qsTr("Đổi máy in"); onClicked: technician.switchPrinter() }
            KioskButton { objectName: "techExport"; text: qsTr("Xuất nhật ký và hồ sơ chờ ra USB"); onClicked: technician.exportToUsb() }
            KioskButton { objectName: "techExitKiosk"; text: qsTr("Thoát ứng dụng ki-ốt"); onClicked: technician.exitKiosk() }
            KioskButton { objectName: "techLeave"; primary: true; text: qsTr("Đóng"); onClicked: technician.leave() }
        }
    }
}
