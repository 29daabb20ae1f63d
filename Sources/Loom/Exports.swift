// `import Loom` brings the whole library: tensors, layers, optimizers, data and plots.
@_exported import LoomTensor
@_exported import LoomNN
@_exported import LoomOptim
@_exported import LoomData
@_exported import LoomPlot
@_exported import LoomTasks
