/// A grouped bar chart as inline SVG: one group per category, one bar per series, values
/// written above the bars.
public struct SVGBarChart: Sendable {
    /// Chart title.
    public var title: String
    /// Y axis title.
    public var yTitle: String
    /// Category names (groups), left to right.
    public var categories: [String]
    /// Series names and their values per category.
    public var series: [(name: String, values: [Double])]

    /// Creates a chart.
    public init(title: String, yTitle: String, categories: [String], series: [(name: String, values: [Double])]) {
        self.title = title
        self.yTitle = yTitle
        self.categories = categories
        self.series = series
    }

    /// The chart as an `<svg>` element.
    public func render() -> String {
        let e = HTMLPage.escape
        func f(_ v: Double) -> String { TextFormat.decimal(v, 1) }
        let width = 520.0, height = 320.0, left = 70.0, right = 20.0, top = 36.0, bottom = 70.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let maximum = max(1, series.flatMap(\.values).max() ?? 1)
        // Headroom above the tallest bar for its value.
        let ticks = SVGLineChart.linearTicks(0...maximum * 1.15)
        let high = max(maximum * 1.15, ticks.last ?? maximum)
        func py(_ v: Double) -> Double { top + plotHeight - v / high * plotHeight }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(e(title))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        svg += "<title>\(e(title))</title>\n"
        svg += "<text x=\"\(f(width / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">\(e(title))</text>\n"
        for tick in ticks {
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(py(tick)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(py(tick)))\" stroke=\"#eaeef2\"/>\n"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py(tick) + 4))\" text-anchor=\"end\">\(TextFormat.decimal(tick, 2))</text>\n"
        }
        svg += "<text transform=\"translate(16 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(e(yTitle))</text>\n"
        let group = plotWidth / Double(max(1, categories.count))
        let bar = group * 0.8 / Double(max(1, series.count))
        for (c, category) in categories.enumerated() {
            let x0 = left + Double(c) * group + group * 0.1
            for (s, line) in series.enumerated() {
                let value = c < line.values.count ? line.values[c] : 0
                let x = x0 + Double(s) * bar
                svg += "<rect x=\"\(f(x))\" y=\"\(f(py(value)))\" width=\"\(f(bar - 2))\" height=\"\(f(top + plotHeight - py(value)))\" fill=\"\(SVGLineChart.palette[s % SVGLineChart.palette.count])\"/>\n"
                svg += "<text x=\"\(f(x + bar / 2 - 1))\" y=\"\(f(py(value) - 4))\" text-anchor=\"middle\" font-size=\"11\">\(TextFormat.decimal(value, 1))</text>\n"
            }
            svg += "<text x=\"\(f(left + Double(c) * group + group / 2))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(e(category))</text>\n"
        }
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(top + plotHeight))\" stroke=\"#57606a\"/>\n"
        for (s, line) in series.enumerated() {
            let x = left + Double(s) * 150
            let y = height - 22
            svg += "<rect x=\"\(f(x))\" y=\"\(f(y - 8))\" width=\"14\" height=\"14\" fill=\"\(SVGLineChart.palette[s % SVGLineChart.palette.count])\"/>\n"
            svg += "<text x=\"\(f(x + 20))\" y=\"\(f(y + 4))\">\(e(line.name))</text>\n"
        }
        return svg + "</svg>"
    }
}
