"""CLI subcommands, one module each; every module exports a click object named `command`."""
