import QtQuick
import QtQuick.Layouts
import "../components"

// The chosen procedure needs more certainty about who the resident is than the card alone
// gives (a genuine card proves the card, not its holder). The resident picks a way: a face
// check against the chip photo, the VNeID app, or the volunteer beside them. When none is
// available, they are sent to the counter, kindly.
Item {
    id: screen
    objectName: "verifyScreen"
    readonly property var st: verify.state
    readonly property string spokenText: title.text

    function methodTitle(m) {
        return m === "face_liveness" ? qsTr("Chụp khuôn mặt để so với ảnh trong thẻ")
             : m === "vneid_l2" ? qsTr("Xác nhận bằng ứng dụng VNeID")
             : m === "volunteer_attested" ? qsTr("Tình nguyện viên xác nhận")
             : m
    }
    function methodHint(m) {
        return m === "face_liveness" ? qsTr("Nhìn vào camera, chớp mắt và quay đầu theo hướng dẫn. Ảnh không được lưu.")
             : m === "vneid_l2" ? qsTr("Quét mã QR bằng ứng dụng VNeID trên điện thoại của bạn rồi bấm đồng ý.")
             : m === "volunteer_attested" ? qsTr("Tình nguyện viên đối chiếu khuôn mặt bạn với ảnh trên thẻ và nhập mã PIN.")
             : ""
    }
    function guidanceText(g) {
        return g === "no_face" ? qsTr("Không thấy khuôn mặt. Xin nhìn thẳng vào camera.")
             : g === "two_faces" ? qsTr("Chỉ một người đứng trước camera.")
             : g === "too_dark" ? qsTr("Quá tối. Xin đứng ra chỗ sáng hơn.")
             : g === "too_far" ? qsTr("Xin lại gần camera hơn.")
             : ""
    }
    function challengeText(c) {
        return c === "blink" ? qsTr("Xin chớp mắt")
             : c === "turn_left" ? qsTr("Xin quay đầu sang trái")
             : c === "turn_right" ? qsTr("Xin quay đầu sang phải")
             : qsTr("Xin nhìn thẳng vào camera")
    }
    function resultText(r) {
        return r === "" || r === "passed" ? ""
             : r === "not_matched" ? qsTr("Khuôn mặt chưa khớp với ảnh trong thẻ. Bạn có thể thử lại hoặc chọn cách khác.")
             : r === "time_up" || r === "liveness_failed" ? qsTr("Hết thời gian kiểm tra. Bạn có thể thử lại hoặc chọn cách khác.")
             : r === "chip_photo_unusable" ? qsTr("Ảnh trong thẻ không dùng được để so khớp. Xin chọn cách khác.")
             : r === "denied" ? qsTr("Bạn đã từ chối trên ứng dụng VNeID.")
             : r === "expired" ? qsTr("Mã VNeID đã hết hạn. Bạn có thể thử lại.")
             : r === "other_person" ? qsTr("Tài khoản VNeID không phải của người có thẻ này.")
             : r === "level_1" ? qsTr("Tài khoản VNeID mức 1 chưa đủ. Cần tài khoản định danh mức 2.")
             : r === "wrong_pin" ? qsTr("Mã PIN không đúng.")
             : qsTr("Chưa xác thực được. Xin chọn cách khác.")
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap * 2
        spacing: Theme.gap

        ScreenTitle {
            id: title
            text: screen.st.step === "refused" ? qsTr("Thủ tục này cần làm tại quầy")
                : screen.st.step === "camera_consent" ? qsTr("Bạn đồng ý cho ki-ốt dùng camera?")
                : screen.st.step === "face" ? screen.challengeText(screen.st.challenge)
                : screen.st.step === "vneid" ? qsTr("Quét mã bằng ứng dụng VNeID")
                : screen.st.step === "volunteer" ? qsTr("Tình nguyện viên %1 nhập mã PIN").arg(screen.st.volunteer)
                : qsTr("Xác nhận bạn là người có thẻ")
        }

        Text {
            objectName: "verifyResult"
            Layout.fillWidth: true
            visible: text !== ""
            text: screen.resultText(screen.st.result)
            font.pixelSize: Theme.bodySize
            font.bold: true
            color: Theme.text
            wrapMode: Text.WordWrap
        }

        // -- choose a way -------------------------------------------------------------------
        ColumnLayout {
            visible: screen.st.step === "methods"
            Layout.fillWidth: true
            spacing: Theme.gap / 2
            Text {
                Layout.fillWidth: true
                text: qsTr("Thủ tục này cần biết chắc người làm thủ tục là chủ thẻ. Xin chọn một cách:")
                font.pixelSize: Theme.bodySize
                color: Theme.text
                wrapMode: Text.WordWrap
            }
            Repeater {
                model: screen.st.methods
                ColumnLayout {
                    required property string modelData
                    Layout.fillWidth: true
                    spacing: 4
                    KioskButton {
                        objectName: "method_" + parent.modelData
                        Layout.fillWidth: true
                        primary: true
                        text: screen.methodTitle(parent.modelData)
                        onClicked: verify.choose(parent.modelData)
                    }
                    Text {
                        Layout.fillWidth: true
                        Layout.bottomMargin: Theme.gap / 2
                        text: screen.methodHint(parent.modelData)
                        font.pixelSize: Theme.bodySize
                        color: Theme.text
                        wrapMode: Text.WordWrap
                    }
                }
            }
            Text {
                Layout.fillWidth: true
                visible: screen.st.faceUnusable
                text: qsTr("Ảnh trong thẻ không dùng được để so khớp khuôn mặt.")
                font.pixelSize: Theme.bodySize
                color: Theme.text
                wrapMode: Text.WordWrap
            }
        }

        // -- nothing reaches the level -------------------------------------------------------
        Text {
            objectName: "verifyRefused"
            visible: screen.st.step === "refused"
            Layout.fillWidth: true
            text: qsTr("Ki-ốt chưa thể xác nhận bạn là chủ thẻ cho thủ tục này (cần xác thực khuôn mặt, VNeID hoặc tình nguyện viên). Xin mời bạn đến quầy tiếp nhận, cán bộ sẽ giúp bạn. Bạn vẫn có thể chọn thủ tục khác.")
            font.pixelSize: Theme.bodySize
            color: Theme.text
            wrapMode: Text.WordWrap
        }

        // -- camera consent ------------------------------------------------------------------
        Text {
            visible: screen.st.step === "camera_consent"
            Layout.fillWidth: true
            text: qsTr("• Camera chụp khuôn mặt bạn để so với ảnh trong chip của thẻ.\n• Ảnh và đặc điểm khuôn mặt chỉ nằm trong bộ nhớ, bị xoá ngay khi kiểm tra xong, không lưu và không gửi đi.\n• Hồ sơ chỉ ghi kết quả: đã khớp hay chưa, và thời gian.\n• Bạn có thể từ chối và chọn cách khác.")
            font.pixelSize: Theme.bodySize
            color: Theme.text
            wrapMode: Text.WordWrap
            lineHeight: 1.25
        }

        // -- face check ------------------------------------------------------------------------
        RowLayout {
            visible: screen.st.step === "face"
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap
            Image {
                objectName: "cameraPreview"
                Layout.preferredWidth: 480
                Layout.preferredHeight: 360
                source: screen.st.step === "face" ? screen.st.preview : ""
                fillMode: Image.PreserveAspectFit
                cache: false
                mirror: true
            }
            ColumnLayout {
                Layout.fillWidth: true
                Rectangle {
                    // The camera indicator: visible whenever the camera is on.
                    objectName: "cameraIndicator"
                    visible: screen.st.cameraOn
                    Layout.preferredWidth: indicatorText.implicitWidth + Theme.gap
                    Layout.preferredHeight: indicatorText.implicitHeight + Theme.gap / 2
                    radius: height / 2
                    color: "#b00020"
                    Text {
                        id: indicatorText
                        anchors.centerIn: parent
                        text: qsTr("● Camera đang bật")
                        font.pixelSize: Theme.bodySize
                        font.bold: true
                        color: "white"
                    }
                }
                Text {
                    objectName: "faceGuidance"
                    Layout.fillWidth: true
                    text: screen.guidanceText(screen.st.guidance)
                    font.pixelSize: Theme.headingSize
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
            }
        }

        // -- VNeID -----------------------------------------------------------------------------
        RowLayout {
            visible: screen.st.step === "vneid"
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap
            Rectangle {
                Layout.preferredWidth: 320
                Layout.preferredHeight: 320
                color: "white"
                border.color: Theme.text
                Image {
                    objectName: "vneidQr"
                    anchors.fill: parent
                    anchors.margins: 8
                    source: screen.st.shortCode !== "" ? screen.st.qr : ""
                    fillMode: Image.PreserveAspectFit
                    smooth: false
                    cache: false
                }
            }
            Text {
                Layout.fillWidth: true
                text: screen.st.shortCode === "" ? qsTr("Đang mở phiên đăng nhập…")
                    : qsTr("1. Mở ứng dụng VNeID trên điện thoại.\n2. Chọn «Quét mã QR» và quét mã bên cạnh.\n3. Bấm đồng ý trong ứng dụng.\nMã phiên: %1").arg(screen.st.shortCode)
                font.pixelSize: Theme.bodySize
                color: Theme.text
                wrapMode: Text.WordWrap
                lineHeight: 1.25
            }
        }

        // -- volunteer ------------------------------------------------------------------------
        NumericKeypad {
            id: pinPad
            objectName: "attestPad"
            visible: screen.st.step === "volunteer"
            entry: "digits"
            Layout.alignment: Qt.AlignHCenter
            onConfirmed: (value) => { verify.attest(value); pinPad.composer.clear() }
        }

        Item { Layout.fillHeight: true; visible: screen.st.step !== "face" && screen.st.step !== "vneid" }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            KioskButton {
                objectName: "verifyBack"
                text: screen.st.step === "methods" || screen.st.step === "refused"
                      ? qsTr("Chọn thủ tục khác") : qsTr("Quay lại")
                onClicked: verify.back()
            }
            Item { Layout.fillWidth: true }
            KioskButton {
                objectName: "cameraAgree"
                visible: screen.st.step === "camera_consent"
                primary: true
                text: qsTr("Tôi đồng ý")
                onClicked: verify.agreeCamera()
            }
        }
    }
}
