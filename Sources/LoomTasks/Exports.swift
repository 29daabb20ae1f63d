// LoomTasks: ready-made pipelines (forecasting, character language models) on the Loom stack.
@_exported import LoomNN
@_exported import LoomOptim
@_exported import LoomData
