import LoomCLI

LoomCommand.runFromCommandLine()
