import Foundation

/// Reading and writing the safetensors format (the one `safetensors.torch.save_file` writes):
/// an 8-byte little-endian header length N, N bytes of JSON
/// `{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}`,
/// then the raw little-endian tensor bytes. F32 and F64 load as such; F16 and BF16 are converted to
/// Float32 on load. Every offset and size is checked before any byte is read.
public enum Safetensors {
    /// Largest header accepted (the format's reference implementation uses 100 MB).
    public static let maxHeaderBytes = 100_000_000

    public enum Error: Swift.Error, CustomStringConvertible, Equatable {
        case unreadable(path: String, reason: String)
        case truncated(path: String, detail: String)
        case badHeader(path: String, detail: String)
        case badTensor(path: String, name: String, detail: String)
        case unsupportedDType(path: String, name: String, dtype: String)
        case unwritable(path: String, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let p, let r): return "\(p): cannot read safetensors file: \(r)"
            case .truncated(let p, let d): return "\(p): truncated safetensors file: \(d)"
            case .badHeader(let p, let d): return "\(p): malformed safetensors header: \(d)"
            case .badTensor(let p, let n, let d): return "\(p): tensor '\(n)': \(d)"
            case .unsupportedDType(let p, let n, let t):
                return "\(p): tensor '\(n)' has dtype \(t); Loom reads F32, F64, F16 and BF16"
            case .unwritable(let p, let r): return "\(p): cannot write safetensors file: \(r)"
            }
        }
    }

    /// Reads every tensor of a safetensors file.
    public static func read(_ url: URL) throws -> [String: Tensor] {
        try read(url, metadata: nil)
    }

    /// Reads every tensor and the `__metadata__` string map.
    public static func read(_ url: URL, metadata: UnsafeMutablePointer<[String: String]>?) throws -> [String: Tensor] {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw Error.unreadable(path: url.path, reason: (error as NSError).localizedDescription)
        }
        let (tensors, meta) = try decode(data, path: url.path)
        metadata?.pointee = meta
        return tensors
    }

    /// Decodes a safetensors byte buffer. `path` only labels errors.
    public static func decode(_ data: Data, path: String = "<memory>") throws -> ([String: Tensor], [String: String]) {
        guard data.count >= 8 else {
            throw Error.truncated(path: path, detail: "\(data.count) bytes, the 8-byte header length is missing")
        }
        let n = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(maxHeaderBytes) else {
            throw Error.badHeader(path: path, detail: "header length \(n) exceeds the \(maxHeaderBytes)-byte limit")
        }
        guard UInt64(data.count) >= 8 + n else {
            throw Error.truncated(path: path, detail: "header claims \(n) bytes, file has \(data.count - 8) after the length")
        }
        let headerData = data.subdata(in: data.startIndex + 8 ..< data.startIndex + 8 + Int(n))
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: headerData) } catch {
            throw Error.badHeader(path: path, detail: "not valid JSON")
        }
        guard let header = parsed as? [String: Any] else {
            throw Error.badHeader(path: path, detail: "expected a JSON object")
        }
        let bodyStart = data.startIndex + 8 + Int(n)
        let bodyCount = data.count - 8 - Int(n)
        var meta: [String: String] = [:]
        var out: [String: Tensor] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw Error.badHeader(path: path, detail: "__metadata__ is not an object") }
                for (k, v) in m {
                    guard let s = v as? String else { throw Error.badHeader(path: path, detail: "__metadata__ value for '\(k)' is not a string") }
                    meta[k] = s
                }
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shapeAny = entry["shape"] as? [Any], let offsetsAny = entry["data_offsets"] as? [Any],
                  offsetsAny.count == 2 else {
                throw Error.badTensor(path: path, name: name, detail: "expected {dtype, shape, data_offsets: [begin, end]}")
            }
            let shape = try shapeAny.map { v -> Int in
                guard let i = v as? Int, i >= 0, i <= Int(Int32.max) else {
                    throw Error.badTensor(path: path, name: name, detail: "invalid dimension \(v) in shape")
                }
                return i
            }
            let offsets = try offsetsAny.map { v -> Int in
                guard let i = v as? Int, i >= 0 else { throw Error.badTensor(path: path, name: name, detail: "invalid data offset \(v)") }
                return i
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin <= end, end <= bodyCount else {
                throw Error.truncated(path: path, detail: "tensor '\(name)' spans bytes \(begin)..<\(end) but the data section has \(bodyCount)")
            }
            // Bound the product of the non-zero dimensions, not just the element count: strides
            // multiply every dimension, so a zero must not hide an overflowing shape like [0, 2³¹, 2³¹, 2³¹].
            var span = 1
            for d in shape {
                let (m, overflow) = span.multipliedReportingOverflow(by: max(d, 1))
                guard !overflow, m <= 1 << 40 else { throw Error.badTensor(path: path, name: name, detail: "shape \(shape) is too large") }
                span = m
            }
            let count = shape.contains(0) ? 0 : span
            let width: Int
            switch dtype {
            case "F32": width = 4
            case "F64": width = 8
            case "F16", "BF16": width = 2
            default: throw Error.unsupportedDType(path: path, name: name, dtype: dtype)
            }
            guard end - begin == count * width else {
                throw Error.badTensor(path: path, name: name,
                                      detail: "shape \(shape) of \(dtype) needs \(count * width) bytes, the file gives \(end - begin)")
            }
            let bytes = data.subdata(in: bodyStart + begin ..< bodyStart + end)
            out[name] = bytes.withUnsafeBytes { raw -> Tensor in
                switch dtype {
                case "F64":
                    let t = Tensor(zeros: shape, dtype: .float64)
                    let p = t.storage.pointer(Double.self)
                    for i in 0..<count { p[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))) }
                    return t
                case "F32":
                    let t = Tensor(zeros: shape, dtype: .float32)
                    let p = t.storage.pointer(Float.self)
                    for i in 0..<count { p[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
                    return t
                default:
                    let t = Tensor(zeros: shape, dtype: .float32)
                    let p = t.storage.pointer(Float.self)
                    let half = dtype == "F16"
                    for i in 0..<count {
                        let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
                        p[i] = half ? HalfPrecision.float(fromHalf: bits) : HalfPrecision.float(fromBFloat16: bits)
                    }
                    return t
                }
            }
        }
        return (out, meta)
    }

    /// Storage format for ``write(_:to:metadata:format:)``.
    public enum Format: Sendable { case native, float16, bfloat16 }

    /// Encodes tensors as safetensors bytes (tensors sorted by name; F32/F64 as stored, or
    /// converted to F16/BF16 when `format` asks).
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:], format: Format = .native) -> Data {
        let names = tensors.keys.sorted()
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var body = Data()
        for name in names {
            let t = tensors[name]!
            let begin = body.count
            let dtype: String
            switch (format, t.dtype) {
            case (.float16, _):
                dtype = "F16"
                for b in t.halfBits() { withUnsafeBytes(of: b.littleEndian) { body.append(contentsOf: $0) } }
            case (.bfloat16, _):
                dtype = "BF16"
                for v in t.scalars { withUnsafeBytes(of: HalfPrecision.bfloat16Bits(v).littleEndian) { body.append(contentsOf: $0) } }
            case (.native, .float32):
                dtype = "F32"
                for v in t.scalars { withUnsafeBytes(of: v.bitPattern.littleEndian) { body.append(contentsOf: $0) } }
            case (.native, .float64):
                dtype = "F64"
                for v in t.doubleScalars { withUnsafeBytes(of: v.bitPattern.littleEndian) { body.append(contentsOf: $0) } }
            }
            header[name] = ["dtype": dtype, "shape": t.shape, "data_offsets": [begin, body.count]] as [String: Any]
        }
        var json = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) ?? Data("{}".utf8)
        // Pad the header with spaces so the data section starts 8-byte aligned (as the reference does).
        while (8 + json.count) % 8 != 0 { json.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(body)
        return out
    }

    /// Writes tensors to `url` atomically (temporary file in the same folder, then rename).
    public static func write(_ tensors: [String: Tensor], to url: URL, metadata: [String: String] = [:],
                             format: Format = .native) throws {
        let data = encode(tensors, metadata: metadata, format: format)
        do { try data.write(to: url, options: .atomic) } catch {
            throw Error.unwritable(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }
}

extension Module {
    /// Saves the state dict as safetensors (PyTorch-compatible names).
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try Safetensors.write(stateDict(), to: url, metadata: metadata)
    }

    /// Loads a safetensors state dict saved by Loom or by `safetensors.torch.save_file`.
    public func load(from url: URL, strict: Bool = true) throws {
        try loadStateDict(Safetensors.read(url), strict: strict)
    }
}
