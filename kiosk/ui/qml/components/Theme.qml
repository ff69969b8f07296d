pragma Singleton
import QtQuick

// Colours and sizes for the normal, large-text and high-contrast modes.
// Sizes follow the window height so a 1080p kiosk and a 800p test render alike.
QtObject {
    readonly property bool largeText: journey.largeText
    readonly property bool highContrast: journey.highContrast
    property real windowHeight: 800

    readonly property real scale: (largeText ? 1.35 : 1.0) * Math.max(0.6, windowHeight / 800)
    readonly property color background: highContrast ? "#000000" : "#F3F5F8"
    readonly property color surface: highContrast ? "#000000" : "#FFFFFF"
    readonly property color text: highContrast ? "#FFFFFF" : "#16191D"
    readonly property color muted: highContrast ? "#FFFF66" : "#46515E"
    readonly property color primary: highContrast ? "#FFFF00" : "#A61C1C"
    readonly property color textOnPrimary: highContrast ? "#000000" : "#FFFFFF"
    readonly property color secondary: highContrast ? "#000000" : "#E8ECF1"
    readonly property color textOnSecondary: highContrast ? "#FFFFFF" : "#16191D"
    readonly property color accent: highContrast ? "#00FFFF" : "#0B5CAD"
    readonly property color border: highContrast ? "#FFFFFF" : "#C9D1DA"
    readonly property color banner: highContrast ? "#000000" : "#A61C1C"
    readonly property color textOnBanner: highContrast ? "#FFFF00" : "#FFFFFF"

    readonly property int titleSize: Math.round(46 * scale)
    readonly property int headingSize: Math.round(32 * scale)
    readonly property int bodySize: Math.round(24 * scale)
    readonly property int smallSize: Math.round(19 * scale)
    // Primary actions at least 64 px, everything touchable at least 44 px (WCAG 2.5.5).
    readonly property int primaryTarget: Math.max(64, Math.round(76 * scale))
    readonly property int minTarget: Math.max(44, Math.round(56 * scale))
    readonly property int gap: Math.round(24 * scale)
    readonly property int radius: 12
}
