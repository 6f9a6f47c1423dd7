"""The hibernation phase: what discarding an idle provider frees, against that provider's own renderers.

Runs inside a bench worker (one QApplication): a real Shell with three bench providers, the first
one shown. Each hidden provider in turn is discarded the way the Hibernator does it
(``ProviderView.set_lifecycle_state(Discarded)``). The baseline, measured in the same run, is the
memory of the processes that belonged to that provider (its host page's renderer and its frame's
renderer: the processes that are gone afterwards), as PSS and as USS; the figure is how much the
whole tree's PSS fell. When a renderer ends, its share of the pages it shared (Qt WebEngine's
libraries, the zygote) moves to the processes left, so the fall is close to its USS, not its PSS.
"""

from __future__ import annotations

import os
import pathlib
from typing import Any

from PySide6.QtWebEngineCore import QWebEnginePage

from bench.pss import tree_pss_by_pid
from bench.rig import install_bench_provider, spin, wait_until
from bench.site import provider_toml
from desktop.config import parse_config

Discarded = QWebEnginePage.LifecycleState.Discarded


def hibernate_phase(url: str, root: pathlib.Path, params: dict[str, Any]) -> dict[str, Any]:
    from desktop.app import Shell  # noqa: PLC0415 - after the QApplication, like every rig
    install_bench_provider()
    ids = [f"h{i}" for i in range(int(params.get("providers", 3)))]
    heap_mb = int(params.get("heap_mb", 0))
    config = parse_config("".join(provider_toml(url, pid=i) for i in ids), root / "config.toml")
    shell = Shell(config, profile_root=root / "profiles")
    try:
        shell.desktop.hibernator.configure(0, 0)  # the bench decides when, not the idle timer
        shell.start(show=True)
        if not wait_until(lambda: all(v.bridge._frame_ready for v in shell.views.values()), 60):
            raise TimeoutError("hibernate: the provider frames never became ready")
        settle = float(params.get("settle", 3.0))
        spin(settle)
        samples = []
        for pid in ids[1:]:  # the first one is shown: a visible page stays Active
            view = shell.views[pid]
            before = tree_pss_by_pid(os.getpid())
            unique = tree_pss_by_pid(os.getpid(), "uss")
            if not view.set_lifecycle_state(Discarded):
                raise RuntimeError(f"hibernate: {pid} could not be discarded")
            wait_until(lambda view=view: view.page.renderProcessPid() == 0, 10)
            spin(max(1.0, settle / 2))
            after = tree_pss_by_pid(os.getpid())
            gone = [p for p in before if p not in after]
            samples.append({
                "provider": pid,
                "renderer_mb": sum(before[p] for p in gone),
                "renderer_uss_mb": sum(unique.get(p, 0.0) for p in gone),
                "freed_mb": sum(before.values()) - sum(after.values()),
                "processes_gone": len(gone),
                "processes_before": len(before),
            })
        return {"samples": samples, "heap_mb": heap_mb}
    finally:
        shell.close()
