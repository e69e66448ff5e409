import Foundation
import Testing

@testable import FraudIO


@Suite struct NDJSONFileReaderTests {
    func readAll(_ reader: NDJSONFileReader) throws -> [(String, Int)] {
        var result: [(String, Int)] = []
        try reader.forEachLine { bytes, line in
            result.append((String(decoding: bytes, as: UTF8.self), line))
        }
        return result
    }

    @Test func splitsLinesSkipsBlankOnesAndCountsThem() throws {
        let path = try writeTemporaryFile("{\"a\":1}\n\n{\"b\":2}\r\n{\"c\":3}")
        let lines = try readAll(try NDJSONFileReader(path: path))
        #expect(lines.map(\.0) == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
        #expect(lines.map(\.1) == [1, 3, 4])
    }

    @Test func smallChunksCarryPartialLinesAndGrowForLongOnes() throws {
        var text = ""
        var expected: [String] = []
        for i in 0..<500 {
            let line = "{\"i\":\(i),\"pad\":\"" + String(repeating: "x", count: i % 37 == 0 ? 9_000 : i % 50) + "\"}"
            expected.append(line)
            text += line + "\n"
        }
        let path = try writeTemporaryFile(text)
        let reader = try NDJSONFileReader(path: path, chunkSize: 4096)
        let lines = try readAll(reader)
        #expect(lines.map(\.0) == expected)
        #expect(reader.bytesConsumed == text.utf8.count)
        #expect(reader.fileSize == text.utf8.count)
    }

    @Test func emptyFileAndMissingFile() throws {
        let path = try writeTemporaryFile("")
        #expect(try readAll(try NDJSONFileReader(path: path)).isEmpty)
        #expect(throws: FileIOError.self) { _ = try NDJSONFileReader(path: path + ".missing") }
    }
}
