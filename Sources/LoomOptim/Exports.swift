@_exported import LoomTensor
