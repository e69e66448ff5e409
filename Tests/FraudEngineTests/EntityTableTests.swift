import FraudModels
import Testing

@testable import FraudEngine

@Suite struct EntityTableTests {
    @Test func findsInsertedKeysAndEvictsIdleOnesFirst() {
        let table = EntityTable<Int>(maxCount: 3, initialCapacity: 2)
        #expect(table.findOrInsert(10, initial: 1).inserted)
        #expect(table.findOrInsert(20, initial: 2).inserted)
        #expect(table.findOrInsert(30, initial: 3).inserted)
        #expect(!table.findOrInsert(10, initial: 0).inserted)
        // All referenced: the hand clears them all and takes the first slot.
        let (slot, inserted) = table.findOrInsert(40, initial: 4)
        #expect(inserted && slot == 0)
        #expect(table.states[slot] == 4)
        #expect(table.find(10) == nil)
        #expect(table.count == 3 && table.evictions == 1)
        // 20 transacts again, 30 stays idle: 30 goes, 20 stays.
        _ = table.findOrInsert(20, initial: 0)
        _ = table.findOrInsert(50, initial: 5)
        #expect(table.find(30) == nil)
        #expect(table.find(20) != nil && table.find(40) != nil && table.find(50) != nil)
        #expect(table.states[table.find(20)!] == 2)
    }

    @Test func matchesAReferenceClockUnderRandomChurn() {
        // Random keys (many sharing low bits) against a plain reference implementation.
        var rng = DeterministicRandom(seed: 3)
        let cap = 200
        let table = EntityTable<UInt64>(maxCount: cap, initialCapacity: 16)
        var slots: [UInt64] = []
        var bits: [Bool] = []
        var hand = 0
        var evicted = 0
        for _ in 0..<20_000 {
            let key = EntityTable<UInt64>.normalise(UInt64(rng.nextInt(below: 600)) << 40 | UInt64(rng.nextInt(below: 3)))
            let (slot, inserted) = table.findOrInsert(key, initial: key &* 3)
            if let s = slots.firstIndex(of: key) {
                #expect(!inserted && slot == s)
                bits[s] = true
            } else {
                #expect(inserted)
                if slots.count < cap {
                    slots.append(key)
                    bits.append(true)
                    #expect(slot == slots.count - 1)
                } else {
                    while bits[hand] {
                        bits[hand] = false
                        hand = (hand + 1) % cap
                    }
                    #expect(slot == hand)
                    evicted += 1
                    slots[hand] = key
                    bits[hand] = true
                    hand = (hand + 1) % cap
                }
            }
            #expect(table.states[slot] == key &* 3)
        }
        #expect(table.count == slots.count)
        #expect((0..<table.count).map { table.keys[$0] } == slots)
        for key in slots { #expect(table.find(key) != nil) }
        #expect(table.evictions == UInt64(evicted))
    }

    @Test func memoryStaysBoundedAtTheCap() {
        let table = EntityTable<CardState>(maxCount: 1000, initialCapacity: 16)
        for k in 0..<50_000 { _ = table.findOrInsert(UInt64(k) &* 0x9E37_79B9_7F4A_7C15, initial: .empty) }
        #expect(table.count == 1000)
        #expect(table.evictions == 49_000)
        #expect(table.capacity == 1000)
        #expect(table.allocatedBytes < 1000 * 200)
        #expect(MemoryLayout<CardState>.stride == 128)
        #expect(MemoryLayout<CounterpartyState>.stride == 64)
    }
}

@Suite struct PendingBufferTests {
    @Test func fifoEvictionAndLookup() {
        let buffer = PendingBuffer(capacity: 5000, denseCount: 2, sparseCount: 1)
        for k in 0..<5000 {
            if buffer.isFull { _ = buffer.removeOldest() }
            let p = buffer.append(txKey: UInt64(k + 1), time: Int64(k), eventTime: Int64(k), cardKey: 1, terminalKey: 2, merchantKey: 3).position
            buffer.denseRow(p)[0] = Float(k)
        }
        for k in 5000..<12_000 {
            if buffer.isFull { _ = buffer.removeOldest() }
            let p = buffer.append(txKey: UInt64(k + 1), time: Int64(k), eventTime: Int64(k), cardKey: 1, terminalKey: 2, merchantKey: 3).position
            buffer.denseRow(p)[0] = Float(k)
        }
        #expect(buffer.count == 5000)
        #expect(buffer.find(UInt64(6999 + 1)) == nil)  // evicted
        for k in stride(from: 7000, to: 12_000, by: 37) {
            let p = buffer.find(UInt64(k + 1))
            #expect(p != nil)
            if let p { #expect(buffer.denseRow(p)[0] == Float(k)) }
        }
        #expect(buffer.times[buffer.position(ofAge: 0)] == 7000)
    }

    @Test func duplicateIDPointsAtTheNewerEntry() {
        let buffer = PendingBuffer(capacity: 4, denseCount: 1, sparseCount: 1)
        let a = buffer.append(txKey: 9, time: 0, eventTime: 0, cardKey: 1, terminalKey: 1, merchantKey: 1)
        let b = buffer.append(txKey: 9, time: 1, eventTime: 1, cardKey: 1, terminalKey: 1, merchantKey: 1)
        #expect(!a.replaced && b.replaced)
        #expect(buffer.find(9) == b.position)
        _ = buffer.removeOldest()  // the superseded one: must not unindex the newer
        #expect(buffer.find(9) == b.position)
    }
}
