import Foundation
import FraudOperations
import FraudPipeline
import Logging

/// The processor's HTTP endpoint: `/metrics` (``ProcessorMetricsPage``), `/healthz`, and
/// `/readyz` (ready while the processor runs).
struct OperationsEndpoint: Sendable {
    let server: MetricsHTTPServer
    /// The port it listens on.
    let port: Int

    /// Starts the endpoint on `port` (nil: none, returns nil). Throws when the port cannot be bound.
    static func start(port: Int?, processor: LiveProcessor, rulesWatch: RulesWatch?, logger: Logger) throws
        -> OperationsEndpoint?
    {
        guard let port else { return nil }
        let server = MetricsHTTPServer(
            port: port,
            metrics: {
                ProcessorMetricsPage.render(
                    processor.statistics, running: processor.isRunning, rulesVersion: processor.rules.version,
                    rulesReloads: rulesWatch?.statistics, now: Int64(Date().timeIntervalSince1970 * 1000))
            },
            ready: { processor.isRunning }, logger: logger)
        do {
            try server.start()
        } catch {
            throw CommandFailure("metrics endpoint: \(error)")
        }
        return OperationsEndpoint(server: server, port: server.boundPort ?? port)
    }

    /// Stops serving.
    func stop() { server.stop() }
}
