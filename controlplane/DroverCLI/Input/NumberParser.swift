/// Parses decimal numbers straight from bytes: `[+-]digits[.digits][(e|E)[+-]digits]`, spaces around allowed.
///
/// Up to 15 significant digits with a power of ten within ±22 take the exact fast path (one correctly rounded
/// multiply or divide, Clinger 1990); anything else valid falls back to the standard library's correctly
/// rounded conversion. Results equal `Double(String)` for every input the grammar accepts; `nan`, `inf`
/// and hex floats are not numbers here.
enum NumberParser {
    private static let powers: [Double] = (0...22).map { p in
        var x = 1.0
        for _ in 0..<p { x *= 10 }
        return x
    }

    /// The finite value of the text, or nil when it is not a decimal number.
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        var end = b.count
        while i < end && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
        while end > i && (b[end - 1] == 0x20 || b[end - 1] == 0x09) { end -= 1 }
        guard i < end else { return nil }
        let begin = i
        var negative = false
        if b[i] == 0x2D || b[i] == 0x2B {
            negative = b[i] == 0x2D
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var digits = 0
        var exponent = 0
        var dropped = false
        while i < end, b[i] &- 0x30 < 10 {
            let d = UInt64(b[i] &- 0x30)
            digits += 1
            if mantissa == 0 && d == 0 {
                // leading zero
            } else if significant < 19 {
                mantissa = mantissa * 10 + d
                significant += 1
            } else {
                exponent += 1
                if d != 0 { dropped = true }
            }
            i += 1
        }
        if i < end && b[i] == 0x2E {
            i += 1
            while i < end, b[i] &- 0x30 < 10 {
                let d = UInt64(b[i] &- 0x30)
                digits += 1
                if mantissa == 0 && d == 0 {
                    exponent -= 1
                } else if significant < 19 {
                    mantissa = mantissa * 10 + d
                    significant += 1
                    exponent -= 1
                } else if d != 0 {
                    dropped = true
                }
                i += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < end && (b[i] == 0x65 || b[i] == 0x45) {
            i += 1
            var expNegative = false
            if i < end && (b[i] == 0x2D || b[i] == 0x2B) {
                expNegative = b[i] == 0x2D
                i += 1
            }
            var e = 0
            var expDigits = 0
            while i < end, b[i] &- 0x30 < 10 {
                if e < 100_000 { e = e * 10 + Int(b[i] &- 0x30) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == end else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if !dropped && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
            let m = Double(mantissa)
            let v = exponent >= 0 ? m * powers[exponent] : m / powers[-exponent]
            return negative ? -v : v
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[begin..<end]), as: UTF8.self)
        guard let v = Double(text), v.isFinite else { return nil }
        return v
    }

    /// Parses a string (convenience for tests).
    static func parse(_ s: String) -> Double? {
        var s = s
        return s.withUTF8 { parse($0) }
    }
}
