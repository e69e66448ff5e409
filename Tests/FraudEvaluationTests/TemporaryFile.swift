import Foundation

/// Writes `contents` to a new file in a fresh temporary directory and returns its path.
func writeTemporaryFile(_ contents: String, name: String = "input.ndjson") throws -> String {
    let directory = NSTemporaryDirectory() + "fraudeval-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = directory + "/" + name
    try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
    return path
}
