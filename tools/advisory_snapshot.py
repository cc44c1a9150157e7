#!/usr/bin/env python3
"""advisory_snapshot.py — checks on the advisory snapshot in supply-chain/advisory-db/
(docs/supply-chain.md), for scripts/deny.sh.

  locked             the crates.io crates of Cargo.lock, one a line (checked-crates.txt's form)
  unchecked          crates of Cargo.lock that are not in checked-crates.txt (one a line)
  age                days since the snapshot's `checked` date
  diff REAL_DB       advisories of Cargo.lock's crates in a real RustSec clone that the snapshot
                     lacks or carries with other version ranges, and snapshot entries the real
                     database no longer has; exit 1 when there is any
"""
import datetime
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "supply-chain" / "advisory-db"


def locked_crates():
    lock = tomllib.loads((ROOT / "Cargo.lock").read_text(encoding="utf-8"))
    return sorted(
        {p["name"] for p in lock["package"] if p.get("source", "").startswith("registry+")}
    )


def front_matter(path):
    """The advisory's TOML block (between ```toml and ```), parsed."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r"```toml\n(.*?)```", text, re.S)
    if not match:
        raise SystemExit(f"{path}: no ```toml block")
    return tomllib.loads(match.group(1))


def advisories(db, crate):
    """id -> (versions, withdrawn) for one crate's directory of a database."""
    out = {}
    for path in sorted((db / "crates" / crate).glob("*.md")):
        meta = front_matter(path)
        advisory = meta.get("advisory", {})
        ident = advisory.get("id", "")
        if ident == "RUSTSEC-0000-0000":
            continue
        versions = meta.get("versions", {})
        out[ident] = (
            sorted(versions.get("patched", [])),
            sorted(versions.get("unaffected", [])),
            advisory.get("withdrawn"),
        )
    return out


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    command = argv[1]
    if command == "locked":
        print("\n".join(locked_crates()))
        return 0
    if command == "unchecked":
        checked = set((SNAPSHOT / "checked-crates.txt").read_text(encoding="utf-8").split())
        for crate in locked_crates():
            if crate not in checked:
                print(crate)
        return 0
    if command == "age":
        meta = tomllib.loads((SNAPSHOT / "SNAPSHOT.toml").read_text(encoding="utf-8"))
        checked = datetime.date.fromisoformat(meta["checked"])
        print((datetime.date.today() - checked).days)
        return 0
    if command == "diff" and len(argv) == 3:
        real = pathlib.Path(argv[2])
        differences = 0
        for crate in locked_crates():
            ours = advisories(SNAPSHOT, crate)
            theirs = advisories(real, crate)
            for ident in sorted(theirs.keys() - ours.keys()):
                print(f"missing: {crate} {ident}")
                differences += 1
            for ident in sorted(ours.keys() - theirs.keys()):
                print(f"gone upstream: {crate} {ident}")
                differences += 1
            for ident in sorted(ours.keys() & theirs.keys()):
                if ours[ident] != theirs[ident]:
                    print(f"changed: {crate} {ident} (versions or withdrawal)")
                    differences += 1
        return 1 if differences else 0
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
