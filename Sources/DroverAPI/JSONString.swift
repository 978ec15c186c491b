/// JSON string literals for hand-written JSON text (log lines, reports, small bodies), without Foundation.
///
/// Escapes `"` and `\`, writes `\n`, `\r` and `\t` by name and other control characters below U+0020 as `\u00XX`;
/// everything else (including non-ASCII) is copied unchanged, which RFC 8259 allows.
public enum JSONString {
    /// The JSON string literal for `text`, quotes included: `a"b` → `"a\"b"`.
    public static func quoted(_ text: String) -> String {
        var out = ""
        write(text, to: &out)
        return out
    }

    /// The escaped characters of `text` without the surrounding quotes.
    public static func escape(_ text: String) -> String {
        var out = ""
        appendEscaped(text, to: &out)
        return out
    }

    /// Appends the JSON string literal for `text`, quotes included, to `out`.
    public static func write(_ text: String, to out: inout String) {
        out.unicodeScalars.append("\"")
        appendEscaped(text, to: &out)
        out.unicodeScalars.append("\"")
    }

    /// Appends the escaped characters of `text` (no quotes) to `out`.
    public static func appendEscaped(_ text: String, to out: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00"
                    out.unicodeScalars.append(hexDigits[Int(scalar.value >> 4)])
                    out.unicodeScalars.append(hexDigits[Int(scalar.value & 0xF)])
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }

    private static let hexDigits: [Unicode.Scalar] = Array("0123456789abcdef".unicodeScalars)
}
