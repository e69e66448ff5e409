/// Streaming anomaly detection with Half-Space Trees (Tan, Ting & Liu, "Fast Anomaly
/// Detection for Streaming Data", IJCAI 2011).
///
/// ## Model
/// A forest of `treeCount` complete binary trees of `height` levels of splits, built before
/// any data is seen. Each node keeps two masses: `reference` (points of the last completed
/// window) and `latest` (points of the window being filled). Every `windowSize` learned
/// points the windows swap: `reference ← latest`, `latest ← 0`.
///
/// ## Tree construction — as in the paper (not River's padded uniform splits)
/// For each tree and each dimension `q`, draw `s_q ~ U[0,1)` and set the *work range*
/// `[s_q − 2·max(s_q, 1−s_q), s_q + 2·max(s_q, 1−s_q)]`, which contains [0, 1] with a random
/// offset. Each internal node picks a dimension uniformly at random and splits its current
/// work range of that dimension at the mid-point; the left child takes the lower half.
/// Tree `t` draws from `DeterministicRandom.fork(seed: seed, stream: t)`, in depth-first,
/// left-first order, so trees are reproducible and independent of `treeCount`.
/// Split values are stored as `Float`, and a point goes right at a node when
/// `Float(x[q]) >= split` (inputs are rounded to `Float` once per call; the rule is exact and
/// the same on every machine).
///
/// ## Scoring — as in the paper
/// In each tree, descend from the root to the first node whose reference mass `r` is at most
/// `sizeLimit = max(1, ⌊sizeLimitFraction · windowSize⌋)`, or to the leaf; at depth `k` that
/// node contributes the mass score `r · 2^k`. The forest's mass score `M` is the sum over
/// trees; it is large in dense regions and 0 where the reference window saw nothing. The
/// maximum possible value is `M_max = treeCount · windowSize · 2^height`. ``score(_:)``
/// normalises `M` to an anomaly score in [0, 1], higher = more anomalous:
/// - ``Configuration/Normalization/logarithmic`` (default):
///   `1 − log2(1 + M) / log2(1 + M_max)`. `M` behaves like a density, so this is a scaled
///   negative log-density: normal points land mid-range and anomalies spread towards 1,
///   which keeps the score informative when fused with other scores.
/// - ``Configuration/Normalization/linear``: `1 − M / M_max` (River's convention). Normal
///   points then sit close to 1 too, because `M` for them is far below `M_max`.
///
/// Until the first window is complete there is no reference profile and every score is 0
/// (check ``isWarm``).
///
/// ## Input
/// Values should be scaled to [0, 1] (see ``OnlineMinMaxScaler``); values outside still
/// work (the work ranges extend beyond [0, 1]). A `NaN` component goes left at every split.
///
/// ## Layout and cost
/// Nodes live in one flat array of 16-byte records, tree after tree, each tree in
/// breadth-first (heap) order: node `i` has children `2i+1` and `2i+2` (80 KiB for the
/// defaults). Descent is branch-free, and trees are walked ten (then four) at a time in
/// lock-step so that that many independent chains of node loads are in flight. `scoreThenLearn` walks each
/// tree once for both jobs. Masses are integers, so sums are exact and order-free.
public struct HalfSpaceTrees: Sendable, StateCodable {
    /// Forest shape and window.
    public struct Configuration: Sendable, Hashable {
        /// How the mass score is mapped to [0, 1].
        public enum Normalization: UInt8, Sendable, Hashable {
            /// `1 − log2(1 + M) / log2(1 + M_max)`.
            case logarithmic = 0
            /// `1 − M / M_max`.
            case linear = 1
        }

        /// Number of input dimensions.
        public var dimensions: Int
        /// Number of trees; default 10.
        public var treeCount: Int
        /// Levels of splits per tree (leaves at this depth), 1…20; default 8.
        public var height: Int
        /// Points per window; default 250.
        public var windowSize: Int
        /// Scoring stops at nodes with reference mass ≤ this fraction of the window; default 0.1.
        public var sizeLimitFraction: Double
        /// Seed for the split dimensions and work ranges.
        public var seed: UInt64
        /// Score normalisation; default `.logarithmic`.
        public var normalization: Normalization

        /// Creates a configuration with River's defaults (10 trees, height 8, window 250).
        public init(
            dimensions: Int, treeCount: Int = 10, height: Int = 8, windowSize: Int = 250,
            sizeLimitFraction: Double = 0.1, seed: UInt64 = 0x4853_5452_4545_5331,
            normalization: Normalization = .logarithmic
        ) {
            self.dimensions = dimensions
            self.treeCount = treeCount
            self.height = height
            self.windowSize = windowSize
            self.sizeLimitFraction = sizeLimitFraction
            self.seed = seed
            self.normalization = normalization
        }
    }

    @usableFromInline
    struct Node: Sendable {
        @usableFromInline var split: Float
        @usableFromInline var feature: UInt32
        @usableFromInline var reference: UInt32
        @usableFromInline var latest: UInt32
    }

    /// The configuration this forest was created with.
    public let configuration: Configuration
    @usableFromInline var nodes: [Node]
    /// Points learned in the window being filled (0 ..< windowSize).
    public private(set) var pointsInCurrentWindow: Int
    /// Number of completed windows (swaps) so far.
    public private(set) var completedWindows: UInt64
    @usableFromInline let nodesPerTree: Int
    @usableFromInline let sizeLimit: UInt32
    @usableFromInline let maxMass: Double
    @usableFromInline let logMaxMass: Double

    /// Builds the forest; no data is needed.
    public init(configuration: Configuration) {
        let c = configuration
        precondition(c.dimensions > 0, "HalfSpaceTrees needs at least one dimension")
        precondition(c.dimensions <= Int(UInt32.max), "too many dimensions")
        precondition(c.treeCount > 0, "treeCount must be positive")
        precondition((1...20).contains(c.height), "height must be in 1...20")
        precondition(c.windowSize > 0 && c.windowSize <= 1 << 30, "windowSize must be in 1...2^30")
        precondition(c.sizeLimitFraction >= 0 && c.sizeLimitFraction < 1, "sizeLimitFraction must be in [0, 1)")
        self.configuration = c
        nodesPerTree = (2 << c.height) - 1
        sizeLimit = UInt32(max(1, Int(c.sizeLimitFraction * Double(c.windowSize))))
        maxMass = Double(c.treeCount) * Double(c.windowSize) * Double(1 << c.height)
        logMaxMass = DeterministicMath.log(1 + maxMass)
        pointsInCurrentWindow = 0
        completedWindows = 0
        nodes = [Node](repeating: Node(split: 0, feature: 0, reference: 0, latest: 0), count: c.treeCount * nodesPerTree)
        var lower = [Double](repeating: 0, count: c.dimensions)
        var upper = [Double](repeating: 0, count: c.dimensions)
        for tree in 0..<c.treeCount {
            var rng = DeterministicRandom.fork(seed: c.seed, stream: UInt64(tree))
            for q in 0..<c.dimensions {
                let s = rng.nextDouble()
                let half = 2 * max(s, 1 - s)
                lower[q] = s - half
                upper[q] = s + half
            }
            build(tree * nodesPerTree, 0, 0, &rng, &lower, &upper)
        }
    }

    /// Creates a forest with River's defaults for `dimensions` inputs.
    public init(dimensions: Int, seed: UInt64 = 0x4853_5452_4545_5331) {
        self.init(configuration: Configuration(dimensions: dimensions, seed: seed))
    }

    private mutating func build(
        _ base: Int, _ index: Int, _ depth: Int, _ rng: inout DeterministicRandom, _ lower: inout [Double],
        _ upper: inout [Double]
    ) {
        if depth == configuration.height { return }
        let q = rng.nextInt(below: configuration.dimensions)
        let split = Float((lower[q] + upper[q]) / 2)
        nodes[base + index].feature = UInt32(q)
        nodes[base + index].split = split
        let savedUpper = upper[q]
        upper[q] = Double(split)
        build(base, 2 * index + 1, depth + 1, &rng, &lower, &upper)
        upper[q] = savedUpper
        let savedLower = lower[q]
        lower[q] = Double(split)
        build(base, 2 * index + 2, depth + 1, &rng, &lower, &upper)
        lower[q] = savedLower
    }

    /// Number of input dimensions.
    public var dimensions: Int { configuration.dimensions }

    /// Whether a reference window exists (the first `windowSize` points have been learned).
    /// Scores are 0 until then.
    public var isWarm: Bool { completedWindows > 0 }

    /// Reference mass of node `node` (heap order) of tree `tree`, for inspection.
    public func referenceMass(tree: Int, node: Int) -> Int { Int(nodes[tree * nodesPerTree + node].reference) }

    /// Latest-window mass of node `node` (heap order) of tree `tree`, for inspection.
    public func latestMass(tree: Int, node: Int) -> Int { Int(nodes[tree * nodesPerTree + node].latest) }

    // MARK: Scoring and learning

    /// The raw forest mass score `M` (sum over trees of `r · 2^k` at the terminal node);
    /// 0 before the first window completes.
    public func massScore(_ x: UnsafeBufferPointer<Double>) -> Double {
        precondition(x.count == configuration.dimensions, "HalfSpaceTrees: wrong dimension")
        let c = configuration
        let perTree = nodesPerTree
        let limit = sizeLimit
        return Double(nodes.withUnsafeBufferPointer { nb in
            Self.walk(UnsafeMutablePointer(mutating: nb.baseAddress!), x.baseAddress!, c.dimensions, c.treeCount, perTree, c.height,
                      limit, score: true, learn: false)
        })
    }

    /// Walks all trees level by level (the trees' node loads are independent, so the CPU
    /// overlaps them), accumulating the terminal mass scores and/or incrementing the latest
    /// masses along each path. Integer sums: order-independent and exact.
    @inline(__always)
    static func walk(
        _ nodes: UnsafeMutablePointer<Node>, _ x: UnsafePointer<Double>, _ dimensions: Int, _ trees: Int,
        _ perTree: Int, _ height: Int, _ limit: UInt32, score: Bool, learn: Bool
    ) -> UInt64 {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: dimensions) { values in
            let xf = UnsafePointer(values.baseAddress!)
            for d in 0..<dimensions { values[d] = Float(x[d]) }
            var sum: UInt64 = 0
            var t = 0
            // Ten trees at a time (the default forest in one round), then four, level by
            // level: that many independent chains of dependent node loads in flight (perf:
            // 11.4 % of the engine benchmark four at a time, 9.0 % ten at a time).
            while t + 10 <= trees {
                let r0 = nodes + t * perTree
                let r1 = r0 + perTree
                let r2 = r1 + perTree
                let r3 = r2 + perTree
                let r4 = r3 + perTree
                let r5 = r4 + perTree
                let r6 = r5 + perTree
                let r7 = r6 + perTree
                let r8 = r7 + perTree
                let r9 = r8 + perTree
                var i0 = 0, i1 = 0, i2 = 0, i3 = 0, i4 = 0, i5 = 0, i6 = 0, i7 = 0, i8 = 0, i9 = 0
                var a0: UInt64 = 1, a1: UInt64 = 1, a2: UInt64 = 1, a3: UInt64 = 1, a4: UInt64 = 1
                var a5: UInt64 = 1, a6: UInt64 = 1, a7: UInt64 = 1, a8: UInt64 = 1, a9: UInt64 = 1
                for depth in 0...height {
                    let isLeaf = depth == height
                    sum &+= step(r0, &i0, &a0, xf, depth, isLeaf, limit, score, learn)
                    sum &+= step(r1, &i1, &a1, xf, depth, isLeaf, limit, score, learn)
                    sum &+= step(r2, &i2, &a2, xf, depth, isLeaf, limit, score, learn)
                    sum &+= step(r3, &i3, &a3, xf, depth, isLeaf, limit, score, learn)
                    sum &+= step(r4, &i4, &a4, xf, depth, isLeaf, limit, score, learn)
                    sum &+= step(r5, &i5, &a5, xf, depth, isLeaf, limit, score, learn)
                    sum &+= step(r6, &i6, &a6, xf, depth, isLeaf, limit, score, learn)
                    sum &+= step(r7, &i7, &a7, xf, depth, isLeaf, limit, score, learn)
                    sum &+= step(r8, &i8, &a8, xf, depth, isLeaf, limit, score, learn)
                    sum &+= step(r9, &i9, &a9, xf, depth, isLeaf, limit, score, learn)
                }
                t += 10
            }
            while t + 4 <= trees {
                let r0 = nodes + t * perTree
                let r1 = r0 + perTree
                let r2 = r1 + perTree
                let r3 = r2 + perTree
                var i0 = 0, i1 = 0, i2 = 0, i3 = 0
                var a0: UInt64 = 1, a1: UInt64 = 1, a2: UInt64 = 1, a3: UInt64 = 1
                for depth in 0...height {
                    let isLeaf = depth == height
                    sum &+= step(r0, &i0, &a0, xf, depth, isLeaf, limit, score, learn)
                    sum &+= step(r1, &i1, &a1, xf, depth, isLeaf, limit, score, learn)
                    sum &+= step(r2, &i2, &a2, xf, depth, isLeaf, limit, score, learn)
                    sum &+= step(r3, &i3, &a3, xf, depth, isLeaf, limit, score, learn)
                }
                t += 4
            }
            while t < trees {
                let r0 = nodes + t * perTree
                var i0 = 0
                var a0: UInt64 = 1
                for depth in 0...height {
                    sum &+= step(r0, &i0, &a0, xf, depth, depth == height, limit, score, learn)
                }
                t += 1
            }
            return sum
        }
    }

    /// One level of one tree: optional mass increment, optional terminal-score capture
    /// (`active` is 1 until the tree's terminal node is found), and the branch-free descent.
    @inline(__always)
    static func step(
        _ root: UnsafeMutablePointer<Node>, _ index: inout Int, _ active: inout UInt64, _ x: UnsafePointer<Float>,
        _ depth: Int, _ isLeaf: Bool, _ limit: UInt32, _ score: Bool, _ learn: Bool
    ) -> UInt64 {
        // Read the node before writing its latest mass (a load that overlaps a just-stored
        // field cannot be forwarded and stalls).
        let node = root[index]
        if learn { root[index].latest = node.latest &+ 1 }
        var contribution: UInt64 = 0
        if score {
            let stop: UInt64 = node.reference <= limit || isLeaf ? 1 : 0
            contribution = (active & stop) &* (UInt64(node.reference) << UInt64(depth))
            active &= 1 &- stop
        }
        // Heap order within a tree: children of local node k are 2k+1 and 2k+2.
        index = 2 &* index &+ 1 &+ (x[Int(node.feature)] >= node.split ? 1 : 0)
        return contribution
    }

    @inline(__always)
    func normalize(_ mass: UInt64) -> Double {
        if completedWindows == 0 { return 0 }
        let m = Double(mass)
        switch configuration.normalization {
        case .logarithmic:
            let s = 1 - DeterministicMath.log(1 + m) / logMaxMass
            return min(max(s, 0), 1)
        case .linear:
            return min(max(1 - m / maxMass, 0), 1)
        }
    }

    /// Anomaly score in [0, 1] (higher = more anomalous) under the reference window;
    /// 0 before the first window completes. Does not learn.
    public func score(_ x: UnsafeBufferPointer<Double>) -> Double {
        if completedWindows == 0 { return 0 }
        return normalize(UInt64(massScore(x)))
    }

    /// Anomaly score for an array (convenience).
    public func score(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { score($0) }
    }

    /// Adds `x` to the latest window; swaps windows after every `windowSize` points.
    public mutating func learn(_ x: UnsafeBufferPointer<Double>) {
        precondition(x.count == configuration.dimensions, "HalfSpaceTrees: wrong dimension")
        let c = configuration
        let perTree = nodesPerTree
        let limit = sizeLimit
        _ = nodes.withUnsafeMutableBufferPointer { nb in
            Self.walk(nb.baseAddress!, x.baseAddress!, c.dimensions, c.treeCount, perTree, c.height, limit, score: false, learn: true)
        }
        advanceWindow()
    }

    /// `learn` for an array (convenience).
    public mutating func learn(_ x: [Double]) {
        x.withUnsafeBufferPointer { learn($0) }
    }

    /// Scores `x` under the reference window, then learns it, in one walk per tree.
    /// Returns exactly what `score(x)` followed by `learn(x)` would.
    public mutating func scoreThenLearn(_ x: UnsafeBufferPointer<Double>) -> Double {
        precondition(x.count == configuration.dimensions, "HalfSpaceTrees: wrong dimension")
        let c = configuration
        let perTree = nodesPerTree
        let limit = sizeLimit
        let total = nodes.withUnsafeMutableBufferPointer { nb in
            Self.walk(nb.baseAddress!, x.baseAddress!, c.dimensions, c.treeCount, perTree, c.height, limit, score: true, learn: true)
        }
        let result = normalize(total)
        advanceWindow()
        return result
    }

    /// `scoreThenLearn` for an array (convenience).
    public mutating func scoreThenLearn(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { scoreThenLearn($0) }
    }

    @inline(__always)
    mutating func advanceWindow() {
        pointsInCurrentWindow += 1
        if pointsInCurrentWindow == configuration.windowSize {
            nodes.withUnsafeMutableBufferPointer { nb in
                for i in nb.indices {
                    nb[i].reference = nb[i].latest
                    nb[i].latest = 0
                }
            }
            pointsInCurrentWindow = 0
            completedWindows &+= 1
        }
    }

    // MARK: StateCodable

    static let layoutVersion: UInt8 = 1

    /// Writes configuration, window counters and every node (split, feature, both masses).
    public func encode(to writer: inout StateWriter) {
        let c = configuration
        writer.writeUInt8(Self.layoutVersion)
        writer.writeUInt64(UInt64(c.dimensions))
        writer.writeUInt32(UInt32(c.treeCount))
        writer.writeUInt8(UInt8(c.height))
        writer.writeUInt32(UInt32(c.windowSize))
        writer.writeDouble(c.sizeLimitFraction)
        writer.writeUInt64(c.seed)
        writer.writeUInt8(c.normalization.rawValue)
        writer.writeUInt32(UInt32(pointsInCurrentWindow))
        writer.writeUInt64(completedWindows)
        writer.writeUInt64(UInt64(nodes.count))
        for node in nodes {
            writer.writeFloat(node.split)
            writer.writeUInt32(node.feature)
            writer.writeUInt32(node.reference)
            writer.writeUInt32(node.latest)
        }
    }

    /// Restores a forest written by `encode(to:)` (splits are read, not regenerated).
    public init(from reader: inout StateReader) throws(StateError) {
        let version = try reader.readUInt8()
        guard version == Self.layoutVersion else {
            throw StateError.corrupt("unknown HalfSpaceTrees layout \(version)")
        }
        let dimensions = try reader.readUInt64()
        let treeCount = Int(try reader.readUInt32())
        let height = Int(try reader.readUInt8())
        let windowSize = Int(try reader.readUInt32())
        let fraction = try reader.readDouble()
        let seed = try reader.readUInt64()
        let normalizationRaw = try reader.readUInt8()
        let points = Int(try reader.readUInt32())
        let windows = try reader.readUInt64()
        guard dimensions > 0, dimensions <= UInt64(UInt32.max), treeCount > 0, treeCount <= 1 << 16,
              (1...20).contains(height), windowSize > 0, windowSize <= 1 << 30, fraction >= 0, fraction < 1,
              points < windowSize, let normalization = Configuration.Normalization(rawValue: normalizationRaw)
        else { throw StateError.corrupt("HalfSpaceTrees configuration out of range") }
        let c = Configuration(
            dimensions: Int(dimensions), treeCount: treeCount, height: height, windowSize: windowSize,
            sizeLimitFraction: fraction, seed: seed, normalization: normalization)
        configuration = c
        nodesPerTree = (2 << height) - 1
        sizeLimit = UInt32(max(1, Int(fraction * Double(windowSize))))
        maxMass = Double(treeCount) * Double(windowSize) * Double(1 << height)
        logMaxMass = DeterministicMath.log(1 + maxMass)
        pointsInCurrentWindow = points
        completedWindows = windows
        let at = reader.offset
        let count = try reader.readCount(elementSize: 16)
        guard count == treeCount * nodesPerTree else {
            throw StateError.corrupt("HalfSpaceTrees: \(count) nodes at byte \(at), expected \(treeCount * nodesPerTree)")
        }
        var nodes = [Node]()
        nodes.reserveCapacity(count)
        for _ in 0..<count {
            let split = try reader.readFloat()
            let featureAt = reader.offset
            let feature = try reader.readUInt32()
            guard UInt64(feature) < dimensions else {
                throw StateError.corrupt("HalfSpaceTrees: split feature \(feature) out of range at byte \(featureAt)")
            }
            let reference = try reader.readUInt32()
            let latest = try reader.readUInt32()
            nodes.append(Node(split: split, feature: feature, reference: reference, latest: latest))
        }
        self.nodes = nodes
    }
}
