// Fuzzes `Safetensors.decode`. Any byte string must either throw a `Safetensors.Error` or
// decode to tensors whose sizes agree with their shapes and that survive an encode/decode round
// trip bit for bit (F16/BF16 come back as the F32 they were widened to).
//
// Each input is decoded twice: as is, and with its 8-byte header length wrapped into the file's
// size, so that mutations of the JSON header are not all stopped by the length check.
import Foundation
import FuzzDriver
import LoomNN

func check(_ data: Data) {
    let tensors: [String: Tensor]
    do {
        (tensors, _) = try Safetensors.decode(data, path: "fuzz.safetensors")
    } catch is Safetensors.Error {
        return
    } catch {
        fatalError("Safetensors.decode threw an untyped error: \(error)")
    }
    for (name, t) in tensors {
        // Strides multiply every dimension, so a shape whose product overflows must be refused.
        _ = t.strides
        let count = t.shape.reduce(1, *)
        let stored = t.dtype == .float64 ? t.doubleScalars.count : t.scalars.count
        require(stored == count, "'\(name)': shape \(t.shape) but \(stored) scalars")
    }
    let again: [String: Tensor]
    do {
        (again, _) = try Safetensors.decode(Safetensors.encode(tensors), path: "round-trip")
    } catch {
        fatalError("Loom cannot read back what it wrote: \(error)")
    }
    require(Set(again.keys) == Set(tensors.keys), "round trip changed the names")
    for (name, t) in tensors {
        let u = again[name]!
        require(u.shape == t.shape && u.dtype == t.dtype, "'\(name)': round trip changed shape or dtype")
        let same = t.dtype == .float64
            ? u.doubleScalars.map(\.bitPattern) == t.doubleScalars.map(\.bitPattern)
            : u.scalars.map(\.bitPattern) == t.scalars.map(\.bitPattern)
        require(same, "'\(name)': round trip changed the values")
    }
}

runFuzzer { data in
    check(data)
    guard data.count > 8 else { return }
    var repaired = data
    let length = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    let wrapped = length % UInt64(data.count - 7)
    withUnsafeBytes(of: wrapped.littleEndian) { repaired.replaceSubrange(0..<8, with: $0) }
    check(repaired)
}
