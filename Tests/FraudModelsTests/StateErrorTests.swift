import Testing
import FraudModels

@Suite struct StateErrorTests {
    @Test func descriptionsAreForOperators() {
        #expect(StateError.checksumMismatch(expected: 0xDEAD_BEEF, found: 0x1).description
            == "checkpoint is corrupt: checksum mismatch (stored 0xdeadbeef, computed 0x00000001; file truncated or damaged)")
        #expect(StateError.truncated(offset: 42).description
            == "checkpoint is corrupt: data ends early at byte 42 (file truncated or damaged)")
        #expect(StateError.badMagic.description.contains("not a FraudStream state file"))
        let version = StateError.unsupportedVersion(found: 9, supported: [1, 2]).description
        #expect(version.contains("version 9") && version.contains("supported: 1, 2"))
        #expect(StateError.corrupt("bad count").description == "checkpoint is corrupt: bad count")
    }
}
