/// Parses decimal numbers straight from bytes: `[+-]digits[.digits][(e|E)[+-]digits]`, spaces around allowed.
///
/// Up to 15 significant digits with a power of ten within ±22 take the exact fast path (one correctly rounded
/// multiply or divide, Clinger 1990); anything else valid falls back to the standard library's correctly
/// rounded conversion. Results equal `Double(String)` for every input the grammar accepts; `nan`, `inf`
/// and hex floats are not numbers here.
enum NumberParser {
    /// 10^p for 0 ≤ p ≤ 22, all exactly representable (a switch compiles to a constant table, no lazy global).
    @inline(__always)
    private static func power(_ p: Int) -> Double {
        switch p {
        case 0: return 1
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// The finite value of the text, or nil when it is not a decimal number.
    @inline(__always)
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        var end = b.count
        guard end > 0 else { return nil }
        let first = b[0]
        // Fail fast on text: a number starts with a digit, a sign, a dot or a space.
        if first &- 0x30 >= 10 && first != 0x2D && first != 0x2B && first != 0x2E && first != 0x20 && first != 0x09 {
            return nil
        }
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
                mantissa = mantissa &* 10 &+ d
                significant &+= 1
            } else {
                exponent &+= 1
                if d != 0 { dropped = true }
            }
            i &+= 1
        }
        if i < end && b[i] == 0x2E {
            i += 1
            while i < end, b[i] &- 0x30 < 10 {
                let d = UInt64(b[i] &- 0x30)
                digits &+= 1
                if mantissa == 0 && d == 0 {
                    exponent &-= 1
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ d
                    significant &+= 1
                    exponent &-= 1
                } else if d != 0 {
                    dropped = true
                }
                i &+= 1
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
            let m = Double(Int64(bitPattern: mantissa))
            let v = exponent >= 0 ? m * power(exponent) : m / power(-exponent)
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
