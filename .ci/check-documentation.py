#!/usr/bin/env python3
"""Builds the DocC documentation of every library target with warnings as errors, then checks that
every public symbol of the checked targets (TARGETS) has a summary (DocC's documentation coverage), leaving out
what the compiler synthesizes or the standard library documents (==, hash(into:), rawValue, …).

  python3 .ci/check-documentation.py        exit 0 when complete, 1 with the list otherwise
"""
import subprocess, sys

TARGETS = ["Autograd", "Baifs", "Configuration", "Runs", "Sweeps", "Inspection"]
CATALOGS = TARGETS
SYNTHESIZED = {"!=(_:_:)", "==(_:_:)", "hash(into:)", "hashValue", "init(rawValue:)", "rawValue", "init(from:)",
               "encode(to:)", "allCases", "RawValue", "AllCases", "localizedDescription", "next()", "next(upperBound:)"}

def run(arguments):
    result = subprocess.run(["swift", "package", "generate-documentation"] + arguments, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stdout.write(result.stdout + result.stderr)
        sys.exit(f"check-documentation: swift package generate-documentation {' '.join(arguments)} failed")
    return result.stdout + result.stderr

run(sum((["--target", target] for target in CATALOGS), []) + ["--warnings-as-errors"])
missing = []
for target in TARGETS:
    for line in run(["--target", target, "--experimental-documentation-coverage",
                     "--coverage-summary-level", "detailed"]).splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        # Extensions of other modules' types have pages but no comments; their members are checked.
        if len(cells) < 8 or cells[6] != "Swift" or cells[1] in ("CollectionGroup", "Article") or cells[1].startswith("Extended"):
            continue
        name, kind, has_abstract, reference = cells[0], cells[1], cells[2], cells[7]
        if has_abstract == "false" and name not in SYNTHESIZED:
            missing.append(f"{kind}: {reference.replace('doc://', '')}")
if missing:
    print("\n".join(sorted(set(missing))))
    sys.exit(f"check-documentation: {len(set(missing))} public symbols have no documentation")
print(f"check-documentation: {', '.join(CATALOGS)} build without warnings; {', '.join(TARGETS)} document every public symbol")
