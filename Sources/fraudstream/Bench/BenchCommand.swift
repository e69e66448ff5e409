import ArgumentParser

/// `fraudstream bench`: benchmarks that print figures (throughput, latency percentiles).
///
/// Benchmarks are commands, not timed tests: run them on a quiet machine, several times,
/// and quote medians.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print throughput and latency figures.",
        discussion: """
            Each benchmark prints its figures and the parameters that produced them. On a \
            shared 2-core machine figures are noisy: run several times and quote the median.
            """,
        subcommands: [KafkaBenchmark.self, HopLatencyBenchmark.self, EngineBenchmark.self, EndToEndBenchmark.self, CheckpointBenchmark.self, RestartBenchmark.self]
    )
}
