"""Reduce cyclonedx-py's SBOM of the bundle's build environment to what is inside the bundle.

    python packaging/sbom.py ENVIRONMENT.cdx.json packaging/requirements/runtime-OS.txt OUT.cdx.json

``cyclonedx-py environment`` describes every distribution installed in .venv-bundle, which also
holds the build tools (cyclonedx-bom and its dependencies, PyInstaller's hooks). The bundle
contains the runtime lock's distributions and PyInstaller's bootloader: those components are
kept (each checked against its locked version), with the dependency graph between them;
the root component gets claimcoder's version and the commit the bundle was built from.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bundle_config  # noqa: E402
import lock  # noqa: E402


def reduce(bom: dict, runtime_pins: dict[str, str]) -> dict:
    keep = {**runtime_pins}
    components = []
    for component in bom.get("components", []):
        name = lock.normalise(component["name"])
        if name in keep or name == "pyinstaller":
            if name in keep and component.get("version") != keep[name]:
                raise SystemExit(f"sbom: {name} {component.get('version')} is installed, the lock pins {keep[name]}")
            components.append(component)
    missing = set(keep) - {lock.normalise(c["name"]) for c in components}
    if missing:
        raise SystemExit(f"sbom: locked but not installed: {', '.join(sorted(missing))}")
    root = bom["metadata"]["component"]
    refs = {c["bom-ref"] for c in components} | {root["bom-ref"]}
    bom["components"] = sorted(components, key=lambda c: lock.normalise(c["name"]))
    bom["dependencies"] = [
        {**d, "dependsOn": [r for r in d.get("dependsOn", []) if r in refs]}
        for d in bom.get("dependencies", []) if d["ref"] in refs
    ]
    info = bundle_config.build_info()
    root["version"] = bundle_config.version()
    root.setdefault("properties", []).extend(
        [{"name": "claimcoder:commit", "value": str(info["commit"] or "")},
         {"name": "claimcoder:local-changes", "value": str(bool(info["dirty"])).lower()}])
    return bom


def main(argv: list[str]) -> int:
    source, runtime_lock, out = (Path(a) for a in argv)
    bom = reduce(json.loads(source.read_text(encoding="utf-8")), lock.pins(runtime_lock))
    out.write_text(json.dumps(bom, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"SBOM: {out.name}, {len(bom['components'])} components")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
