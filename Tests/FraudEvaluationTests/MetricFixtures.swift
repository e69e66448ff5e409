/// Small random fixtures with many ties (scores on a coarse grid), from a fixed LCG.
func randomFixture(seed: UInt64, count: Int) -> (scores: [Double], labels: [Bool]) {
    var state = seed
    func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
    var scores: [Double] = []
    var labels: [Bool] = []
    for _ in 0..<count {
        scores.append(Double(next() % 11) / 10)
        labels.append(next() % 4 == 0)
    }
    return (scores, labels)
}

/// ROC AUC by its definition: pairs (fraud, legit) ordered right count 1, ties ½.
func bruteForceAUC(_ scores: [Double], _ labels: [Bool]) -> Double? {
    var wins = 0.0
    var pairs = 0.0
    for i in scores.indices where labels[i] {
        for j in scores.indices where !labels[j] {
            pairs += 1
            if scores[i] > scores[j] { wins += 1 } else if scores[i] == scores[j] { wins += 0.5 }
        }
    }
    return pairs == 0 ? nil : wins / pairs
}

/// AP by its definition: for each distinct threshold (descending), (ΔR)·P.
func bruteForceAP(_ scores: [Double], _ labels: [Bool]) -> Double? {
    let positives = labels.filter { $0 }.count
    guard positives > 0 else { return nil }
    var sum = 0.0
    var previousRecall = 0.0
    for threshold in Set(scores).sorted(by: >) {
        let alerted = scores.indices.filter { scores[$0] >= threshold }
        let tp = alerted.filter { labels[$0] }.count
        let recall = Double(tp) / Double(positives)
        sum += (recall - previousRecall) * Double(tp) / Double(alerted.count)
        previousRecall = recall
    }
    return sum
}
