/// Micro-benchmarks of the learning primitives, for `fraudstream bench engine`.
///
/// Each figure is nanoseconds per operation, the median of `repetitions` timed runs of
/// `iterations` operations over 1,024 pre-generated seeded inputs (cycled), after one
/// untimed warm-up run. Shapes match the engine's budget: logistic regression with 40 dense
/// and 6 hashed features at 18 hash bits (about 1 % positives), Half-Space Trees with
/// 10 trees, height 8, window 250 over 10 dimensions.
///
/// This is the only code in the module that reads a clock (`ContinuousClock`); nothing it
/// measures depends on the clock. Figures are for one core; run in a release build.
public enum ModelBenchmark {
    /// Keys of the returned dictionary, each ns/op:
    /// - `lr.logit`: `logit` alone;
    /// - `lr.logit+learn`: `logit` then `learn` on the same example;
    /// - `hst.scoreThenLearn`: one combined score-and-learn;
    /// - `standardizer.transformThenUpdate`: 40 dimensions, in place;
    /// - `minmax.updateThenTransform`: 10 dimensions, in place;
    /// - `counter.multiHorizon.add`: one ``MultiHorizonCounter`` add (4 horizons);
    /// - `robust.zScore+update`: one ``RobustStatistics`` z-score and update;
    /// - `hash.string16`: ``StableHash/hash64(_:seed:)-(String,_)`` of a 16-byte id.
    ///
    /// The entry `sink` is a checksum of all results (it keeps the optimiser from deleting
    /// the work; ignore it).
    public static func run(iterations: Int = 200_000, repetitions: Int = 5) -> [String: Double] {
        precondition(iterations > 0 && repetitions > 0)
        let inputs = 1_024
        let denseCount = 40
        let sparseCount = 6
        let hstDims = 10
        var rng = DeterministicRandom(seed: 0xBE4C_8000)
        var dense = [Double](repeating: 0, count: inputs * denseCount)
        for i in dense.indices { dense[i] = max(-5, min(5, rng.nextGaussian())) }
        var sparse = [UInt32](repeating: 0, count: inputs * sparseCount)
        for i in sparse.indices { sparse[i] = UInt32(truncatingIfNeeded: rng.next()) & ((1 << 18) - 1) }
        var labels = [Bool](repeating: false, count: inputs)
        for i in labels.indices { labels[i] = rng.nextBool(probability: 0.01) }
        var unit = [Double](repeating: 0, count: inputs * hstDims)
        for i in unit.indices { unit[i] = min(1, max(0, 0.5 + 0.15 * rng.nextGaussian())) }
        var ids = [String]()
        for i in 0..<inputs { ids.append("card-\(100_000_000 + i)-x") }
        var sink = 0.0
        var results: [String: Double] = [:]

        func measure(_ name: String, _ body: (Int) -> Double) {
            _ = body(min(iterations, 10_000))
            var samples = [Double]()
            let clock = ContinuousClock()
            for _ in 0..<repetitions {
                var value = 0.0
                let elapsed = clock.measure { value = body(iterations) }
                sink += value
                let (seconds, attoseconds) = elapsed.components
                let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) * 1e-9
                samples.append(nanoseconds / Double(iterations))
            }
            samples.sort()
            results[name] = samples[samples.count / 2]
        }

        var model = LogisticRegression(configuration: .init(denseCount: denseCount))
        dense.withUnsafeBufferPointer { d in
            sparse.withUnsafeBufferPointer { s in
                func example(_ k: Int) -> (UnsafeBufferPointer<Double>, UnsafeBufferPointer<UInt32>) {
                    let j = k & (inputs - 1)
                    return (UnsafeBufferPointer(rebasing: d[(j * denseCount)..<((j + 1) * denseCount)]),
                            UnsafeBufferPointer(rebasing: s[(j * sparseCount)..<((j + 1) * sparseCount)]))
                }
                measure("lr.logit+learn") { n in
                    var acc = 0.0
                    for k in 0..<n {
                        let (x, slots) = example(k)
                        acc += model.logit(dense: x, sparse: slots)
                        model.learn(dense: x, sparse: slots, label: labels[k & (inputs - 1)])
                    }
                    return acc
                }
                measure("lr.logit") { n in
                    var acc = 0.0
                    for k in 0..<n {
                        let (x, slots) = example(k)
                        acc += model.logit(dense: x, sparse: slots)
                    }
                    return acc
                }
            }
        }

        var forest = HalfSpaceTrees(dimensions: hstDims, seed: 7)
        unit.withUnsafeBufferPointer { u in
            measure("hst.scoreThenLearn") { n in
                var acc = 0.0
                for k in 0..<n {
                    let j = k & (inputs - 1)
                    acc += forest.scoreThenLearn(UnsafeBufferPointer(rebasing: u[(j * hstDims)..<((j + 1) * hstDims)]))
                }
                return acc
            }
        }

        var standardizer = OnlineStandardizer(dimension: denseCount)
        var scratch = [Double](repeating: 0, count: denseCount)
        measure("standardizer.transformThenUpdate") { n in
            var acc = 0.0
            scratch.withUnsafeMutableBufferPointer { buffer in
                dense.withUnsafeBufferPointer { d in
                    for k in 0..<n {
                        let j = k & (inputs - 1)
                        for i in 0..<denseCount { buffer[i] = d[j * denseCount + i] * 3 + 1 }
                        standardizer.transformThenUpdate(buffer)
                        acc += buffer[0]
                    }
                }
            }
            return acc
        }

        var scaler = OnlineMinMaxScaler(dimension: hstDims)
        var small = [Double](repeating: 0, count: hstDims)
        measure("minmax.updateThenTransform") { n in
            var acc = 0.0
            small.withUnsafeMutableBufferPointer { buffer in
                dense.withUnsafeBufferPointer { d in
                    for k in 0..<n {
                        let j = k & (inputs - 1)
                        for i in 0..<hstDims { buffer[i] = d[j * denseCount + i] }
                        scaler.updateThenTransform(buffer)
                        acc += buffer[1]
                    }
                }
            }
            return acc
        }

        var counters = [MultiHorizonCounter](repeating: MultiHorizonCounter(), count: inputs)
        let horizons = MultiHorizonCounter.Horizons.cardWindows
        measure("counter.multiHorizon.add") { n in
            var acc = 0.0
            var t: Int64 = 1_700_000_000_000
            for k in 0..<n {
                t += 1_000 + Int64(k & 63) * 7_919
                counters[k & (inputs - 1)].add(12.5, at: t, horizons: horizons)
            }
            for c in counters { acc += Double(c.lastUpdate & 1) }
            return acc
        }

        var robust = [RobustStatistics](repeating: RobustStatistics(), count: inputs)
        let parameters = RobustStatistics.Parameters.default
        measure("robust.zScore+update") { n in
            var acc = 0.0
            for k in 0..<n {
                let j = k & (inputs - 1)
                let x = dense[j * denseCount]
                acc += robust[j].zScore(x, parameters: parameters)
                robust[j].update(x, parameters: parameters)
            }
            return acc
        }

        measure("hash.string16") { n in
            var acc: UInt64 = 0
            for k in 0..<n { acc ^= StableHash.hash64(ids[k & (inputs - 1)]) }
            return Double(acc & 0xFFFF)
        }

        results["sink"] = sink
        return results
    }
}
