import DroverAPI
import Foundation
import Testing

/// Reads a golden JSON document from `Fixtures/`.
func fixtureBytes(_ name: String) throws -> [UInt8] {
    let url = try #require(
        Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
        "fixture \(name).json is missing from Tests/DroverAPITests/Fixtures")
    return Array(try Data(contentsOf: url))
}

/// Parses JSON into Foundation objects for structural comparison.
func jsonTree(_ bytes: [UInt8]) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
}

/// Lists every path where `original` has a value that `encoded` lacks or changes (ignores keys only in `encoded`).
func missingOrChanged(_ original: Any, _ encoded: Any, path: String = "$") -> [String] {
    switch (original, encoded) {
    case (let a as [String: Any], let b as [String: Any]):
        return a.keys.sorted().flatMap { key -> [String] in
            guard let value = b[key] else { return ["\(path).\(key) (missing)"] }
            return missingOrChanged(a[key]!, value, path: "\(path).\(key)")
        }
    case (let a as [Any], let b as [Any]):
        guard a.count == b.count else { return ["\(path) (array length \(a.count) -> \(b.count))"] }
        return zip(a, b).enumerated().flatMap { index, pair in
            missingOrChanged(pair.0, pair.1, path: "\(path)[\(index)]")
        }
    case (let a as NSNumber, let b as NSNumber):
        return a.doubleValue == b.doubleValue ? [] : ["\(path) (\(a) -> \(b))"]
    case (let a as String, let b as String):
        return a == b ? [] : ["\(path) (\"\(a)\" -> \"\(b)\")"]
    case (is NSNull, is NSNull):
        return []
    default:
        return ["\(path) (type changed: \(type(of: original)) -> \(type(of: encoded)))"]
    }
}

/// Encodes with Drover's encoder and decodes back.
func roundTrip<T: Codable>(_ value: T) throws -> T {
    try DroverJSON.decode(T.self, from: DroverJSON.encode(value))
}
