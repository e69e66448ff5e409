/// Online logistic regression over dense (standardised) features and hashed sparse binary
/// features, trained one example at a time with per-coordinate FTRL-Proximal.
///
/// ## Features
/// The input vector is `denseCount` dense values (already standardised, for example by
/// ``OnlineStandardizer``) plus any number of active sparse binary features, each given as a
/// slot index into `2^hashBits` slots (compute slots with ``StableHash`` and
/// ``StableHash/slot(_:bits:)``; indices are masked to `hashBits`, so any `UInt32` is safe).
/// A slot listed twice counts twice (value 2). An intercept (bias) is added when
/// `fitIntercept` is set.
///
/// ## Optimiser: FTRL-Proximal (McMahan et al., "Ad Click Prediction: a View from the
/// Trenches", KDD 2013, Algorithm 1)
/// Per coordinate `i` with gradient `g_i = c·(p − y)·x_i` (`c` = sample weight × class weight):
/// ```
/// σ_i = (sqrt(n_i + g_i²) − sqrt(n_i)) / α
/// z_i ← z_i + g_i − σ_i·w_i
/// n_i ← n_i + g_i²
/// w_i = 0                                               if |z_i| ≤ λ1
///     = −(z_i − sign(z_i)·λ1) / ((β + sqrt(n_i))/α + λ2)  otherwise
/// ```
/// The per-coordinate learning rate is `α / (β + sqrt(n_i))`. L1 (`λ1`) yields exact zeros;
/// L2 (`λ2`) shrinks. The intercept is not regularised (λ1 = λ2 = 0 for it).
/// The model stores `sqrt(n_i)` instead of `n_i` (one square root per update instead of
/// two), dense weights are cached, sparse weights are computed from `(z, sqrt n)` on use.
///
/// ## Determinism and cost
/// The dense dot product uses four accumulators in a fixed order, so results are
/// bit-identical run to run; the sigmoid uses ``DeterministicMath``. No method allocates.
/// Memory: `16 · 2^hashBits` bytes for sparse slots (4 MiB at 18 bits) plus `24` bytes per
/// dense coordinate. The struct is a value type backed by arrays: keep one unique copy and
/// mutate it in place (a copy that is then mutated duplicates the 4 MiB).
public struct LogisticRegression: Sendable, StateCodable {
    /// Model shape and FTRL hyper-parameters.
    public struct Configuration: Sendable, Hashable {
        /// Number of dense features.
        public var denseCount: Int
        /// Sparse features hash into `2^hashBits` slots (1…30); default 18 (262,144 slots, 4 MiB).
        public var hashBits: Int
        /// FTRL `α`, the learning-rate scale; default 0.1.
        public var alpha: Double
        /// FTRL `β`, the learning-rate smoothing (rate is `α/(β + sqrt n)`); default 1.
        public var beta: Double
        /// L1 strength `λ1` (exact zeros below it); default 1.
        public var l1: Double
        /// L2 strength `λ2`; default 1.
        public var l2: Double
        /// Gradient multiplier for positive (fraud) examples, to counter class imbalance;
        /// default 1 (no reweighting). A common choice is `negatives / positives`, or its
        /// square root for a milder shift.
        public var positiveWeight: Double
        /// Whether to learn an intercept (bias); default true.
        public var fitIntercept: Bool

        /// Creates a configuration. Defaults are the widely used FTRL settings
        /// (α 0.1, β 1, λ1 1, λ2 1) with 18 hash bits.
        public init(
            denseCount: Int, hashBits: Int = 18, alpha: Double = 0.1, beta: Double = 1, l1: Double = 1,
            l2: Double = 1, positiveWeight: Double = 1, fitIntercept: Bool = true
        ) {
            self.denseCount = denseCount
            self.hashBits = hashBits
            self.alpha = alpha
            self.beta = beta
            self.l1 = l1
            self.l2 = l2
            self.positiveWeight = positiveWeight
            self.fitIntercept = fitIntercept
        }
    }

    /// The configuration this model was created with.
    public let configuration: Configuration
    /// Number of `learn` calls so far.
    public private(set) var updates: UInt64

    /// Dense coordinates `0..<denseCount`, then the intercept: `z`.
    @usableFromInline var denseZ: [Double]
    /// Dense coordinates, then the intercept: `sqrt(n)`.
    @usableFromInline var denseRootN: [Double]
    /// Dense coordinates, then the intercept: cached weights.
    @usableFromInline var denseW: [Double]
    /// Sparse slots interleaved: `[z0, sqrt(n0), z1, sqrt(n1), …]`.
    @usableFromInline var sparse: [Double]

    /// Creates an untrained model (all weights zero, probability 0.5).
    public init(configuration: Configuration) {
        precondition(configuration.denseCount >= 0, "denseCount must be >= 0")
        precondition((1...30).contains(configuration.hashBits), "hashBits must be in 1...30")
        precondition(configuration.alpha > 0 && configuration.alpha.isFinite, "alpha must be positive")
        precondition(configuration.beta >= 0 && configuration.l1 >= 0 && configuration.l2 >= 0,
                     "beta, l1 and l2 must be >= 0")
        precondition(configuration.positiveWeight > 0 && configuration.positiveWeight.isFinite,
                     "positiveWeight must be positive")
        self.configuration = configuration
        updates = 0
        let coordinates = configuration.denseCount + 1
        denseZ = [Double](repeating: 0, count: coordinates)
        denseRootN = [Double](repeating: 0, count: coordinates)
        denseW = [Double](repeating: 0, count: coordinates)
        sparse = [Double](repeating: 0, count: 2 << configuration.hashBits)
    }

    /// Number of dense features.
    @inlinable public var denseCount: Int { configuration.denseCount }
    /// Number of sparse slots, `2^hashBits`.
    @inlinable public var slotCount: Int { 1 << configuration.hashBits }
    /// Length of the buffer `contributions(dense:sparse:into:)` fills: `denseCount + 2`.
    @inlinable public var contributionCount: Int { configuration.denseCount + 2 }

    // MARK: Weights

    @inline(__always)
    static func weight(z: Double, rootN: Double, l1: Double, l2: Double, beta: Double, invAlpha: Double) -> Double {
        let shrunk = z.magnitude - l1
        let denominator = (beta + rootN) * invAlpha + l2
        let w = -Double(signOf: z, magnitudeOf: shrunk) / denominator
        return shrunk > 0 ? w : 0
    }

    /// Current weight of dense feature `index` (`index == denseCount` is the intercept).
    public func denseWeight(at index: Int) -> Double { denseW[index] }

    /// The intercept (0 when `fitIntercept` is off).
    public var intercept: Double { denseW[denseCount] }

    /// Current weight of sparse slot `slot` (masked to `hashBits`).
    public func sparseWeight(slot: UInt32) -> Double {
        let c = configuration
        let i = Int(slot & UInt32(slotCount - 1))
        return Self.weight(z: sparse[2 * i], rootN: sparse[2 * i + 1], l1: c.l1, l2: c.l2, beta: c.beta,
                           invAlpha: 1 / c.alpha)
    }

    /// Number of sparse slots whose weight is not exactly zero (L1 makes most of them zero).
    public var nonZeroSparseWeightCount: Int {
        let c = configuration
        var count = 0
        for i in 0..<slotCount where sparse[2 * i].magnitude > c.l1 { count += 1 }
        _ = c
        return count
    }

    // MARK: Prediction

    /// The log-odds `w·x + b` for one example.
    ///
    /// - Precondition: `dense.count == denseCount`.
    public func logit(dense: UnsafeBufferPointer<Double>, sparse: UnsafeBufferPointer<UInt32>) -> Double {
        precondition(dense.count == configuration.denseCount, "LogisticRegression: wrong dense count")
        return denseW.withUnsafeBufferPointer { w in
            Self.denseDot(w.baseAddress!, dense) + w[dense.count]
        } + sparseSum(sparse)
    }

    /// The fraud probability `sigmoid(logit)`, in [0, 1].
    public func probability(dense: UnsafeBufferPointer<Double>, sparse: UnsafeBufferPointer<UInt32>) -> Double {
        DeterministicMath.sigmoid(logit(dense: dense, sparse: sparse))
    }

    /// The log-odds for arrays (convenience for tools and tests).
    public func logit(dense: [Double], sparse: [UInt32]) -> Double {
        dense.withUnsafeBufferPointer { d in sparse.withUnsafeBufferPointer { s in logit(dense: d, sparse: s) } }
    }

    /// The probability for arrays (convenience for tools and tests).
    public func probability(dense: [Double], sparse: [UInt32]) -> Double {
        DeterministicMath.sigmoid(logit(dense: dense, sparse: sparse))
    }

    /// Explains a logit: writes `weight × value` for each dense feature at indices
    /// `0..<denseCount`, the summed sparse contribution at `denseCount`, and the intercept at
    /// `denseCount + 1`. The entries sum (left to right) to the logit up to rounding.
    ///
    /// - Precondition: `output.count >= contributionCount`.
    public func contributions(
        dense: UnsafeBufferPointer<Double>, sparse: UnsafeBufferPointer<UInt32>,
        into output: UnsafeMutableBufferPointer<Double>
    ) {
        let n = configuration.denseCount
        precondition(dense.count == n, "LogisticRegression: wrong dense count")
        precondition(output.count >= n + 2, "LogisticRegression: contributions buffer too small")
        denseW.withUnsafeBufferPointer { w in
            for i in 0..<n { output[i] = w[i] * dense[i] }
            output[n + 1] = w[n]
        }
        output[n] = sparseSum(sparse)
    }

    /// `contributions(dense:sparse:into:)` and `sparseWeights(sparse:into:)` in one pass:
    /// each sparse slot's weight is computed once, written to `sparseWeights`, and summed
    /// in slot order into `output[denseCount]` (bit-identical to `contributions`).
    ///
    /// - Precondition: `output.count >= contributionCount`, `sparseWeights.count >= sparse.count`.
    public func contributions(
        dense: UnsafeBufferPointer<Double>, sparse slots: UnsafeBufferPointer<UInt32>,
        into output: UnsafeMutableBufferPointer<Double>, sparseWeights: UnsafeMutableBufferPointer<Double>
    ) {
        let c = configuration
        let n = c.denseCount
        precondition(dense.count == n, "LogisticRegression: wrong dense count")
        precondition(output.count >= n + 2, "LogisticRegression: contributions buffer too small")
        precondition(sparseWeights.count >= slots.count, "LogisticRegression: sparse weights buffer too small")
        denseW.withUnsafeBufferPointer { w in
            for i in 0..<n { output[i] = w[i] * dense[i] }
            output[n + 1] = w[n]
        }
        let mask = UInt32(slotCount - 1)
        let invAlpha = 1 / c.alpha
        let l1 = c.l1
        let l2 = c.l2
        let beta = c.beta
        var total = 0.0
        sparse.withUnsafeBufferPointer { s in
            for k in 0..<slots.count {
                let i = 2 * Int(slots[k] & mask)
                let wk = Self.weight(z: s[i], rootN: s[i + 1], l1: l1, l2: l2, beta: beta, invAlpha: invAlpha)
                sparseWeights[k] = wk
                total += wk
            }
        }
        output[n] = total
    }

    /// Writes the weight of each listed sparse slot (in the same order) into `output`, for
    /// reason codes such as "merchant has a fraud history".
    public func sparseWeights(sparse slots: UnsafeBufferPointer<UInt32>, into output: UnsafeMutableBufferPointer<Double>) {
        precondition(output.count >= slots.count, "LogisticRegression: sparse weights buffer too small")
        for (k, slot) in slots.enumerated() { output[k] = sparseWeight(slot: slot) }
    }

    @inline(__always)
    static func denseDot(_ w: UnsafePointer<Double>, _ x: UnsafeBufferPointer<Double>) -> Double {
        let n = x.count
        guard let xp = x.baseAddress else { return 0 }
        var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
        var i = 0
        while i + 4 <= n {
            a0 += w[i] * xp[i]
            a1 += w[i + 1] * xp[i + 1]
            a2 += w[i + 2] * xp[i + 2]
            a3 += w[i + 3] * xp[i + 3]
            i += 4
        }
        while i < n {
            a0 += w[i] * xp[i]
            i += 1
        }
        return (a0 + a1) + (a2 + a3)
    }

    @inline(__always)
    func sparseSum(_ slots: UnsafeBufferPointer<UInt32>) -> Double {
        if slots.isEmpty { return 0 }
        let c = configuration
        let mask = UInt32(slotCount - 1)
        let invAlpha = 1 / c.alpha
        return sparse.withUnsafeBufferPointer { s in
            var total = 0.0
            for slot in slots {
                let i = 2 * Int(slot & mask)
                total += Self.weight(z: s[i], rootN: s[i + 1], l1: c.l1, l2: c.l2, beta: c.beta, invAlpha: invAlpha)
            }
            return total
        }
    }

    // MARK: Learning

    /// One FTRL-Proximal step on one labelled example; returns the probability the model
    /// gave the example *before* the step (useful for prequential log loss).
    ///
    /// - Parameters:
    ///   - label: `true` for fraud.
    ///   - weight: sample weight (≥ 0), multiplied with `positiveWeight` for positives.
    /// - Precondition: `dense.count == denseCount`.
    @discardableResult
    public mutating func learn(
        dense: UnsafeBufferPointer<Double>, sparse slots: UnsafeBufferPointer<UInt32>, label: Bool,
        weight: Double = 1
    ) -> Double {
        precondition(weight >= 0 && weight.isFinite, "LogisticRegression: sample weight must be finite and >= 0")
        let p = probability(dense: dense, sparse: slots)
        let c = configuration
        let classWeight = label ? c.positiveWeight : 1
        let g = (p - (label ? 1 : 0)) * weight * classWeight
        let invAlpha = 1 / c.alpha
        let n = c.denseCount
        let l1 = c.l1
        let l2 = c.l2
        let beta = c.beta
        let fitIntercept = c.fitIntercept
        denseZ.withUnsafeMutableBufferPointer { zb in
            denseRootN.withUnsafeMutableBufferPointer { rb in
                denseW.withUnsafeMutableBufferPointer { wb in
                    let z = zb.baseAddress!
                    let r = rb.baseAddress!
                    let w = wb.baseAddress!
                    if let x = dense.baseAddress {
                        for i in 0..<n {
                            let gi = g * x[i]
                            let rootN = DeterministicMath.squareRoot(r[i] * r[i] + gi * gi)
                            let sigma = (rootN - r[i]) * invAlpha
                            let zi = z[i] + gi - sigma * w[i]
                            z[i] = zi
                            r[i] = rootN
                            w[i] = Self.weight(z: zi, rootN: rootN, l1: l1, l2: l2, beta: beta, invAlpha: invAlpha)
                        }
                    }
                    if fitIntercept {
                        let rootN = DeterministicMath.squareRoot(r[n] * r[n] + g * g)
                        let sigma = (rootN - r[n]) * invAlpha
                        let zi = z[n] + g - sigma * w[n]
                        z[n] = zi
                        r[n] = rootN
                        w[n] = -zi / ((beta + rootN) * invAlpha)
                    }
                }
            }
        }
        if !slots.isEmpty {
            let mask = UInt32(slotCount - 1)
            sparse.withUnsafeMutableBufferPointer { sb in
                let s = sb.baseAddress!
                for slot in slots {
                    let i = 2 * Int(slot & mask)
                    let zi = s[i]
                    let rootOld = s[i + 1]
                    let wi = Self.weight(z: zi, rootN: rootOld, l1: l1, l2: l2, beta: beta, invAlpha: invAlpha)
                    let rootN = DeterministicMath.squareRoot(rootOld * rootOld + g * g)
                    let sigma = (rootN - rootOld) * invAlpha
                    s[i] = zi + g - sigma * wi
                    s[i + 1] = rootN
                }
            }
        }
        updates &+= 1
        return p
    }

    /// `learn` for arrays (convenience for tools and tests).
    @discardableResult
    public mutating func learn(dense: [Double], sparse: [UInt32], label: Bool, weight: Double = 1) -> Double {
        dense.withUnsafeBufferPointer { d in
            sparse.withUnsafeBufferPointer { s in learn(dense: d, sparse: s, label: label, weight: weight) }
        }
    }

    // MARK: StateCodable

    static let layoutVersion: UInt8 = 1

    /// Writes configuration, counters and all coordinates. Sparse slots are written either
    /// as a full array or as `(slot, z, sqrt n)` triples for the non-empty slots, whichever
    /// is smaller (decided deterministically, scanned in slot order).
    public func encode(to writer: inout StateWriter) {
        let c = configuration
        writer.writeUInt8(Self.layoutVersion)
        writer.writeUInt64(UInt64(c.denseCount))
        writer.writeUInt8(UInt8(c.hashBits))
        writer.writeDouble(c.alpha)
        writer.writeDouble(c.beta)
        writer.writeDouble(c.l1)
        writer.writeDouble(c.l2)
        writer.writeDouble(c.positiveWeight)
        writer.writeBool(c.fitIntercept)
        writer.writeUInt64(updates)
        writer.writeDoubles(denseZ)
        writer.writeDoubles(denseRootN)
        writer.writeDoubles(denseW)
        var used = 0
        sparse.withUnsafeBufferPointer { s in
            for i in 0..<slotCount where s[2 * i].bitPattern | s[2 * i + 1].bitPattern != 0 { used += 1 }
        }
        if used * 20 < slotCount * 16 {
            writer.writeUInt8(1)
            writer.writeUInt64(UInt64(used))
            sparse.withUnsafeBufferPointer { s in
                for i in 0..<slotCount where s[2 * i].bitPattern | s[2 * i + 1].bitPattern != 0 {
                    writer.writeUInt32(UInt32(i))
                    writer.writeDouble(s[2 * i])
                    writer.writeDouble(s[2 * i + 1])
                }
            }
        } else {
            writer.writeUInt8(0)
            writer.writeDoubles(sparse)
        }
    }

    /// Restores a model written by `encode(to:)`.
    public init(from reader: inout StateReader) throws(StateError) {
        let version = try reader.readUInt8()
        guard version == Self.layoutVersion else {
            throw StateError.corrupt("unknown LogisticRegression layout \(version)")
        }
        let denseCount = try reader.readUInt64()
        let hashBits = Int(try reader.readUInt8())
        let alpha = try reader.readDouble()
        let beta = try reader.readDouble()
        let l1 = try reader.readDouble()
        let l2 = try reader.readDouble()
        let positiveWeight = try reader.readDouble()
        let fitIntercept = try reader.readBool()
        guard denseCount < 1 << 24, (1...30).contains(hashBits), alpha > 0, alpha.isFinite, beta >= 0, l1 >= 0,
              l2 >= 0, positiveWeight > 0, positiveWeight.isFinite
        else { throw StateError.corrupt("LogisticRegression configuration out of range") }
        self.init(configuration: Configuration(
            denseCount: Int(denseCount), hashBits: hashBits, alpha: alpha, beta: beta, l1: l1, l2: l2,
            positiveWeight: positiveWeight, fitIntercept: fitIntercept))
        updates = try reader.readUInt64()
        let coordinates = Int(denseCount) + 1
        denseZ = try reader.readDoubles(expectedCount: coordinates)
        denseRootN = try reader.readDoubles(expectedCount: coordinates)
        denseW = try reader.readDoubles(expectedCount: coordinates)
        let mode = try reader.readUInt8()
        switch mode {
        case 0:
            sparse = try reader.readDoubles(expectedCount: 2 << hashBits)
        case 1:
            let at = reader.offset
            let used = try reader.readUInt64()
            guard used <= UInt64(slotCount) else {
                throw StateError.corrupt("LogisticRegression: \(used) sparse slots at byte \(at) exceed \(slotCount)")
            }
            for _ in 0..<Int(used) {
                let slotAt = reader.offset
                let slot = Int(try reader.readUInt32())
                guard slot < slotCount else {
                    throw StateError.corrupt("LogisticRegression: sparse slot \(slot) out of range at byte \(slotAt)")
                }
                sparse[2 * slot] = try reader.readDouble()
                sparse[2 * slot + 1] = try reader.readDouble()
            }
        default:
            throw StateError.corrupt("LogisticRegression: unknown sparse encoding \(mode)")
        }
    }
}
