import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Shapes
import Kiosk.Keyboard

// Our Vietnamese on-screen keyboard (issue 7). Letters are QWERTY because the residents
// who type at all type on phones, whose Vietnamese keyboards are QWERTY; the vowel forms
// (ă â ê ô ơ ư đ) and the five tones have their own labelled rows, so nobody needs Telex
// or long presses. Where a tone lands is decided in kiosk/keyboard (plain Python): this
// file only draws keys and forwards presses to its KeyboardModel.
Rectangle {
    id: keyboard
    objectName: "vietKeyboard"

    property QtObject composer: ownComposer
    KeyboardModel { id: ownComposer }
    readonly property string text: composer ? composer.text : ""
    property bool symbols: false
    signal done()

    readonly property int spacing: Math.max(6, Math.round(Theme.gap / 3))
    readonly property int padding: spacing
    // Whole pixels: layouts round each key up, and fractions would push the last key out.
    readonly property int unit: Math.floor((width - 2 * padding - 9 * spacing) / 10)
    readonly property int keyHeight: Math.max(56, Theme.minTarget)
    // Tone keys carry a word under the glyph ("huyền"), so they get a little more height.
    readonly property int toneKeyHeight: Math.round(keyHeight * 1.15)
    readonly property int labelSize: Math.round(Theme.bodySize * 1.2)
    readonly property int captionSize: Math.max(16, Math.round(Theme.smallSize * 0.9))
    readonly property int captionWidth: Math.floor(unit * 1.5 + spacing / 2)
    // Suggestion chips: 64 px, big enough for an unsteady finger, and no taller in large-text
    // mode, where the keys already take most of the screen. The row is always there, so
    // the keys do not jump when chips come and go.
    readonly property int chipHeight: 64
    readonly property int chipCount: 4

    implicitWidth: 1280
    implicitHeight: chipHeight + 5 * keyHeight + toneKeyHeight + 7 * spacing + 2 + 2 * padding
    color: Theme.highContrast ? Theme.background : Theme.secondary
    border.color: Theme.border
    border.width: Theme.highContrast ? 2 : 0

    function widthOf(units) { return Math.floor(unit * units + (units - 1) * spacing) }
    // Key width when n keys share a row with a RowCaption, ending flush with the letter rows.
    function sharedWidth(n) { return Math.floor((widthOf(10) - captionWidth - n * spacing) / n) }
    function cased(letter) { return composer && composer.shift ? letter.toUpperCase() : letter }

    // Not "Key": PySide6 6.11 maps a QML type named Key to the Qt.Key enum and crashes when
    // Python walks the item tree.
    component KeyCap: Button {
        id: key
        property real units: 1
        property real keyWidth: keyboard.widthOf(units)
        property int keyHeight: keyboard.keyHeight
        property string caption: ""
        property string glyph: ""        // "shift" or "backspace": drawn, not typed
        property bool strong: false      // the "Xong" key
        property bool lit: false         // shift while it is on (also shown by the word)
        property bool flashing: false
        readonly property color ink: strong || lit ? Theme.textOnPrimary : Theme.text

        focusPolicy: Qt.NoFocus
        Layout.preferredWidth: keyWidth
        Layout.preferredHeight: keyHeight
        implicitWidth: keyWidth
        implicitHeight: keyHeight
        padding: 2
        Accessible.name: caption ? text + ", " + caption : text
        font.family: appFontFamily
        font.pixelSize: keyboard.labelSize

        contentItem: Item {
            Column {
                anchors.centerIn: parent
                width: parent.width
                spacing: 0
                ArrowIcon {
                    visible: key.glyph !== ""
                    up: key.glyph === "shift"
                    color: key.ink
                    anchors.horizontalCenter: parent.horizontalCenter
                }
                Text {
                    width: parent.width
                    text: key.text
                    visible: text !== ""
                    font.family: appFontFamily
                    font.pixelSize: key.caption ? Math.round(keyboard.labelSize * 0.9)
                                                : keyboard.labelSize
                    font.bold: key.strong || key.lit
                    color: key.ink
                    horizontalAlignment: Text.AlignHCenter
                }
                Text {
                    width: parent.width
                    text: key.caption
                    visible: text !== ""
                    font.family: appFontFamily
                    font.pixelSize: keyboard.captionSize
                    font.bold: key.lit
                    color: key.strong || key.lit ? Theme.textOnPrimary : Theme.muted
                    horizontalAlignment: Text.AlignHCenter
                    elide: Text.ElideRight
                }
            }
        }
        background: Rectangle {
            radius: Theme.radius / 2
            color: key.strong || key.lit ? Theme.primary : Theme.surface
            border.width: key.down || key.flashing ? 4 : (Theme.highContrast ? 2 : 1)
            border.color: key.down || key.flashing ? Theme.accent : Theme.border
            scale: key.down ? 0.96 : 1.0
        }
        SequentialAnimation {
            id: flash
            PropertyAction { target: key; property: "flashing"; value: true }
            PauseAnimation { duration: 350 }
            PropertyAction { target: key; property: "flashing"; value: false }
        }
        function refuse() { flash.restart() }
    }

    // A caption at the left of the vowel-form and tone rows, so they read as what they are.
    component RowCaption: Text {
        Layout.preferredWidth: keyboard.captionWidth
        Layout.preferredHeight: keyboard.keyHeight
        font.family: appFontFamily
        font.pixelSize: keyboard.captionSize + 2
        font.bold: true
        color: Theme.text
        wrapMode: Text.WordWrap
        verticalAlignment: Text.AlignVCenter
    }

    // Drawn, not typed: the bundled font has no arrow glyphs. Path in a 24 × 20 box.
    component ArrowIcon: Item {
        id: icon
        property bool up: false
        property color color: Theme.text
        width: keyboard.labelSize * 1.2
        height: keyboard.labelSize
        Shape {
            width: 24
            height: 20
            anchors.centerIn: parent
            scale: icon.width / 24
            preferredRendererType: Shape.CurveRenderer
            ShapePath {
                strokeColor: icon.color
                strokeWidth: 2
                fillColor: "transparent"
                joinStyle: ShapePath.RoundJoin
                capStyle: ShapePath.RoundCap
                PathSvg {
                    path: icon.up
                          ? "M 1 11 L 12 1 L 23 11 L 17 11 L 17 19 L 7 19 L 7 11 Z"
                          : "M 1 10 L 8 2 L 23 2 L 23 18 L 8 18 Z M 12 6 L 19 14 M 19 6 L 12 14"
                }
            }
        }
    }

    Connections {
        target: keyboard.composer
        function onRejected(kind) { if (kind === "tone") toneRow.refuseAll() }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: keyboard.padding
        spacing: keyboard.spacing

        // Suggestions: whole words or phrases with their diacritics for what is being typed
        // (matched without diacritics); a tap replaces the typed words and adds a space.
        RowLayout {
            objectName: "suggestionRow"
            spacing: keyboard.spacing
            Layout.preferredWidth: keyboard.widthOf(10)
            Layout.preferredHeight: keyboard.chipHeight
            Layout.alignment: Qt.AlignHCenter
            Repeater {
                model: keyboard.chipCount
                delegate: Button {
                    id: chip
                    required property int index
                    readonly property var chips: keyboard.composer ? keyboard.composer.suggestions : []
                    objectName: "suggestion_" + index
                    visible: index < chips.length
                    text: visible ? chips[index] : ""
                    focusPolicy: Qt.NoFocus
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    Layout.preferredHeight: keyboard.chipHeight
                    Accessible.name: qsTr("Gợi ý: %1").arg(text)
                    onClicked: keyboard.composer.acceptSuggestion(index)
                    contentItem: Text {
                        text: chip.text
                        font.family: appFontFamily
                        font.pixelSize: Math.round(keyboard.labelSize * 1.05)
                        font.bold: true
                        color: Theme.text
                        horizontalAlignment: Text.AlignHCenter
                        verticalAlignment: Text.AlignVCenter
                        elide: Text.ElideRight
                    }
                    background: Rectangle {
                        radius: keyboard.chipHeight / 2
                        color: Theme.surface
                        border.width: chip.down ? 4 : 2
                        border.color: chip.down ? Theme.accent : Theme.primary
                    }
                }
            }
            Text {
                objectName: "suggestionHint"
                visible: !keyboard.composer || keyboard.composer.suggestions.length === 0
                Layout.fillWidth: true
                text: qsTr("Gõ chữ không dấu cũng được: gợi ý có dấu sẽ hiện ở đây.")
                font.family: appFontFamily
                font.pixelSize: keyboard.captionSize + 2
                color: Theme.muted
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                elide: Text.ElideRight
            }
        }

        // Vowel forms: each key turns the matching letter of the word being typed
        // (or types itself when there is none).
        RowLayout {
            objectName: "markRow"
            spacing: keyboard.spacing
            Layout.alignment: Qt.AlignHCenter
            RowCaption { text: qsTr("Chữ có dấu") }
            Repeater {
                model: [["ă", "aw"], ["â", "aa"], ["ê", "ee"], ["ô", "oo"], ["ơ", "ow"],
                        ["ư", "uw"], ["đ", "dd"]]
                delegate: KeyCap {
                    required property var modelData
                    objectName: "key_mark_" + modelData[1]
                    keyWidth: keyboard.sharedWidth(7)
                    text: keyboard.cased(modelData[0])
                    onClicked: keyboard.composer.pressMark(modelData[0])
                }
            }
        }

        // Tones: placed on the right vowel of the word by Vietnamese spelling rules;
        // the same tone again takes it off.
        RowLayout {
            id: toneRow
            objectName: "toneRow"
            spacing: keyboard.spacing
            Layout.alignment: Qt.AlignHCenter
            function refuseAll() {
                for (let i = 0; i < toneKeys.count; ++i)
                    toneKeys.itemAt(i).refuse()
            }
            RowCaption { text: qsTr("Dấu thanh"); Layout.preferredHeight: keyboard.toneKeyHeight }
            Repeater {
                id: toneKeys
                model: [["sac", "á", qsTr("sắc")], ["huyen", "à", qsTr("huyền")],
                        ["hoi", "ả", qsTr("hỏi")], ["nga", "ã", qsTr("ngã")],
                        ["nang", "ạ", qsTr("nặng")], ["none", "a", qsTr("bỏ dấu")]]
                delegate: KeyCap {
                    required property var modelData
                    objectName: "key_tone_" + modelData[0]
                    keyWidth: keyboard.sharedWidth(6)
                    keyHeight: keyboard.toneKeyHeight
                    text: modelData[1]
                    caption: modelData[2]
                    onClicked: keyboard.composer.pressTone(modelData[0])
                }
            }
        }

        // The two rows above are what a phone keyboard does not have: set them apart.
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 2
            color: Theme.border
        }

        Repeater {
            model: keyboard.symbols
                   ? [["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"],
                      ["-", "/", ":", ";", "(", ")", "\"", "'", "?", "!"]]
                   : [["q", "w", "e", "r", "t", "y", "u", "i", "o", "p"],
                      ["a", "s", "d", "f", "g", "h", "j", "k", "l"]]
            delegate: RowLayout {
                required property var modelData
                spacing: keyboard.spacing
                Layout.alignment: Qt.AlignHCenter
                Repeater {
                    model: parent.modelData
                    delegate: KeyCap {
                        required property string modelData
                        objectName: "key_" + modelData
                        text: keyboard.cased(modelData)
                        onClicked: keyboard.composer.pressKey(modelData)
                    }
                }
            }
        }

        RowLayout {
            spacing: keyboard.spacing
            Layout.alignment: Qt.AlignHCenter
            KeyCap {
                objectName: "key_shift"
                units: 1.5
                text: ""
                lit: keyboard.composer !== null && keyboard.composer.shift
                caption: keyboard.composer && keyboard.composer.shift ? qsTr("CHỮ HOA") : qsTr("Chữ hoa")
                Accessible.name: qsTr("Chữ hoa")
                onClicked: keyboard.composer.shift = !keyboard.composer.shift
                glyph: "shift"
            }
            Repeater {
                model: keyboard.symbols ? ["@", "&", "+", "=", "#", "%", "*"]
                                        : ["z", "x", "c", "v", "b", "n", "m"]
                delegate: KeyCap {
                    required property string modelData
                    objectName: "key_" + modelData
                    text: keyboard.cased(modelData)
                    onClicked: keyboard.composer.pressKey(modelData)
                }
            }
            KeyCap {
                objectName: "key_backspace"
                units: 1.5
                text: ""
                caption: qsTr("Xoá")
                Accessible.name: qsTr("Xoá chữ trước")
                autoRepeat: true
                onClicked: keyboard.composer.backspace()
                glyph: "backspace"
            }
        }

        RowLayout {
            spacing: keyboard.spacing
            Layout.alignment: Qt.AlignHCenter
            KeyCap {
                objectName: "key_symbols"
                units: 1.5
                text: keyboard.symbols ? "ABC" : "123"
                caption: keyboard.symbols ? qsTr("chữ") : qsTr("số")
                onClicked: keyboard.symbols = !keyboard.symbols
            }
            KeyCap {
                objectName: "key_comma"
                text: ","
                onClicked: keyboard.composer.pressKey(",")
            }
            KeyCap {
                objectName: "key_space"
                units: 5
                text: ""
                caption: qsTr("dấu cách")
                Accessible.name: qsTr("Dấu cách")
                onClicked: keyboard.composer.pressKey(" ")
            }
            KeyCap {
                objectName: "key_period"
                text: "."
                onClicked: keyboard.composer.pressKey(".")
            }
            KeyCap {
                objectName: "key_done"
                units: 1.5
                strong: true
                text: qsTr("Xong")
                onClicked: keyboard.done()
            }
        }
    }
}
