import Foundation
import LoomTestSupport
import Testing
@testable import LoomNN

/// Every file in `BadInputs/` (hand-made corrupt files and inputs the fuzzer crashed on, see
/// `Fuzz/README.md`) must make `Safetensors.read` throw a `Safetensors.Error` naming the file and
/// saying what is wrong — never crash, never return tensors.
@Suite("Safetensors: bad-input corpus")
struct SafetensorsBadInputTests {
    /// The message fragment each file must produce. A new file in the folder needs an entry here.
    static let expected: [String: String] = [
        "empty.safetensors": "0 bytes, the 8-byte header length is missing",
        "length_truncated.safetensors": "3 bytes, the 8-byte header length is missing",
        "header_claims_1tb.safetensors": "header length 1099511627776 exceeds the 100000000-byte limit",
        "header_past_end.safetensors": "header claims 200 bytes, file has 19 after the length",
        "header_garbled.safetensors": "malformed safetensors header: not valid JSON",
        "header_not_utf8.safetensors": "malformed safetensors header: not valid JSON",
        "header_too_deep.safetensors": "malformed safetensors header: not valid JSON",
        "header_not_object.safetensors": "malformed safetensors header: expected a JSON object",
        "byte_length_disagrees_with_shape.safetensors": "tensor 'w': shape [2, 2] of F32 needs 16 bytes, the file gives 8",
        "data_past_end.safetensors": "tensor 'w' spans bytes 0..<16 but the data section has 8",
        "offsets_reversed.safetensors": "tensor 'w' spans bytes 8..<4",
        "offset_negative.safetensors": "tensor 'w': invalid data offset -4",
        "offsets_missing.safetensors": "tensor 'w': expected {dtype, shape, data_offsets: [begin, end]}",
        "tensor_entry_not_object.safetensors": "tensor 'w': expected {dtype, shape, data_offsets: [begin, end]}",
        "dimension_negative.safetensors": "tensor 'w': invalid dimension -1 in shape",
        "dimension_fractional.safetensors": "tensor 'w': invalid dimension 1.5 in shape",
        "shape_overflows.safetensors": "tensor 'w': shape [2147483647, 2147483647, 2147483647, 2147483647, 2147483647] is too large",
        "shape_claims_1tb.safetensors": "tensor 'w' spans bytes 0..<1099511627776 but the data section has 4",
        "unsupported_dtype.safetensors": "tensor 'w' has dtype I64; Loom reads F32, F64, F16 and BF16",
        "metadata_not_object.safetensors": "__metadata__ is not an object",
        "metadata_value_not_string.safetensors": "__metadata__ value for 'epoch' is not a string",
        "real_file_cut_in_half.safetensors": "truncated safetensors file",
        "fuzz_zero_dimension_hides_overflow.safetensors": "tensor 'z': shape [0, 2147483647, 2147483647, 2147483647] is too large",
    ]

    static func badInputs() throws -> [URL] { try BadInputFolder.files(in: .module) }

    @Test func everyFileHasAnExpectedMessage() throws {
        BadInputFolder.expectCoverage(try Self.badInputs(), Self.expected, atLeast: 20)
    }

    @Test(arguments: try badInputs())
    func badFileThrowsDescriptiveError(_ url: URL) throws {
        let name = url.lastPathComponent
        let error = try #require(throws: Safetensors.Error.self) { try Safetensors.read(url) }
        let message = error.description
        #expect(message.hasPrefix(url.path + ": "), "the message names the file: \(message)")
        if let fragment = Self.expected[name] {
            #expect(message.contains(fragment), "\(name): \(message)")
        }
    }
}
