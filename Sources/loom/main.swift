import LoomCLI
LoomCommand.main()
