import FraudModels

/// A simulated customer (one card): where they live, how much and how often they spend,
/// and the terminals they use.
public struct CustomerProfile: Hashable, Sendable {
    /// Customer number, from 0; the card id is `card-<index>`.
    public var index: Int
    /// Position on the grid.
    public var x: Double
    /// Position on the grid.
    public var y: Double
    /// Mean transaction amount, uniform in 5...100.
    public var meanAmount: Double
    /// Standard deviation of the amount: `meanAmount / 2`.
    public var amountStandardDeviation: Double
    /// Mean transactions per day (Poisson mean), uniform in 0...4.
    public var meanTransactionsPerDay: Double
    /// Terminals strictly within the radius, by increasing number. May be empty: such a
    /// customer never transacts, as in the handbook.
    public var terminals: [Int32]
}

/// A simulated terminal and the merchant it belongs to.
public struct TerminalProfile: Hashable, Sendable {
    /// Terminal number, from 0; the terminal id is `terminal-<index>`.
    public var index: Int
    /// Position on the grid.
    public var x: Double
    /// Position on the grid.
    public var y: Double
    /// Latitude of the grid position in the configured box, 5 decimals (about 1 m).
    public var latitude: Double
    /// Longitude of the grid position in the configured box, 5 decimals.
    public var longitude: Double
    /// Merchant number: `index / terminalsPerMerchant`; the id is `merchant-<merchant>`.
    public var merchant: Int
    /// ISO 18245 merchant category code, drawn per merchant.
    public var mcc: Int
    /// ISO 3166-1 alpha-2 country, drawn per merchant.
    public var country: String
    /// `card_present`, `ecommerce` or `atm`, drawn per merchant.
    public var channel: String
}

/// The static part of a simulation: customers, terminals and their ids.
///
/// Drawn from streams of its own (`DeterministicRandom.fork(seed:stream:)` with streams 1, 2
/// and 3), so the merchant attributes (mcc, country, channel) never shift the handbook's
/// draws: they decorate transactions without changing which ones are fraud.
public struct SimulatedWorld: Sendable {
    /// Customers, by number.
    public let customers: [CustomerProfile]
    /// Terminals, by number.
    public let terminals: [TerminalProfile]
    /// `card-<n>` for customer n.
    public let cardIDs: [String]
    /// `terminal-<n>` for terminal n.
    public let terminalIDs: [String]
    /// `merchant-<n / terminalsPerMerchant>` for terminal n.
    public let merchantIDs: [String]

    /// Draws the world for a configuration.
    public init(configuration c: SimulatorConfiguration) {
        // Terminals: position (stream 2), then merchant attributes (stream 3).
        var terminalRandom = DeterministicRandom.fork(seed: c.seed, stream: 2)
        var attributeRandom = DeterministicRandom.fork(seed: c.seed, stream: 3)
        let merchantCount = (c.terminals + c.terminalsPerMerchant - 1) / c.terminalsPerMerchant
        var merchantAttributes: [(mcc: Int, country: String, channel: String)] = []
        merchantAttributes.reserveCapacity(merchantCount)
        for _ in 0..<merchantCount {
            merchantAttributes.append(MerchantCatalogue.draw(&attributeRandom))
        }
        var terminals: [TerminalProfile] = []
        terminals.reserveCapacity(c.terminals)
        for index in 0..<c.terminals {
            let x = terminalRandom.nextDouble(in: 0, c.gridSize)
            let y = terminalRandom.nextDouble(in: 0, c.gridSize)
            let merchant = index / c.terminalsPerMerchant
            let attributes = merchantAttributes[merchant]
            terminals.append(
                TerminalProfile(
                    index: index, x: x, y: y,
                    latitude: Self.round5(c.latitudeRange.lowerBound + (c.latitudeRange.upperBound - c.latitudeRange.lowerBound) * y / c.gridSize),
                    longitude: Self.round5(c.longitudeRange.lowerBound + (c.longitudeRange.upperBound - c.longitudeRange.lowerBound) * x / c.gridSize),
                    merchant: merchant, mcc: attributes.mcc, country: attributes.country, channel: attributes.channel))
        }

        // Customers (stream 1), in the handbook's draw order: x, y, mean amount, tx/day.
        var customerRandom = DeterministicRandom.fork(seed: c.seed, stream: 1)
        let grid = TerminalGrid(terminals: terminals, gridSize: c.gridSize, radius: c.radius)
        var customers: [CustomerProfile] = []
        customers.reserveCapacity(c.customers)
        for index in 0..<c.customers {
            let x = customerRandom.nextDouble(in: 0, c.gridSize)
            let y = customerRandom.nextDouble(in: 0, c.gridSize)
            let mean = customerRandom.nextDouble(in: c.meanAmountRange.lowerBound, c.meanAmountRange.upperBound)
            let perDay = customerRandom.nextDouble(
                in: c.transactionsPerDayRange.lowerBound, c.transactionsPerDayRange.upperBound)
            customers.append(
                CustomerProfile(
                    index: index, x: x, y: y, meanAmount: mean, amountStandardDeviation: mean / 2,
                    meanTransactionsPerDay: perDay, terminals: grid.terminals(near: x, y, terminals: terminals)))
        }
        self.customers = customers
        self.terminals = terminals
        self.cardIDs = (0..<c.customers).map { "card-\($0)" }
        self.terminalIDs = (0..<c.terminals).map { "terminal-\($0)" }
        self.merchantIDs = (0..<c.terminals).map { "merchant-\($0 / c.terminalsPerMerchant)" }
    }

    static func round5(_ value: Double) -> Double {
        (value * 100_000).rounded(.toNearestOrEven) / 100_000
    }
}

/// Buckets terminals into square cells of side `radius` so that finding the terminals near
/// a customer looks at 3×3 cells instead of every terminal.
struct TerminalGrid {
    let cellsPerSide: Int
    let cellSize: Double
    let radius: Double
    /// Terminal numbers per cell, increasing within each cell.
    var cells: [[Int32]]

    init(terminals: [TerminalProfile], gridSize: Double, radius: Double) {
        self.radius = radius
        cellsPerSide = max(1, min(1_000, Int((gridSize / radius).rounded(.down))))
        cellSize = gridSize / Double(cellsPerSide)
        cells = Array(repeating: [], count: cellsPerSide * cellsPerSide)
        for terminal in terminals {
            cells[cell(terminal.x, terminal.y)].append(Int32(terminal.index))
        }
    }

    func column(_ v: Double) -> Int { min(cellsPerSide - 1, max(0, Int(v / cellSize))) }
    func cell(_ x: Double, _ y: Double) -> Int { column(y) * cellsPerSide + column(x) }

    /// Terminals strictly closer than the radius to (x, y), by increasing number.
    func terminals(near x: Double, _ y: Double, terminals: [TerminalProfile]) -> [Int32] {
        var found: [Int32] = []
        let cx = column(x)
        let cy = column(y)
        let r2 = radius * radius
        for row in max(0, cy - 1)...min(cellsPerSide - 1, cy + 1) {
            for col in max(0, cx - 1)...min(cellsPerSide - 1, cx + 1) {
                for t in cells[row * cellsPerSide + col] {
                    let dx = terminals[Int(t)].x - x
                    let dy = terminals[Int(t)].y - y
                    if dx * dx + dy * dy < r2 { found.append(t) }
                }
            }
        }
        found.sort()
        return found
    }
}
