"""The command line, `thucthi`: one entry point for every command, and the demo year it loads."""
