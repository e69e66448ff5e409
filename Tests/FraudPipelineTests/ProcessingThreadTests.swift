import Foundation
import Testing

@testable import FraudPipeline

/// The processing loop's executor: work preferring it runs on its one thread, in order, and
/// a task that still prefers it after ``ProcessingThread/stop()`` is not stranded.
@Suite struct ProcessingThreadTests {
    /// The kernel's name of the calling thread (what `ThreadName.setCurrent` set).
    static func currentThreadName() -> String {
        (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    @Test func workPreferringItRunsOnItsThreadInOrder() async {
        let thread = ProcessingThread(name: "fs-test-exec")
        defer { thread.stop() }
        let (names, order) = await withTaskExecutorPreference(thread) { () async -> ([String], [Int]) in
            var names: [String] = [Self.currentThreadName()]
            var order: [Int] = []
            for i in 0..<50 {
                await Task.yield()  // suspends and resumes through the executor
                names.append(Self.currentThreadName())
                order.append(i)
            }
            // Child tasks inherit the preference.
            let children = await withTaskGroup(of: String.self) { group in
                for _ in 0..<8 { group.addTask { Self.currentThreadName() } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            return (names + children, order)
        }
        #expect(Set(names) == ["fs-test-exec"])
        #expect(order == Array(0..<50))
    }

    @Test(.timeLimit(.minutes(1))) func aTaskStillPreferringItAfterStopCompletes() async {
        let thread = ProcessingThread(name: "fs-test-stop")
        thread.stop()
        try? await Task.sleep(for: .milliseconds(50))  // the thread has ended by now
        let value = await withTaskExecutorPreference(thread) { () async -> Int in
            await Task.yield()
            return 42
        }
        #expect(value == 42)
        #expect(Self.currentThreadName() != "fs-test-stop")
    }
}
