extension JSONReader {
    /// Reads an object, handing each key to `member`, which must read or skip the value that follows it.
    ///
    /// An error thrown by `member` is located under the key (`window.start`), so a reader is a short `switch` over
    /// its field names (`case "start": start = try r.readDate()`, `default: try r.skipValue()`). A duplicate key is
    /// skipped (the first one wins, as with JSONDecoder) unless `options.deliversDuplicateKeys`.
    @inline(__always)
    public mutating func readObject(
        expected: String = "an object", _ member: (Key, inout JSONReader) throws(JSONReadError) -> Void
    ) throws(JSONReadError) {
        let start = offset
        var cursor = try beginObject(expected: expected)
        if options.deliversDuplicateKeys {
            while let key = try nextKey(in: &cursor) {
                do throws(JSONReadError) { try member(key, &self) } catch { throw error.at(key: key.string) }
            }
            return
        }
        // The keys read so far (the first `Self.keptKeys` of them, on the stack) behind a 64-bit filter: only a
        // filter hit compares keys, and only an object of more keys than that rescans itself.
        let result: Result<Void, JSONReadError> = withUnsafeTemporaryAllocation(
            of: Key.self, capacity: Self.keptKeys
        ) { kept in
            var count = 0
            var filter: UInt64 = 0
            var anyEscaped = false
            do throws(JSONReadError) {
                while let key = try nextKey(in: &cursor) {
                    let bit: UInt64 = 1 << (key.filterHash & 63)
                    anyEscaped = anyEscaped || key.escaped
                    if filter & bit != 0 || anyEscaped {
                        var repeated = false
                        for i in 0..<min(count, Self.keptKeys) where kept[i].isSameKey(as: key) {
                            repeated = true
                            break
                        }
                        if !repeated, count > Self.keptKeys { repeated = isRepeated(key, inObjectAt: start) }
                        if repeated {
                            try skipValue()
                            continue
                        }
                    }
                    filter |= bit
                    if count < Self.keptKeys { kept.initializeElement(at: count, to: key) }
                    count += 1
                    do throws(JSONReadError) { try member(key, &self) } catch { throw error.at(key: key.string) }
                }
            } catch {
                return .failure(error)
            }
            return .success(())
        }
        try result.get()
    }

    /// How many keys of an object `readObject` keeps for its duplicate check without rescanning the object.
    private static var keptKeys: Int { 32 }

    /// Whether `key` already occurred before it in the object that starts at `objectStart` (compared as decoded
    /// strings, as JSONDecoder compares keys).
    private func isRepeated(_ key: Key, inObjectAt objectStart: Int) -> Bool {
        var scan = rewound(to: objectStart)
        do throws(JSONReadError) {
            var cursor = try scan.beginObject()
            while let earlier = try scan.nextKey(in: &cursor), earlier.start < key.start {
                if earlier.isSameKey(as: key) { return true }
                try scan.skipValue()
            }
        } catch {
            assertionFailure("a rescan of keys already read failed: \(error)")
        }
        return false
    }
}

extension JSONReader.Key {
    /// Whether this key pattern-matches a string literal, so a `switch` over keys can list field names.
    @inline(__always)
    public static func ~= (pattern: StaticString, key: JSONReader.Key) -> Bool {
        key == pattern
    }
}
