// LoomOptim builds on LoomNN (modules, parameters) and LoomTensor; re-export both so that
// `import LoomOptim` is enough for a training loop.
@_exported import LoomNN
@_exported import LoomTensor
