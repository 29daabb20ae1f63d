import Foundation
import LoomTestSupport
import Testing
@testable import LoomOptim

/// Every file in `BadInputs/` must make loading or restoring a checkpoint throw a typed error that
/// says what is wrong, and leave the model as it was — never crash, never restore half. The files
/// are checkpoints of the model below (Adam + StepLR or ReduceLROnPlateau after two steps) with
/// one thing broken; `fuzz_*` ones are inputs the checkpoint fuzzer crashed on (`Fuzz/README.md`).
@Suite("Checkpoint: bad-input corpus")
struct CheckpointBadInputTests {
    static func model() -> Sequential {
        Sequential(Linear(2, 3), Tanh(), Dropout(p: 0.5, generator: Generator(seed: 1)), Linear(3, 1))
    }

    /// The message fragment each file must produce; files whose name contains `plateau` are
    /// restored with a ``ReduceLROnPlateau`` scheduler, the others with ``StepLR``.
    static let expected: [String: String] = [
        "fuzz_plateau_value_missing.ckpt": "scheduler state: missing value 'numBadEpochs'",
        "plateau_counter_nan.ckpt": "scheduler state: 'numBadEpochs' is nan, expected a whole number from 0 to 2^31 - 1",
        "plateau_counter_huge.ckpt": "scheduler state: 'cooldownCounter' is 1e+300, expected a whole number",
        "plateau_best_nan.ckpt": "scheduler state: 'best' is nan, expected a number or ±inf",
        "step_count_overflows.ckpt": "optimizer state: 'steps[0]' is 9.223372036854776e+18, expected a step count from 0 to 2^53",
        "step_count_negative.ckpt": "optimizer state: 'steps[1]' is -1.0, expected a step count from 0 to 2^53",
        "learning_rate_nan.ckpt": "optimizer state: 'groups[0].lr' is nan, expected a finite number ≥ 0",
        "weight_decay_negative.ckpt": "optimizer state: 'groups[0].weightDecay' is -1.0, expected a finite number ≥ 0",
        "scheduler_epoch_overflows.ckpt": "scheduler state: 'lastEpoch' is 9.223372036854776e+18, expected an epoch from -1 to 2^53",
        "scheduler_base_lr_infinite.ckpt": "scheduler state: 'baseLRs[0]' is inf, expected a finite learning rate ≥ 0",
        "epoch_negative.ckpt": "corrupt checkpoint: epoch -1 is negative",
        "generator_three_words.ckpt": "corrupt checkpoint: a generator state does not have 4 words",
        "version_2.ckpt": "checkpoint format version 2; this Loom reads version 1",
        "metadata_missing_field.ckpt": "corrupt checkpoint: unreadable loom.checkpoint metadata",
        "metadata_not_json.ckpt": "corrupt checkpoint: unreadable loom.checkpoint metadata",
        "optimizer_of_another_kind.ckpt": "optimizer state: saved by SGD, cannot load into Adam",
        "scheduler_of_another_kind.ckpt": "scheduler state: saved by ExponentialLR, cannot load into StepLR",
        "optimizer_group_sizes_differ.ckpt": "optimizer state: parameter groups of sizes [3] do not match this optimizer's [4]",
        "optimizer_tensors_without_state.ckpt": "corrupt checkpoint: optimizer tensors without optimizer state",
        "optimizer_buffer_wrong_shape.ckpt": "optimizer state: state.0.exp_avg has shape [6], the parameter has [3, 2]",
        "optimizer_buffer_unknown.ckpt": "optimizer state: unknown buffer state.9.exp_avg",
        "other_architecture.ckpt": "loadStateDict: size mismatch for 0.weight: the checkpoint has shape [4, 2], the model expects [3, 2]",
        "model_tensor_missing.ckpt": "loadStateDict: missing key(s) in state dict: 3.bias",
        "unknown_model_tensor.ckpt": "loadStateDict: unexpected key(s) in state dict: extra",
        "unexpected_tensor.ckpt": "corrupt checkpoint: unexpected tensor 'extra'",
        "weights_only.ckpt": "a safetensors file but not a Loom checkpoint",
        "truncated.ckpt": "truncated safetensors file",
    ]

    static func badInputs() throws -> [URL] { try BadInputFolder.files(in: .module) }

    @Test func everyFileHasAnExpectedMessage() throws {
        BadInputFolder.expectCoverage(try Self.badInputs(), Self.expected, atLeast: 20)
    }

    @Test(arguments: try badInputs())
    func badCheckpointThrowsAndChangesNothing(_ url: URL) throws {
        let name = url.lastPathComponent
        let model = Self.model()
        let optimizer = Adam(model.parameters(), lr: 0.01)
        let scheduler: any LearningRateScheduler = name.contains("plateau")
            ? ReduceLROnPlateau(optimizer, patience: 1) : StepLR(optimizer, stepSize: 2)
        let weights = model.stateDict().mapValues(\.scalars)
        var message = "no error"
        do {
            try Checkpoint.load(from: url).restore(model: model, optimizer: optimizer, scheduler: scheduler)
        } catch {
            message = "\(error)"
        }
        if let fragment = Self.expected[name] {
            #expect(message.contains(fragment), "\(name): \(message)")
        }
        #expect(model.stateDict().mapValues(\.scalars) == weights, "\(name): a failed restore changed the model")
        #expect(optimizer.paramGroups[0].lr == 0.01, "\(name): a failed restore changed the learning rate")
        #expect(optimizer.state(of: model.parameters()[0]) == nil, "\(name): a failed restore set optimizer state")
    }
}
