/// When tumbling windows close, as a pure value: at a fixed length, or early after `maxEvents` events.
public struct WindowSchedule<Instant: InstantProtocol & Sendable>: Sendable where Instant.Duration == Duration {
    /// Window length.
    public var length: Duration
    /// Early close after this many events (0: time only).
    public var maxEvents: Int
    /// The open window's start.
    public private(set) var start: Instant
    /// Events in the open window.
    public private(set) var events = 0

    /// Opens the first window at `start`.
    public init(length: Duration, maxEvents: Int = 0, start: Instant) {
        self.length = length
        self.maxEvents = maxEvents
        self.start = start
    }

    /// The deadline of the open window.
    public var deadline: Instant { start.advanced(by: length) }

    /// Counts one event; true when the window is now full and must close.
    public mutating func recordEvent() -> Bool {
        events += 1
        return maxEvents > 0 && events >= maxEvents
    }

    /// True when the window is due at `now` (its deadline passed or it is full).
    public func isDue(at now: Instant) -> Bool {
        now >= deadline || (maxEvents > 0 && events >= maxEvents)
    }

    /// Closes the open window at `now` and opens the next; returns the closed window's bounds.
    ///
    /// A time-closed window keeps the grid (`start + k * length`); a count-closed one starts the next at `now`.
    public mutating func close(at now: Instant) -> (start: Instant, end: Instant) {
        let closedStart = start
        if now >= deadline {
            var next = deadline
            while next.advanced(by: length) <= now { next = next.advanced(by: length) }
            start = next
        } else {
            start = now
        }
        events = 0
        return (closedStart, now)
    }
}
