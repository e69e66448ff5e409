import Foundation

/// Progress of a long run on standard error: on a terminal a bar redrawn in place with the
/// rate and the time left; otherwise (a log, CI) a plain line every few seconds.
///
/// Progress is measured in bytes of input consumed (`consumed` of `total`), the rate in
/// items (`unit`) per second; the estimate of the time left assumes the rate holds.
final class ProgressPrinter: @unchecked Sendable {
    private let clock = ContinuousClock()
    private let began: ContinuousClock.Instant
    private var last: ContinuousClock.Instant
    private let isTerminal: Bool
    private let command: String
    private let unit: String

    /// - Parameters:
    ///   - command: prefix of the plain lines, e.g. `replay`.
    ///   - unit: what is counted, e.g. `tx`.
    ///   - isTerminal: whether standard error is a terminal (default: asks it).
    init(command: String, unit: String, isTerminal: Bool = isatty(2) == 1) {
        self.command = command
        self.unit = unit
        self.isTerminal = isTerminal
        began = clock.now
        last = clock.now
    }

    /// Reports `done` items and `consumed` of `total` bytes (total 0: unknown); prints at most
    /// five times a second on a terminal, every three seconds otherwise, and once at the end.
    func report(done: Int, consumed: Int, total: Int) {
        let now = clock.now
        let finished = total > 0 && consumed >= total
        guard finished || now - last >= (isTerminal ? .milliseconds(200) : .seconds(3)) else { return }
        last = now
        if let line = Self.line(
            done: done, consumed: consumed, total: total, seconds: (now - began).seconds, unit: unit,
            bar: isTerminal)
        {
            if isTerminal {
                var bytes = Array(("\r" + line + (finished ? "\n" : "")).utf8)
                bytes.withUnsafeMutableBytes { _ = write(2, $0.baseAddress, $0.count) }
            } else if !finished {
                GenerateCommand.printError("\(command): \(line)")
            }
        }
    }

    /// The text of one report: `[#####.....] 50%  1000 tx  500 tx/s  ETA 0:02`, or without
    /// the bar `1000 tx (50%), 500 tx/s, ETA 0:02`.
    static func line(done: Int, consumed: Int, total: Int, seconds: Double, unit: String, bar: Bool) -> String? {
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let fraction = total > 0 ? min(1, Double(consumed) / Double(total)) : 0
        var eta = "?"
        if fraction > 0, seconds > 0 {
            let left = Int((seconds / fraction - seconds).rounded())
            eta = left >= 3600 ? "\(left / 3600):" + twoDigits((left / 60) % 60) + ":" + twoDigits(left % 60) : "\(left / 60):" + twoDigits(left % 60)
        }
        let percent = Int(fraction * 100)
        if bar {
            let width = 30
            let filled = Int(fraction * Double(width))
            let drawn = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            return "[\(drawn)] \(percent)%  \(done) \(unit)  \(Int(rate)) \(unit)/s  ETA \(eta)"
        }
        return "\(done) \(unit) (\(percent)%), \(Int(rate)) \(unit)/s, ETA \(eta)"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
