import DroverAPI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// RFC 3339 timestamps for logs.
enum DroverTimestamp {
    static func format(_ date: Date) -> String { RFC3339.format(date) }
}
