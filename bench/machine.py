"""How this machine treats code that ran 10 ms ago: the calibration printed beside the latencies.

At 100 msg/s a message arrives every 10 ms, and on a shared VM the caches the message path used
are mostly gone by then (other tenants run in between). The same JSON decode of a bench tick is
timed right after a 10 ms pause and then again right after itself, in pairs, in this process: the
ratio says how much more every line of Python on the message path costs at that pace than the
warm figures of a micro-benchmark suggest.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bench.stats import percentile

#: A paced tick as the bench frame posts it (bench/site.py: ``ticks``).
TICK = json.dumps({"name": "bench_tick", "seq": 123, "t": 1764775200123.4})


def calibrate(pairs: int = 200, pause_s: float = 0.010) -> dict[str, Any]:
    """``pairs`` times: sleep ``pause_s``, decode the tick (cold), decode it again (warm); µs."""
    decode = json.JSONDecoder().decode
    cold: list[float] = []
    warm: list[float] = []
    for _ in range(pairs):
        time.sleep(pause_s)
        t0 = time.perf_counter()
        decode(TICK)
        t1 = time.perf_counter()
        decode(TICK)
        t2 = time.perf_counter()
        cold.append((t1 - t0) * 1e6)
        warm.append((t2 - t1) * 1e6)
    return {"pause_ms": pause_s * 1000, "pairs": pairs,
            "cold_p50_us": percentile(cold, 50), "warm_p50_us": percentile(warm, 50),
            "cold_p90_us": percentile(cold, 90), "warm_p90_us": percentile(warm, 90)}
