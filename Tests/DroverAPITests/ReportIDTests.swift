import DroverAPI
import Foundation
import Testing

@Suite("Report ids (ULID)")
struct ReportIDTests {
    @Test("Ids are 26 Crockford base32 characters carrying the millisecond timestamp")
    func shape() throws {
        let date = Date(timeIntervalSince1970: 1_795_924_800.123)
        // A generator of its own: the process-wide one is monotonic, and other tests in this process may already
        // have drawn ids for later (fixed, future) dates.
        let id = ReportIDGenerator().next(at: date)
        #expect(id.utf8.count == 26)
        #expect(id.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
        #expect(ReportID.isValid(id))
        let stamp = try #require(ReportID.timestamp(of: id))
        #expect(abs(stamp.timeIntervalSince1970 - 1_795_924_800.123) < 0.0005)
        #expect(Check.validationError(id) == nil)
    }

    @Test(
        "Malformed ids are recognised",
        arguments: [
            "", "01JDX3K9Q4W8Z6M2T0B7C5N1R", "01JDX3K9Q4W8Z6M2T0B7C5N1RVV",
            "01JDX3K9Q4W8Z6M2T0B7C5N1RI", "81JDX3K9Q4W8Z6M2T0B7C5N1RV", "01jdx3k9q4w8z6m2t0b7c5n1rv",
        ])
    func malformed(_ text: String) {
        #expect(!ReportID.isValid(text))
        #expect(ReportID.timestamp(of: text) == nil)
    }

    @Test("The DESIGN.md example id is a valid ULID")
    func designExample() {
        #expect(ReportID.isValid("01JDX3K9Q4W8Z6M2T0B7C5N1RV"))
    }

    @Test("Encoding places the timestamp first and the random bits last")
    func encoding() {
        #expect(ReportID.encode(milliseconds: 0, random: 0) == String(repeating: "0", count: 26))
        #expect(
            ReportID.encode(milliseconds: 0xFFFF_FFFF_FFFF, random: (UInt128(1) << 80) - 1) == "7"
                + String(repeating: "Z", count: 25))
        #expect(ReportID.encode(milliseconds: 1, random: 0) == "0000000001" + String(repeating: "0", count: 16))
    }

    @Test("Ids from one generator are unique and strictly increasing, even within one millisecond")
    func monotonic() {
        let generator = ReportIDGenerator()
        let date = Date(timeIntervalSince1970: 1_795_924_800)
        var previous = ""
        var seen = Set<String>()
        for i in 0..<10_000 {
            // 10 ids per millisecond, then time goes backwards once: order must hold regardless.
            let at = i == 5_000 ? date : date.addingTimeInterval(Double(i / 10) / 1000)
            let id = generator.next(at: at)
            #expect(id > previous, "id \(i) \(id) is not above \(previous)")
            #expect(seen.insert(id).inserted)
            previous = id
        }
    }

    @Test("Ids generated concurrently are all distinct")
    func concurrentUniqueness() async {
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { (0..<2_000).map { _ in ReportID.generate() } } }
            var all: [String] = []
            for await chunk in group { all += chunk }
            return all
        }
        #expect(Set(ids).count == ids.count)
    }

    @Test("Ids for later milliseconds sort after earlier ones")
    func timeOrdering() {
        let generator = ReportIDGenerator()
        var rng = SystemRandomNumberGenerator()
        let early = generator.next(milliseconds: 1_000, using: &rng)
        let late = generator.next(milliseconds: 1_001, using: &rng)
        #expect(early < late)
        #expect(early.prefix(10) < late.prefix(10))
    }
}

extension Check {
    /// The error `Check.id` throws for `value`, or nil.
    static func validationError(_ value: String) -> ValidationError? {
        do { try Check.id(value, "id") } catch { return error }
        return nil
    }
}
