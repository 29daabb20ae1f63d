import Foundation
import LoomTestSupport
import Testing
@testable import LoomNN

@Suite("Safetensors: PyTorch interoperability and corrupt files")
struct SafetensorsTests {
    static func fixtureURL(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)!
    }

    /// The tensors `scripts/fixtures/safetensors_io.py` expects in loom_written.safetensors.
    static func loomTensors() -> [String: Tensor] {
        ["weight": (Tensor.arange(12).reshape([3, 4]) - 5.5) / 4,
         "bias": Tensor.arange(3, dtype: .float64) * 0.25 - 1,
         "scalar": Tensor(Float(2.5))]
    }

    @Test func readsFilesWrittenByPyTorch() throws {
        var meta: [String: String] = [:]
        let loaded = try Safetensors.read(Self.fixtureURL("torch_written.safetensors"), metadata: &meta)
        let expected = try Fixture(url: Self.fixtureURL("torch_written.json"))
        #expect(Set(loaded.keys) == Set(expected.entries.keys))
        for name in expected.entries.keys {
            expectClose(loaded[name], expected.double(name), atol: 1e-12, rtol: 0, name)
        }
        #expect(loaded["f64"]?.dtype == .float64)
        #expect(loaded["f16"]?.dtype == .float32)
        #expect(loaded["zero_d"]?.shape == [])
        #expect(loaded["empty"]?.shape == [0, 4])
        #expect(meta["source"] == "loom fixtures")
    }

    /// The committed loom_written.safetensors was checked by PyTorch (safetensors_io.py);
    /// Loom's encoder must keep producing exactly those bytes.
    @Test func loomWrittenFileIsStable() throws {
        let data = Safetensors.encode(Self.loomTensors())
        if ProcessInfo.processInfo.environment["LOOM_WRITE_FIXTURES"] == "1" {
            let dest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/loom_written.safetensors")
            try data.write(to: dest)
        }
        let url = Self.fixtureURL("loom_written.safetensors")
        #expect(try Data(contentsOf: url) == data)
    }

    @Test(arguments: [Safetensors.Format.native, .float16, .bfloat16])
    func roundTrip(format: Safetensors.Format) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loom-rt-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let tensors = Self.loomTensors()
        try Safetensors.write(tensors, to: url, metadata: ["k": "v"], format: format)
        let back = try Safetensors.read(url)
        for (name, t) in tensors {
            // Every value here is exactly representable in F16 and BF16.
            expectClose(back[name], t, atol: 0, rtol: 0, name)
        }
    }

    @Test func corruptFilesThrowDescriptiveErrors() throws {
        let good = Safetensors.encode(Self.loomTensors())
        func message(_ data: Data) -> String {
            do { _ = try Safetensors.decode(data, path: "x.safetensors"); return "no error" } catch { return "\(error)" }
        }
        #expect(message(Data([1, 2, 3])).contains("8-byte header length is missing"))
        #expect(message(good.prefix(20)).contains("header claims"))
        #expect(message(good.dropLast(4)).contains("truncated"))
        var huge = good
        huge.replaceSubrange(0..<8, with: [0, 0, 0, 0, 0, 1, 0, 0])
        #expect(message(huge).contains("exceeds"))
        var garbled = good
        garbled[9] = UInt8(ascii: "!")
        #expect(message(garbled).contains("not valid JSON"))
        let header = #"{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,8]}}"#
        var wrongSize = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { wrongSize.append(contentsOf: $0) }
        wrongSize.append(Data(header.utf8)); wrongSize.append(Data(count: 8))
        #expect(message(wrongSize).contains("needs 16 bytes, the file gives 8"))
        let intHeader = #"{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#
        var ints = Data()
        withUnsafeBytes(of: UInt64(intHeader.utf8.count).littleEndian) { ints.append(contentsOf: $0) }
        ints.append(Data(intHeader.utf8)); ints.append(Data(count: 8))
        #expect(message(ints).contains("dtype I64"))
        #expect(throws: Safetensors.Error.self) { try Safetensors.read(URL(fileURLWithPath: "/nonexistent/file.safetensors")) }
    }
}
