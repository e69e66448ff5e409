import Testing
import FraudModels

@Suite struct StateReaderTests {
    @Test func everyPrimitiveRoundTrips() throws {
        var w = StateWriter()
        w.writeUInt8(200)
        w.writeUInt16(65_000)
        w.writeUInt32(4_000_000_000)
        w.writeUInt64(.max - 3)
        w.writeInt32(-123)
        w.writeInt64(.min)
        w.writeDouble(-0.0)
        w.writeDouble(.nan)
        w.writeDouble(.leastNonzeroMagnitude)
        w.writeFloat(3.5)
        w.writeBool(false)
        w.writeBool(true)
        w.writeString("kártya 💳")
        w.writeBytes([1, 2, 3])
        w.writeDoubles([1.5, -2.25, .infinity])
        w.writeFloats([0.1, 0.2])
        w.writeUInt32s([1, 2, 3, 4])
        w.writeRaw([0xEE])

        var r = StateReader(w.bytes)
        #expect(try r.readUInt8() == 200)
        #expect(try r.readUInt16() == 65_000)
        #expect(try r.readUInt32() == 4_000_000_000)
        #expect(try r.readUInt64() == .max - 3)
        #expect(try r.readInt32() == -123)
        #expect(try r.readInt64() == .min)
        #expect(try r.readDouble().bitPattern == (-0.0).bitPattern)
        #expect(try r.readDouble().bitPattern == Double.nan.bitPattern)
        #expect(try r.readDouble() == .leastNonzeroMagnitude)
        #expect(try r.readFloat() == 3.5)
        #expect(try r.readBool() == false)
        #expect(try r.readBool() == true)
        #expect(try r.readString() == "kártya 💳")
        #expect(try r.readBytes() == [1, 2, 3])
        #expect(try r.readDoubles() == [1.5, -2.25, .infinity])
        #expect(try r.readFloats() == [0.1, 0.2])
        #expect(try r.readUInt32s(expectedCount: 4) == [1, 2, 3, 4])
        #expect(try Array(r.readRaw(count: 1)) == [0xEE])
        #expect(r.isAtEnd)
        try r.expectEnd()
    }

    @Test func truncationReportsTheOffset() throws {
        var r = StateReader([1, 2, 3, 4, 5])
        #expect(throws: Never.self) { _ = try r.readUInt32() }
        #expect(throws: StateError.truncated(offset: 4)) { _ = try r.readUInt16() }
        #expect(r.offset == 4)
        #expect(try r.readUInt8() == 5)
        #expect(throws: StateError.truncated(offset: 5)) { _ = try r.readUInt8() }
    }

    @Test func impossibleCountsFailWithoutAllocating() {
        var w = StateWriter()
        w.writeUInt64(1 << 60)  // claims 2^60 doubles
        w.writeDouble(1)
        var r = StateReader(w.bytes)
        #expect(throws: StateError.self) { _ = try r.readDoubles() }
        var r2 = StateReader(w.bytes)
        #expect(throws: StateError.self) { _ = try r2.readBytes() }
    }

    @Test func wrongExpectedCountIsCorrupt() {
        var w = StateWriter()
        w.writeDoubles([1, 2, 3])
        var r = StateReader(w.bytes)
        let error = #expect(throws: StateError.self) { _ = try r.readDoubles(expectedCount: 2) }
        guard case .corrupt = error else {
            Issue.record("expected .corrupt, got \(String(describing: error))")
            return
        }
    }

    @Test func invalidBoolAndUTF8AreCorrupt() {
        var r = StateReader([2])
        #expect(throws: StateError.self) { _ = try r.readBool() }
        var r2 = StateReader([2, 0, 0, 0, 0xC3, 0x28])
        #expect(throws: StateError.self) { _ = try r2.readString() }
    }

    @Test func trailingBytesAreReported() {
        let r = StateReader([1, 2])
        #expect(throws: StateError.self) { try r.expectEnd() }
    }

    @Test func sliceOffsetsAreFileOffsets() throws {
        let bytes: [UInt8] = [0, 0, 0, 7, 0]
        var r = StateReader(bytes[3...])
        #expect(r.offset == 3)
        #expect(try r.readUInt8() == 7)
        #expect(throws: StateError.truncated(offset: 4)) { _ = try r.readUInt16() }
    }
}
