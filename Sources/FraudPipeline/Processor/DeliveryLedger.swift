import Foundation
import RdKafka

/// At-least-once bookkeeping: which produced messages (alerts, decisions, dead letters) of
/// which input batch are still waiting for their delivery report, and which input offsets
/// may therefore be stored.
///
/// Every produced message carries the id `batch sequence << 20 | index`. A batch's offsets
/// are stored only when the batch is *sealed* (all its outputs were sent) and every output
/// was acknowledged, and only after all earlier batches were stored: the stored offsets are
/// always a prefix of fully delivered work. A failed delivery (librdkafka already retried
/// up to `message.timeout.ms`) is recorded as ``failure``; its batch never completes.
final class DeliveryLedger: Sendable {
    static let indexBits: UInt64 = 20

    private struct Entry {
        var remaining = 0
        var sealed = false
        var offsets: [KafkaTopicPartition: Int64] = [:]
    }

    private struct State {
        var firstSeq: UInt64 = 1  // sequence of entries[head]
        var entries: [Entry] = []
        var head = 0
        var storedThrough: UInt64 = 0
        var sealedThrough: UInt64 = 0
        var assigned: Set<KafkaTopicPartition> = []
        var assignmentChanged = false
        var revokedSinceTaken: Set<KafkaTopicPartition> = []
        var failure: KafkaError?
        var delivered = 0
    }

    private let state = LockedValue(State())
    /// Stores offsets (the consumer's `storeOffsets`); called under the ledger's lock so
    /// stores happen in batch order.
    private let store: @Sendable ([KafkaTopicPartition: Int64]) throws -> Void
    private let onStoreError: @Sendable (any Error) -> Void

    init(
        store: @escaping @Sendable ([KafkaTopicPartition: Int64]) throws -> Void,
        onStoreError: @escaping @Sendable (any Error) -> Void
    ) {
        self.store = store
        self.onStoreError = onStoreError
    }

    static func id(seq: UInt64, index: Int) -> UInt64 {
        precondition(index < 1 << indexBits, "more than 2^20 outputs in one chunk")
        return seq << indexBits | UInt64(index)
    }

    /// Starts batch `seq` (sequences are consecutive from 1).
    func open(_ seq: UInt64) {
        state.withLock { s in
            precondition(seq == s.firstSeq + UInt64(s.entries.count - s.head), "batches open in order")
            s.entries.append(Entry())
        }
    }

    /// All outputs of batch `seq` were sent (`produced` of them); `offsets` are its next offsets.
    func seal(_ seq: UInt64, produced: Int, offsets: [KafkaTopicPartition: Int64]) {
        state.withLock { s in
            let i = s.head + Int(seq - s.firstSeq)
            s.entries[i].remaining += produced
            s.entries[i].sealed = true
            s.entries[i].offsets = offsets
            s.sealedThrough = seq
            advance(&s)
        }
    }

    /// Delivery reports arrived.
    func record(_ reports: [KafkaDeliveryReport]) {
        state.withLock { s in
            for report in reports {
                if let error = report.error {
                    if s.failure == nil {
                        var e = error
                        e.message = "delivery to \(report.topic) failed: \(error.message)"
                        s.failure = e
                    }
                    continue
                }
                s.delivered += 1
                let seq = report.id >> Self.indexBits
                guard seq >= s.firstSeq else { continue }
                let i = s.head + Int(seq - s.firstSeq)
                guard i < s.entries.count else { continue }
                s.entries[i].remaining -= 1
            }
            advance(&s)
        }
    }

    private func advance(_ s: inout State) {
        guard s.failure == nil else { return }
        var merged: [KafkaTopicPartition: Int64] = [:]
        var through = s.storedThrough
        while s.head < s.entries.count, s.entries[s.head].sealed, s.entries[s.head].remaining <= 0 {
            for (tp, next) in s.entries[s.head].offsets { merged[tp] = max(merged[tp] ?? 0, next) }
            through = s.firstSeq
            s.entries[s.head] = Entry()
            s.head += 1
            s.firstSeq += 1
        }
        if s.head > 256, s.head * 2 > s.entries.count {
            s.entries.removeFirst(s.head)
            s.head = 0
        }
        guard through != s.storedThrough else { return }
        s.storedThrough = through
        let assigned = s.assigned
        let storable = merged.filter { assigned.contains($0.key) }
        guard !storable.isEmpty else { return }
        do { try store(storable) } catch { onStoreError(error) }
    }

    /// Partitions assigned to this member (offsets of other partitions are never stored).
    func assign(_ partitions: [KafkaTopicPartition]) {
        state.withLock { s in
            s.assigned.formUnion(partitions)
            s.assignmentChanged = true
        }
    }

    /// Partitions revoked.
    func unassign(_ partitions: [KafkaTopicPartition]) {
        state.withLock { s in
            s.assigned.subtract(partitions)
            s.revokedSinceTaken.formUnion(partitions)
            s.assignmentChanged = true
        }
    }

    /// The assignment changes since the last call, for the processing loop: the current
    /// assignment and every partition revoked meanwhile (even if assigned again since, its
    /// held messages are stale). Nil when nothing changed.
    func takeAssignmentChange() -> (assigned: Set<KafkaTopicPartition>, revoked: Set<KafkaTopicPartition>)? {
        state.withLock { s in
            guard s.assignmentChanged else { return nil }
            s.assignmentChanged = false
            defer { s.revokedSinceTaken = [] }
            return (s.assigned, s.revokedSinceTaken)
        }
    }

    /// The partitions assigned now.
    var assignedPartitions: [KafkaTopicPartition] { state.withLock { Array($0.assigned) } }

    /// The last batch whose offsets were stored (0: none).
    var storedThrough: UInt64 { state.withLock { $0.storedThrough } }
    /// The last sealed batch.
    var sealedThrough: UInt64 { state.withLock { $0.sealedThrough } }
    /// The first failed delivery, if any.
    var failure: KafkaError? { state.withLock { $0.failure } }
    /// Acknowledged outputs.
    var deliveredCount: Int { state.withLock { $0.delivered } }

    /// The same, blocking the calling thread (never call it from Swift's cooperative pool).
    func waitUntilStoredBlocking(through seq: UInt64, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (stored, failed) = state.withLock { ($0.storedThrough >= seq, $0.failure != nil) }
            if stored { return true }
            if failed || ContinuousClock.now >= deadline { return false }
            usleep(1_000)
        }
    }

    /// Waits until batch `seq` and every earlier one are stored, a delivery failed, or
    /// `timeout` passes. Returns true when stored.
    func waitUntilStored(through seq: UInt64, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (stored, failed) = state.withLock { ($0.storedThrough >= seq, $0.failure != nil) }
            if stored { return true }
            if failed || ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }
}
