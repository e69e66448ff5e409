/// Minimal JSON text helpers for the simulator's own truth and summary files (transactions
/// and labels are written by FraudEngine's encoders).
enum JSONText {
    static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in value.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    static func appendKey(_ key: String, to out: inout [UInt8], first: Bool = false) {
        if !first { out.append(0x2C) }
        appendString(key, to: &out)
        out.append(0x3A)
    }

    static func appendRaw(_ text: String, to out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }
}
