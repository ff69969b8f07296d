import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "components"

ApplicationWindow {
    id: root
    objectName: "kioskWindow"
    title: qsTr("Ki-ốt dịch vụ công")
    visible: true
    width: 1280
    height: 800
    color: Theme.background
    font.family: appFontFamily
    font.pixelSize: Theme.bodySize

    Binding { target: Theme; property: "windowHeight"; value: root.height }

    // Every touch anywhere restarts the inactivity clock, without taking the touch away.
    PointHandler {
        target: null
        onActiveChanged: if (active) journey.touch()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        TopBar {
            Layout.fillWidth: true
        }

        Loader {
            id: screenLoader
            objectName: "screenLoader"
            Layout.fillWidth: true
            Layout.fillHeight: true
            source: "screens/" + ({
                "attract": "AttractScreen.qml",
                "identify": "IdentifyScreen.qml",
                "consent": "ConsentScreen.qml",
                "reading": "ReadingScreen.qml",
                "welcome": "WelcomeScreen.qml",
                "choose": "ChooseScreen.qml",
                "verify": "VerifyScreen.qml",
                "form": "FormScreen.qml",
                "review": "ReviewScreen.qml",
                "submitting": "SubmittingScreen.qml",
                "receipt": "ReceiptScreen.qml",
                "rate": "RateScreen.qml"
            }[journey.screen] || "AttractScreen.qml")
        }
    }

    CardRemovedOverlay {
        anchors.fill: parent
    }

    VolunteerOverlay {
        anchors.fill: parent
    }

    TechnicianOverlay {
        anchors.fill: parent
    }

    TimeoutOverlay {
        anchors.fill: parent
        visible: journey.warningSeconds >= 0
        seconds: journey.warningSeconds
    }
}
