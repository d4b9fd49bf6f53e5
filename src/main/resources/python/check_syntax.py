# Reads a JSON list of Python sources on stdin; prints a JSON list with, for each, null when it
# parses or the SyntaxError message. Only ast.parse: nothing is executed.
import ast
import json
import sys

results = []
for source in json.load(sys.stdin):
    try:
        ast.parse(source)
        results.append(None)
    except (SyntaxError, ValueError) as e:
        results.append(f"{type(e).__name__}: {e}")
json.dump(results, sys.stdout)
