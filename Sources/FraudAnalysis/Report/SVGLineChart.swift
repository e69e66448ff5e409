#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A line chart as inline SVG: axes with ticks and titles, one polyline per series, a
/// legend, and optional reference lines and marked points. No script, no external font.
public struct SVGLineChart: Sendable {
    /// A named line.
    public struct Series: Sendable {
        /// Legend text.
        public var name: String
        /// Points (x, y), drawn in the given order.
        public var points: [(x: Double, y: Double)]
        /// Creates a series.
        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// A marked point with a label (e.g. the recommended threshold).
    public struct Marker: Sendable {
        /// Where.
        public var x: Double
        /// Where.
        public var y: Double
        /// Text next to it; empty for none (e.g. when several markers would overlap and the
        /// legend says what they are).
        public var label: String
        /// Index of the series whose colour it takes.
        public var series: Int
        /// Creates a marker.
        public init(x: Double, y: Double, label: String, series: Int = 0) {
            self.x = x
            self.y = y
            self.label = label
            self.series = series
        }
    }

    /// Chart title.
    public var title: String
    /// X axis title.
    public var xTitle: String
    /// Y axis title.
    public var yTitle: String
    /// X range.
    public var xRange: ClosedRange<Double>
    /// Y range (for a logarithmic axis, positive; points at or below 0 are left out).
    public var yRange: ClosedRange<Double>
    /// Whether the y axis is logarithmic (base 10).
    public var logarithmicY = false
    /// The lines.
    public var series: [Series] = []
    /// Marked points.
    public var markers: [Marker] = []
    /// Dashed horizontal lines at these y values, with labels.
    public var horizontalLines: [(y: Double, label: String)] = []
    /// Dashed vertical lines at these x values, with labels.
    public var verticalLines: [(x: Double, label: String)] = []

    /// Series colours (colour-blind friendly palette), reused in turn.
    public static let palette = ["#1c7ed6", "#e8590c", "#2b8a3e", "#ae3ec9", "#c92a2a", "#0c8599", "#5c940d", "#862e9c"]

    let width = 520.0
    let height = 360.0
    let left = 70.0
    let right = 20.0
    let top = 36.0
    let bottom = 52.0

    /// Creates an empty chart.
    public init(title: String, xTitle: String, yTitle: String, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, logarithmicY: Bool = false) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.xRange = xRange
        self.yRange = yRange
        self.logarithmicY = logarithmicY
    }

    private var plotWidth: Double { width - left - right }
    private var plotHeight: Double { height - top - bottom }

    private func px(_ x: Double) -> Double {
        let span = xRange.upperBound - xRange.lowerBound
        return left + (span > 0 ? (x - xRange.lowerBound) / span : 0) * plotWidth
    }

    private func py(_ y: Double) -> Double {
        let low = logarithmicY ? log10(yRange.lowerBound) : yRange.lowerBound
        let high = logarithmicY ? log10(yRange.upperBound) : yRange.upperBound
        let value = logarithmicY ? log10(y) : y
        let span = high - low
        return top + plotHeight - (span > 0 ? (value - low) / span : 0) * plotHeight
    }

    private func visible(_ y: Double) -> Bool { !logarithmicY || y > 0 }

    private static func number(_ value: Double) -> String { TextFormat.decimal(value, 2) }

    /// Round tick values covering `range`: steps of 1, 2 or 5 × 10ⁿ, about `count` of them.
    static func linearTicks(_ range: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0 else { return [range.lowerBound] }
        let raw = span / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var value = ceil(range.lowerBound / step) * step
        while value <= range.upperBound + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    /// Powers of ten within `range`.
    static func logTicks(_ range: ClosedRange<Double>) -> [Double] {
        let low = Int(floor(log10(range.lowerBound)))
        let high = Int(ceil(log10(range.upperBound)))
        return (low...high).map { pow(10, Double($0)) }.filter { range.contains($0) }
    }

    /// The chart as an `<svg>` element.
    public func render() -> String {
        let e = HTMLPage.escape
        func f(_ v: Double) -> String { TextFormat.decimal(v, 1) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height + 22 * Double((series.count + 1) / 2)))\" viewBox=\"0 0 \(Int(width)) \(Int(height + 22 * Double((series.count + 1) / 2)))\" role=\"img\" aria-label=\"\(e(title))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        svg += "<title>\(e(title))</title>\n"
        svg += "<text x=\"\(f(width / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">\(e(title))</text>\n"
        // Grid and ticks.
        for tick in Self.linearTicks(xRange) {
            let x = px(tick)
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(top + plotHeight))\" stroke=\"#eaeef2\"/>\n"
            svg += "<text x=\"\(f(x))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(Self.number(tick))</text>\n"
        }
        for tick in logarithmicY ? Self.logTicks(yRange) : Self.linearTicks(yRange) {
            let y = py(tick)
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#eaeef2\"/>\n"
            let label = logarithmicY
                ? (tick >= 1 ? TextFormat.count(Int(tick)) : TextFormat.decimal(tick, Int(-log10(tick).rounded())))
                : Self.number(tick)
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(label)</text>\n"
        }
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#57606a\"/>\n"
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(top + plotHeight + 36))\" text-anchor=\"middle\">\(e(xTitle))</text>\n"
        svg += "<text transform=\"translate(16 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(e(yTitle))</text>\n"
        // Reference lines.
        for line in horizontalLines where yRange.contains(line.y) && visible(line.y) {
            let y = py(line.y)
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#c92a2a\" stroke-dasharray=\"6 4\"/>\n"
            svg += "<text x=\"\(f(left + plotWidth - 4))\" y=\"\(f(y - 5))\" text-anchor=\"end\" fill=\"#c92a2a\">\(e(line.label))</text>\n"
        }
        for line in verticalLines where xRange.contains(line.x) {
            let x = px(line.x)
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(top + plotHeight))\" stroke=\"#495057\" stroke-dasharray=\"4 4\"/>\n"
            svg += "<text x=\"\(f(x + 4))\" y=\"\(f(top + 14))\" fill=\"#495057\">\(e(line.label))</text>\n"
        }
        // Lines.
        svg += "<g fill=\"none\" stroke-width=\"2\" clip-path=\"none\">\n"
        for (index, line) in series.enumerated() {
            let points = line.points.filter { visible($0.y) && yRange.contains($0.y) && xRange.contains($0.x) }
            guard !points.isEmpty else { continue }
            let colour = Self.palette[index % Self.palette.count]
            svg += "<polyline stroke=\"\(colour)\" points=\"" + points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ") + "\"/>\n"
        }
        svg += "</g>\n"
        for marker in markers where visible(marker.y) && yRange.contains(marker.y) && xRange.contains(marker.x) {
            let colour = Self.palette[marker.series % Self.palette.count]
            let x = px(marker.x)
            let y = py(marker.y)
            let anchor = x > left + plotWidth * 0.6 ? "end" : "start"
            let dx = anchor == "end" ? -8.0 : 8.0
            svg += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"5\" fill=\"\(colour)\" stroke=\"#fff\" stroke-width=\"1.5\"/>\n"
            guard !marker.label.isEmpty else { continue }
            svg += "<text x=\"\(f(x + dx))\" y=\"\(f(y - 8))\" text-anchor=\"\(anchor)\" font-weight=\"bold\">\(e(marker.label))</text>\n"
        }
        // Legend, two entries per line, under the axis title.
        for (index, line) in series.enumerated() {
            let column = Double(index % 2)
            let row = Double(index / 2)
            let x = left + column * plotWidth / 2
            let y = height + 4 + row * 22
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 24))\" y2=\"\(f(y))\" stroke=\"\(Self.palette[index % Self.palette.count])\" stroke-width=\"3\"/>\n"
            svg += "<text x=\"\(f(x + 30))\" y=\"\(f(y + 4))\">\(e(line.name))</text>\n"
        }
        svg += "</svg>"
        return svg
    }
}
