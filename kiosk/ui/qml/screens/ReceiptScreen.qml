import QtQuick
import QtQuick.Layouts
import "../components"

// What happened, honestly: received by the portal (official code, due date) or queued at
// the kiosk (kiosk ticket); the fee and how to pay; the receipt's QR, printed and on screen.
Item {
    id: screen
    objectName: "receiptScreen"
    // What the "Listen" button reads aloud on this screen.
    readonly property string spokenText: (outcome.submission.spoken || "")
    readonly property var result: outcome.submission

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap * 1.5
        spacing: Theme.gap * 1.5

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap / 2
            // What happened scrolls when it is long (offline, linked dossiers, a fee, large
            // text); "Done" stays in reach below it.
            Flickable {
                id: details
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                contentHeight: detailsColumn.implicitHeight
                ColumnLayout {
                    id: detailsColumn
                    width: details.width
                    spacing: Theme.gap / 2
                    ScreenTitle {
                        objectName: "receiptTitle"
                        text: screen.result.accepted ? qsTr("✓ Hồ sơ đã được tiếp nhận")
                                                     : qsTr("✓ Hồ sơ đã được lưu tại ki-ốt")
                    }
                    Text {
                        Layout.fillWidth: true
                        visible: !screen.result.accepted
                        text: qsTr("Ki-ốt đang mất kết nối nên Cổng dịch vụ công CHƯA nhận hồ sơ. Ki-ốt sẽ tự gửi khi có mạng; mã hồ sơ chính thức sẽ được gửi cho bạn qua tin nhắn.")
                        font.pixelSize: Theme.bodySize
                        color: Theme.text
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        Layout.fillWidth: true
                        text: screen.result.accepted ? qsTr("Mã hồ sơ: %1").arg(screen.result.officialCode)
                                                     : qsTr("Số phiếu tại ki-ốt: %1").arg(screen.result.ticket)
                        font.pixelSize: Theme.headingSize
                        font.bold: true
                        color: Theme.text
                        wrapMode: Text.WrapAnywhere
                    }
                    Text {
                        Layout.fillWidth: true
                        visible: screen.result.linked > 1
                        text: qsTr("Đã gửi %1 hồ sơ liên thông; mỗi hồ sơ có biên nhận riêng. Mã trên đây là của hồ sơ đầu tiên.").arg(screen.result.linked)
                        font.pixelSize: Theme.bodySize
                        color: Theme.text
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        Layout.fillWidth: true
                        visible: screen.result.accepted && screen.result.dueDate !== ""
                        text: qsTr("Ngày hẹn trả kết quả: %1").arg(screen.result.dueDate)
                        font.pixelSize: Theme.bodySize
                        color: Theme.text
                    }
                    Text {
                        Layout.fillWidth: true
                        text: screen.result.fee > 0 ? (screen.result.payQr
                                ? qsTr("Lệ phí %1 đồng: quét mã VietQR bên cạnh bằng ứng dụng ngân hàng (nội dung: %2), hoặc nộp tại quầy.").arg(Number(screen.result.fee).toLocaleString(Qt.locale("vi_VN"), "f", 0)).arg(screen.result.payReference)
                                : qsTr("Lệ phí %1 đồng: nộp tại quầy.").arg(Number(screen.result.fee).toLocaleString(Qt.locale("vi_VN"), "f", 0)))
                                                    : qsTr("Thủ tục này không mất lệ phí.")
                        font.pixelSize: Theme.bodySize
                        color: Theme.text
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        Layout.fillWidth: true
                        text: screen.result.printed ? qsTr("Biên nhận đã được in. Hãy lấy biên nhận ở khe máy in.")
                                                    : qsTr("Chưa in được biên nhận: hãy chụp mã QR bên cạnh, hoặc nhờ cán bộ in lại.")
                        font.pixelSize: Theme.bodySize
                        color: Theme.muted
                        wrapMode: Text.WordWrap
                    }
                }
            }
            KioskButton {
                objectName: "receiptContinue"
                primary: true
                text: qsTr("Xong")
                onClicked: outcome.continueToRating()
            }
        }
        // The receipt's seal, and under it the fee's payment code, each with its caption so
        // the two codes are not confused.
        ColumnLayout {
            Layout.alignment: Qt.AlignVCenter
            spacing: Theme.gap / 3
            Rectangle {
                Layout.preferredWidth: Math.round((screen.result.payQr === true ? 260 : 340) * Theme.scale)
                Layout.preferredHeight: Layout.preferredWidth
                Layout.alignment: Qt.AlignHCenter
                color: "#FFFFFF"
                border.color: Theme.border
                Image {
                    objectName: "sealQr"
                    anchors.fill: parent
                    anchors.margins: 8
                    source: screen.result.ticket ? "image://session/seal?" + screen.result.ticket : ""
                    fillMode: Image.PreserveAspectFit
                    smooth: false
                    cache: false
                }
            }
            Text {
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("Mã biên nhận")
                font.pixelSize: Theme.bodySize
                color: Theme.text
            }
            Rectangle {
                visible: screen.result.fee > 0 && screen.result.payQr === true
                Layout.preferredWidth: Math.round(200 * Theme.scale)
                Layout.preferredHeight: Layout.preferredWidth
                Layout.alignment: Qt.AlignHCenter
                color: "#FFFFFF"
                border.color: Theme.text
                Image {
                    objectName: "paymentQr"
                    anchors.fill: parent
                    anchors.margins: 6
                    source: parent.visible ? "image://session/payment?" + screen.result.ticket : ""
                    fillMode: Image.PreserveAspectFit
                    smooth: false
                    cache: false
                }
            }
            Text {
                visible: screen.result.fee > 0 && screen.result.payQr === true
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("Mã nộp lệ phí (VietQR)")
                font.pixelSize: Theme.bodySize
                color: Theme.text
            }
        }
    }
}
