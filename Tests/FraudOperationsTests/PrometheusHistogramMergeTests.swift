import FraudOperations
import Testing

@Suite struct PrometheusHistogramMergeTests {
    @Test func mergeAddsCountsAndSums() {
        var a = PrometheusHistogram(upperBounds: [1, 2])
        var b = PrometheusHistogram(upperBounds: [1, 2])
        a.observe(0.5)
        b.observe(1.5)
        b.observe(7)
        a.merge(b)
        #expect(a.bucketCounts == [1, 1, 1])
        #expect(a.sum == 9)
        #expect(a.count == 3)
        #expect(b.count == 2)
    }
}
