import QtQuick
import QtQuick.Layouts

// Another person's card for this form (the mother, the spouse, the deceased): they are
// here and agree, their card's QR is scanned (or, in demo mode, a demo card chosen), and
// their block of the form fills itself from their chip.
Rectangle {
    id: overlay
    objectName: "otherCardOverlay"
    visible: session.otherSlot !== ""
    color: Theme.background
    readonly property string who: {
        for (const person of session.otherPeople) if (person.slot === session.otherSlot) return person.label
        return ""
    }
    MouseArea { anchors.fill: parent }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap * 1.5
        spacing: Theme.gap / 2
        ScreenTitle { text: qsTr("Thẻ căn cước của: %1").arg(overlay.who) }
        Text {
            Layout.fillWidth: true
            text: qsTr("Người này cần có mặt và đồng ý cho ki-ốt đọc thẻ để điền phần của họ. Hãy quét mã QR trên thẻ của họ, rồi đặt thẻ lên đầu đọc.")
            font.pixelSize: Theme.bodySize
            color: Theme.text
            wrapMode: Text.WordWrap
        }
        ErrorBanner { message: session.error }
        Text {
            visible: session.demoResidents.length > 0
            Layout.fillWidth: true
            text: qsTr("Chế độ trình diễn: chọn một thẻ mẫu (người không có thật).")
            font.pixelSize: Theme.smallSize
            font.italic: true
            color: Theme.accent
        }
        Flow {
            Layout.fillWidth: true
            spacing: Theme.gap / 3
            Repeater {
                model: session.demoResidents
                delegate: KioskButton {
                    required property var modelData
                    objectName: "otherDemoCard_" + modelData.id
                    text: modelData.name
                    onClicked: session.useOtherDemoCard(modelData.id)
                }
            }
        }
        Item { Layout.fillHeight: true }
        KioskButton {
            objectName: "cancelOtherCard"
            text: qsTr("← Quay lại, tôi sẽ tự nhập")
            onClicked: session.cancelOtherCard()
        }
    }
}
