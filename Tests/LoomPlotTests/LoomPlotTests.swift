import LoomPlot
