import ArgumentParser
import FraudEngine
import FraudPipeline
import Foundation

/// `fraudstream checkpoint list|inspect`: the live processor's checkpoint files.
struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "List and inspect checkpoint files (engine state + input offsets).",
        discussion: """
            A checkpoint directory holds checkpoint-<sequence>.ckpt files, each the whole \
            engine state plus the input offsets it covers, with a CRC-32C over the file. \
            `list` shows every file, newest first, with its metadata or why it cannot be used; \
            `inspect` shows one in full and restores its engine to report what it holds.
            """,
        subcommands: [List.self, Inspect.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the checkpoints of a directory, newest first.")

        @Option(help: ArgumentHelp("Checkpoint directory.", valueName: "path"))
        var dir: String

        func run() async throws {
            guard FileManager.default.fileExists(atPath: dir) else {
                throw CommandFailure("checkpoint list: no directory \(dir)")
            }
            let entries: [CheckpointStore.Entry]
            do {
                entries = try CheckpointStore(directory: dir).entries()
            } catch {
                throw CommandFailure("checkpoint list: \(error)")
            }
            guard !entries.isEmpty else {
                print("no checkpoints in \(dir)")
                return
            }
            print("sequence  created (UTC)             state version  event time                 partitions  size       kind              status")
            for entry in entries {
                let size = "\(entry.size) B"
                switch entry.checkpoint {
                case .success(let c):
                    print(
                        pad(String(c.sequence), 10) + pad(RFC3339.format(c.createdAt), 26) + pad(String(c.stateVersion), 15)
                            + pad(c.eventTime.map(RFC3339.format) ?? "-", 27) + pad(String(c.offsets.count), 12)
                            + pad(size, 11) + pad(c.base.map { "incremental/\($0.sequence)" } ?? "full", 18) + "ok")
                case .failure(let error):
                    print(pad(String(entry.sequence), 10) + pad("-", 26) + pad("-", 15) + pad("-", 27) + pad("-", 12) + pad(size, 11) + pad("-", 18) + "UNUSABLE: \(error)")
                }
            }
        }
    }

    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Show one checkpoint: metadata, offsets, and what its engine holds.",
            discussion: "Give a file, or --dir for the newest valid checkpoint there (or --sequence N of it).")

        @Argument(help: ArgumentHelp("A checkpoint file.", valueName: "file"))
        var file: String?

        @Option(help: ArgumentHelp("Checkpoint directory (instead of a file).", valueName: "path"))
        var dir: String?

        @Option(help: "With --dir: this sequence instead of the newest valid one.")
        var sequence: UInt64?

        func validate() throws {
            guard (file == nil) != (dir == nil) else { throw ValidationError("give a checkpoint file or --dir, not both") }
            if sequence != nil, dir == nil { throw ValidationError("--sequence needs --dir") }
        }

        func run() async throws {
            let loaded: (checkpoint: ProcessorCheckpoint, path: String)
            do {
                loaded = try ReplaySetup.checkpoint(file: file, directory: dir, sequence: sequence)!
            } catch let failure as CommandFailure {
                throw CommandFailure("checkpoint inspect: \(failure)")
            }
            let (checkpoint, path) = loaded
            print("file           \(path)")
            print("sequence       \(checkpoint.sequence)")
            print("created        \(RFC3339.format(checkpoint.createdAt))")
            print("group          \(checkpoint.groupID)")
            print("run            \(checkpoint.run.isEmpty ? "- (format 1: written before runs were recorded)" : checkpoint.run)")
            print("state version  \(checkpoint.stateVersion) (events applied)")
            print("event time     \(checkpoint.eventTime.map(RFC3339.format) ?? "-")")
            print("model          \(checkpoint.modelVersion)-v\(checkpoint.stateVersion)")
            if let base = checkpoint.base {
                print("kind           incremental: what changed since checkpoint \(base.sequence) (run \(base.run), state version \(base.stateVersion))")
            } else {
                print("kind           full")
            }
            print("offsets        next offset to process, per input partition:")
            for (tp, offset) in checkpoint.sortedOffsets { print("  \(tp.topic)[\(tp.partition)]  \(offset)") }
            do {
                let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
                let store = CheckpointStore(directory: directory)
                let chain = try store.chain(endingWith: checkpoint)
                let engine = try store.restoreEngine(chain: chain)
                let s = engine.statistics
                print("engine state   \(checkpoint.engineStateBytes.count) bytes\(chain.count > 1 ? " (rebuilt from full checkpoint \(chain[0].sequence) and \(chain.count - 1) incremental ones)" : "")")
                print("  transactions scored  \(s.transactionsScored)")
                print("  labels learned       fraud \(s.labelsLearnedFraud), legitimate \(s.labelsLearnedLegitimate), unknown transaction \(s.labelsUnknownTransaction)")
                print("  active entities      cards \(s.activeCards), terminals \(s.activeTerminals), merchants \(s.activeMerchants)")
                print("  pending labels       \(s.pendingCount) transactions awaiting a label")
            } catch {
                throw CommandFailure("checkpoint inspect: the engine state does not restore: \(error)")  // the error names the file
            }
        }
    }
}

/// `text` left-aligned in `width` columns (at least one space after it).
private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}
