import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Replacing a file's contents atomically: write a temporary file in the same directory,
/// flush it, then `rename(2)` it over the destination (atomic within one file system).
enum AtomicFile {
    /// Makes `url` contain exactly `data`.
    ///
    /// - Throws: ``PlotWriteError`` with the destination path and the system's reason.
    static func replace(_ url: URL, with data: Data) throws(PlotWriteError) {
        guard url.isFileURL else { throw .notAFileURL(url.absoluteString) }
        let path = url.path(percentEncoded: false)
        let directory = url.deletingLastPathComponent().path(percentEncoded: false)
        let separator = directory.hasSuffix("/") ? "" : "/"
        let temporary = directory + separator + "." + url.lastPathComponent + ".tmp-" + UUID().uuidString

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: lastErrorText()) }

        var failure = writeAll(data, to: descriptor)
        if failure == nil, fsync(descriptor) != 0 { failure = lastErrorText() }
        if close(descriptor) != 0, failure == nil { failure = lastErrorText() }
        if let failure {
            unlink(temporary)
            throw .cannotWrite(path: path, reason: failure)
        }
        if rename(temporary, path) != 0 {
            let reason = lastErrorText()
            unlink(temporary)
            throw .cannotReplace(path: path, reason: reason)
        }
    }

    /// Writes every byte, retrying short writes and interrupted calls; the error text or `nil`.
    private static func writeAll(_ data: Data, to descriptor: Int32) -> String? {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> String? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return lastErrorText()
                }
                offset += written
            }
            return nil
        }
    }

    private static func lastErrorText() -> String {
        String(cString: strerror(errno))
    }
}
