#!/usr/bin/env python3
"""Writes the option reference of docs/cli.md (between its `<!-- options:begin -->` and
`<!-- options:end -->` markers) from the binary's own description of its commands
(`packet-path --experimental-dump-help`), so the page lists every option the binary takes.

usage: cli-reference.py BINARY [--check]
  --check: exit 1, naming the difference, when docs/cli.md is not what the binary describes.
"""
import json
import subprocess
import sys

BEGIN, END = "<!-- options:begin -->", "<!-- options:end -->"


def names(argument):
    parts = []
    for name in argument.get("names", []):
        parts.append(("-" if name["kind"] == "short" else "--") + name["name"])
    if argument["kind"] == "positional":
        parts.append("<" + argument.get("valueName", "value") + ">")
    elif argument["kind"] == "option":
        parts[-1] += " <" + argument.get("valueName", "value") + ">"
    return ", ".join(parts)


def cell(text):
    return " ".join(text.split()).replace("|", "\\|")


def reference(binary):
    dump = json.loads(subprocess.run([binary, "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout)
    lines = []
    for command in dump["command"]["subcommands"]:
        if not command.get("shouldDisplay", True) or command["commandName"] == "help":
            continue
        lines += ["", f"### `packet-path {command['commandName']}`", "", cell(command.get("abstract", "")), "",
                  "| option | what | default |", "|---|---|---|"]
        for argument in command.get("arguments", []):
            if not argument.get("shouldDisplay", True) or argument.get("preferredName", {}).get("name") in ("help", "version"):
                continue
            what = cell(argument.get("abstract", ""))
            if argument.get("allValues"):
                what += " Values: " + ", ".join(argument["allValues"]) + "."
            if argument.get("isRepeating"):
                what += " Repeatable."
            default = argument.get("defaultValue")
            lines.append(f"| `{cell(names(argument))}` | {what} | {('`' + cell(default) + '`') if default else ''} |")
    return "\n".join(lines) + "\n"


def main():
    binary, check = sys.argv[1], "--check" in sys.argv[2:]
    page = open("docs/cli.md").read()
    start, end = page.index(BEGIN) + len(BEGIN), page.index(END)
    wanted = page[:start] + "\n" + reference(binary) + page[end:]
    if check:
        if wanted != page:
            sys.exit("docs/cli.md does not list the binary's options as they are: run python3 scripts/cli-reference.py " + binary)
        return
    open("docs/cli.md", "w").write(wanted)


if __name__ == "__main__":
    main()
