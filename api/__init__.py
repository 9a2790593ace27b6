"""The outer layer: how people and other systems reach Thucthi (HTTP, command line, demo)."""
