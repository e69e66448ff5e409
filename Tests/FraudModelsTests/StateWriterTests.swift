import Testing
import FraudModels

@Suite struct StateWriterTests {
    @Test func primitivesAreLittleEndian() {
        var w = StateWriter()
        w.writeUInt8(0xAB)
        w.writeUInt16(0x0102)
        w.writeUInt32(0x0304_0506)
        w.writeUInt64(0x0708_090A_0B0C_0D0E)
        w.writeInt64(-2)
        w.writeBool(true)
        w.writeDouble(1.0)
        w.writeFloat(-0.0)
        #expect(w.bytes == [
            0xAB, 0x02, 0x01, 0x06, 0x05, 0x04, 0x03, 0x0E, 0x0D, 0x0C, 0x0B, 0x0A, 0x09, 0x08, 0x07,
            0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
            0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0x80,
        ])
    }

    @Test func lengthPrefixes() {
        var w = StateWriter()
        w.writeString("hé")
        w.writeBytes([9, 8])
        w.writeDoubles([2.0])
        w.writeFloats([Float]())
        w.writeUInt32s([7])
        #expect(w.bytes == [
            3, 0, 0, 0, 0x68, 0xC3, 0xA9,
            2, 0, 0, 0, 0, 0, 0, 0, 9, 8,
            1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40,
            0, 0, 0, 0, 0, 0, 0, 0,
            1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0,
        ])
        #expect(w.count == w.bytes.count)
    }
}
