// LoomPlot: SVG line charts and terminal sparklines.
