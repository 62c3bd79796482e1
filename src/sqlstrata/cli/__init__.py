"""The command line: click commands (wiring only), formatting, and the Reporter that prints."""
