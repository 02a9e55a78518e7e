from postctl.cli import entry

entry()
