import Foundation
import LoomNN
import LoomTensor

extension ForecastEnsemble {
    /// Writes every member's weights (prefixed `member0.`, `member1.`, …), their configurations
    /// and fitted transforms, the options, the selection report, the interval scales and the
    /// history to one safetensors file (`extraMetadata` joins the metadata).
    public func save(to url: URL, extraMetadata: [String: String] = [:]) throws {
        var tensors: [String: Tensor] = [:]
        var memberInfo: [MemberInfo] = []
        for (i, m) in members.enumerated() {
            for (name, t) in m.model.stateDict() { tensors["member\(i).\(name)"] = t }
            memberInfo.append(MemberInfo(config: m.config, transform: try m.fittedTransform()))
        }
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONEncoder.sorted.encode(value), as: UTF8.self) }
        var meta = extraMetadata
        meta["loom.format"] = Self.format
        meta["loom.options"] = try json(options)
        meta["loom.members"] = try json(memberInfo)
        meta["loom.selection"] = try json(selection)
        meta["loom.intervalScales"] = try json(intervalScales)
        meta["loom.history"] = try json(history)
        try Safetensors.write(tensors, to: url, metadata: meta)
    }

    static let format = "forecast-ensemble/1"

    /// Whether a file's metadata says it holds an ensemble (else it may be a single
    /// ``Forecaster``).
    public static func isEnsembleFile(metadata: [String: String]) -> Bool { metadata["loom.format"] == format }

    /// Reads a file written by ``save(to:extraMetadata:)``.
    public static func load(from url: URL) throws -> ForecastEnsemble {
        var meta: [String: String] = [:]
        let tensors = try Safetensors.read(url, metadata: &meta)
        let path = url.path
        guard meta["loom.format"] == format else {
            throw ForecastError.badModelFile(path: path, reason: "missing loom.format = \(format) metadata (found \(meta["loom.format"] ?? "none"))")
        }
        func decode<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
            guard let text = meta[key], let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else {
                throw ForecastError.badModelFile(path: path, reason: "metadata \(key) is missing or malformed")
            }
            return value
        }
        let options = try decode(AutoForecastOptions.self, "loom.options")
        let info = try decode([MemberInfo].self, "loom.members")
        guard !info.isEmpty else { throw ForecastError.badModelFile(path: path, reason: "the file holds no members") }
        let history = try decode([Double].self, "loom.history")
        var members: [Forecaster] = []
        for (i, m) in info.enumerated() {
            let f = try Forecaster(config: m.config)
            let prefix = "member\(i)."
            var own: [String: Tensor] = [:]
            for (name, t) in tensors where name.hasPrefix(prefix) { own[String(name.dropFirst(prefix.count))] = t }
            do { try f.model.loadStateDict(own) } catch {
                throw ForecastError.badModelFile(path: path, reason: "member \(i): \(error)")
            }
            f.model.eval()
            f.transform = m.transform
            f.history = history
            members.append(f)
        }
        return ForecastEnsemble(options: options, members: members, selection: try decode(SelectionReport.self, "loom.selection"),
                                intervalScales: try decode([Double].self, "loom.intervalScales"), history: history)
    }

    private struct MemberInfo: Codable {
        let config: ForecasterConfig
        let transform: FittedTransform
    }
}
