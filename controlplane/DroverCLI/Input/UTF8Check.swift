/// Finds the first byte that breaks UTF-8 well-formedness (ASCII fast path, 8 bytes at a time).
enum UTF8Check {
    /// The offset of the first invalid byte, or nil when the whole buffer is valid UTF-8.
    static func firstInvalid(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = b.count
        var i = 0
        guard let base = b.baseAddress else { return nil }
        while i < n {
            if i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            let c = b[i]
            if c < 0x80 {
                i += 1
                continue
            }
            let need: Int
            var minimum: UInt32
            var scalar: UInt32
            switch c {
            case 0xC2...0xDF:
                need = 1
                minimum = 0x80
                scalar = UInt32(c & 0x1F)
            case 0xE0...0xEF:
                need = 2
                minimum = 0x800
                scalar = UInt32(c & 0x0F)
            case 0xF0...0xF4:
                need = 3
                minimum = 0x10000
                scalar = UInt32(c & 0x07)
            default:
                return i
            }
            guard i + need < n else { return i }
            for k in 1...need {
                let cc = b[i + k]
                guard cc & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(cc & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += need + 1
        }
        return nil
    }

    /// The 1-based line number of a byte offset.
    static func line(of offset: Int, in b: UnsafeBufferPointer<UInt8>) -> Int {
        var line = 1
        for i in 0..<min(offset, b.count) where b[i] == 0x0A { line += 1 }
        return line
    }
}
