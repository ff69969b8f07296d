import QtQuick
import QtQuick.Layouts

// Always on screen: where you are, the language switch, and the large-text and
// high-contrast modes, one touch away (REFERENCE §6).
Rectangle {
    id: bar
    implicitHeight: Theme.minTarget + Theme.gap
    color: Theme.banner

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.gap
        anchors.rightMargin: Theme.gap
        spacing: Math.round(Theme.gap / 2)

        Text {
            objectName: "centreName"
            Layout.fillWidth: true
            text: journey.centreName
            // The hidden way into technician mode: five quick taps here, on the attract screen.
            property int taps: 0
            Timer { id: tapWindow; interval: 3000; onTriggered: parent.taps = 0 }
            TapHandler {
                onTapped: {
                    if (journey.screen !== "attract") return
                    parent.taps += 1
                    if (parent.taps === 1) tapWindow.restart()
                    if (parent.taps >= 5) { parent.taps = 0; technician.requestSignIn() }
                }
            }
            color: Theme.textOnBanner
            font.pixelSize: Theme.smallSize
            font.bold: true
            elide: Text.ElideRight
        }
        KioskButton {
            objectName: "speakButton"
            text: qsTr("Nghe")
            Accessible.description: qsTr("Đọc to nội dung màn hình")
            onClicked: journey.speak(screenLoader.item && screenLoader.item.spokenText !== undefined
                                     ? screenLoader.item.spokenText : "")
        }
        KioskButton {
            objectName: "languageVi"
            text: "Tiếng Việt"
            toggled: journey.language === "vi"
            onClicked: journey.setLanguage("vi")
        }
        KioskButton {
            objectName: "languageEn"
            text: "English"
            toggled: journey.language === "en"
            onClicked: journey.setLanguage("en")
        }
        KioskButton {
            objectName: "largeText"
            text: qsTr("Chữ lớn")
            toggled: journey.largeText
            onClicked: journey.toggleLargeText()
        }
        KioskButton {
            objectName: "highContrast"
            text: qsTr("Tương phản cao")
            toggled: journey.highContrast
            onClicked: journey.toggleHighContrast()
        }
    }
}
